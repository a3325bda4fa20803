"""After seed_demo, every printed login works and shows that role's pages, in Chinese."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.demo import DEMO_PASSWORD


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("seed_demo", "--projects", "40", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "username,sees,hidden",
    [
        ("admin", ["项目台账", "后台管理"], []),
        ("drc", ["项目台账", "编辑台账"], ["后台管理"]),
        ("leader", ["项目台账", "我包保的项目"], ["后台管理", "编辑台账"]),
        ("tb_lj", ["项目台账", "临江县"], ["后台管理", "编辑台账", "永丰县"]),
    ],
)
def test_demo_login_shows_role_pages(client, demo, username, sees, hidden):
    # given the printed credentials
    assert f"{username}" in demo and DEMO_PASSWORD in demo
    # when the user logs in through the login form
    resp = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    home = "我的填报工作" if username.startswith("tb_") else "重点项目总览"  # a reporter's work
    assert resp.status_code == 200 and home in resp.text
    pages = resp.text
    listing = client.get(reverse("portal:project_list"))
    first = listing.context["projects"][0]
    pages += client.get(reverse("registry:project_detail", args=[first.pk])).text
    # then the role's pages show and others do not
    for text in sees:
        assert text in pages, text
    for text in hidden:
        assert text not in pages, text


@pytest.mark.parametrize("username", ["admin", "drc", "drc_lj", "leader", "tb_lj", "tb_jt"])
def test_every_page_linked_for_a_demo_role_opens(client, demo, username):
    """Follow the nav links and the first project/report/problem links on the demo data."""
    import re

    from django.contrib.auth import get_user_model

    from milestones.selectors import reports_for

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    home = client.get(reverse("portal:home"))
    nav = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', home.text, re.S).group(1)
    urls = [u for u in re.findall(r'href="([^"]+)"', nav) if not u.startswith("/admin/")]
    report = reports_for(user=user).first()
    if report is not None:
        urls.append(reverse("milestones:report_detail", args=[report.pk]))
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        links = re.findall(r'href="(/(?:projects|milestones/problems)/\d+/[^"]*)"', resp.text)
        for link in links[:2]:
            assert client.get(link).status_code == 200, link


def test_the_demo_units_reporter_is_offered_its_unit_in_the_ledger_filter(client, demo):
    """tb_jt (市交通运输局) files reports for its unit's projects in every county: the ledger's
    unit filter offers exactly that unit (registry.scoping.filter_units)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="tb_jt"))
    page = client.get(reverse("portal:project_list"))
    assert page.status_code == 200
    units = page.context["filter"].form.fields["unit"].queryset
    assert [u.name for u in units] == ["市交通运输局"]
    assert ">市交通运输局</option>" in page.text
