"""The portal serves its pages under its own URL names, at the paths they always had; no
other app carries a route for them (nothing shadowed, nothing dead)."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from conftest import login

PAGES = {
    "portal:home": "/",
    "portal:project_list": "/projects/",
    "portal:ledger_export": "/excel/export/ledger/",
    "portal:dashboard": "/assessments/dashboard/",
    "portal:dashboard_screen": "/assessments/dashboard/screen/",
}


@pytest.mark.parametrize("name,path", PAGES.items())
def test_each_page_keeps_its_path_and_is_the_portals(name, path):
    assert reverse(name) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.func.__module__.startswith("portal.views")


@pytest.mark.parametrize(
    "old",
    [
        "registry:home",
        "registry:project_list",
        "registry:ledger_export",
        "assessments:dashboard",
        "assessments:dashboard_screen",
    ],
)
def test_the_old_names_are_gone(old):
    with pytest.raises(NoReverseMatch):
        reverse(old)


@pytest.mark.django_db
def test_the_navigation_links_to_the_portal_pages_and_counts_the_badges(client, city, users):
    login(client, users.reviewer)
    page = client.get(reverse("portal:project_list"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("portal:home", "portal:project_list", "portal:dashboard"):
        assert f'href="{reverse(name)}"' in html, name
    # the context processor moved to portal: the badges are still in the context
    assert page.context["pending_suspensions"] == 0
    assert page.context["unread_notices"] == 0
    assert "2026" in dict(page.context["year_options"])
