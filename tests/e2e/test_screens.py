"""Leaders and reporters on a 390-px phone, and the 大屏 on a 1920×1080 wall, in a browser.

Every page a leader or a reporter of the demo city uses fits the phone's width (the page never
scrolls sideways: wide tables turn into cards or scroll inside their own box), the leader's
home leads with 我包保的项目, and the wall display fits one screen without navigation.

One demo city and one live server serve the whole module: seeding is the slow part.
"""

import datetime
import os
import re
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from playwright.sync_api import expect

from registry.demo import DEMO_PASSWORD

# The module's server shares the test database's connection (in-memory SQLite), so the demo
# city seeded once inside a module-wide transaction is what every page reads; each test runs
# in a savepoint of it, and the whole is rolled back at the end.
# On another database the server thread has its own connection and cannot see the
# uncommitted seed: the layouts measured here do not depend on the database, and the SQLite
# run (make test) measures them.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="the module's demo city is shared with the live server through SQLite's one "
        "in-memory connection",
    ),
]

PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
# A day in a running year with its months reported; in the future of any real clock, so the
# browser never sees the session cookie the server set as already expired.
TODAY = datetime.datetime(2031, 10, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

LEADER_PAGES = [
    "/",
    "/assessments/dashboard/",
    "/projects/",
    *[f"/assessments/lists/{kind}/" for kind in
      ("warning", "lagging", "unstarted", "milestones", "problems", "unregistered")],
    "/assessments/scores/",
    "/assessments/forecast/",
    "/assessments/records/",
    "/reports/bulletin/",
    "/reports/",
    "/notices/",
    "/password/change/",
    "/projects/999999/",  # the 404 page
]  # fmt: skip
REPORTER_PAGES = [
    "/",
    "/milestones/todo/",
    "/milestones/problems/",
    "/milestones/problems/new/",
    "/milestones/letters/",
    "/excel/imports/",
    "/milestones/import/progress/",
    "/excel/exports/",
    "/projects/",
    "/notices/",
    "/password/change/",
    "/projects/999999/",
]
# Pages reached through links: from a page, the first link matching each pattern in turn.
FOLLOW = {
    "leader": [
        ("/projects/", [r"/projects/\d+/$"]),
        ("/projects/", [r"/projects/\d+/$", r"/milestones/projects/\d+/photos/$"]),
    ],
    "tb_lj": [
        ("/projects/", [r"/projects/\d+/$"]),
        ("/projects/", [r"/projects/\d+/$", r"/milestones/reports/\d+/$"]),
        ("/projects/", [r"/projects/\d+/$", r"/milestones/projects/\d+/photos/$"]),
        ("/milestones/todo/", [r"/milestones/reports/new/\?"]),
        ("/milestones/problems/", [r"/milestones/problems/\d+/edit/$"]),
    ],
}


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city behind one live server for the module; rolled back at the end."""
    from pytest_django.live_server_helper import LiveServer

    media = str(tmp_path_factory.mktemp("media"))
    with (
        time_machine.travel(TODAY, tick=True),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--projects", "40", stdout=StringIO())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            transaction.set_rollback(True)


def open_as(browser, site, username, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{site.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/")
    return page


def save(page, name, full_page=True):
    """A screenshot when E2E_SHOTS names a folder (to look at the pages by eye)."""
    folder = os.environ.get("E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def follow(page, site, url, patterns):
    for pattern in patterns:
        page.goto(f"{site.url}{url}")
        hrefs = page.eval_on_selector_all(
            "main a[href]", "as => as.map(a => a.getAttribute('href'))"
        )
        found = next((h for h in hrefs if re.search(pattern, h)), None)
        assert found, f"{url} 没有匹配 {pattern} 的链接"
        url = found
    return url


def width_of(page, site, url):
    response = page.goto(f"{site.url}{url}")
    assert response.status in (200, 404), f"{url} 返回 {response.status}"
    page.wait_for_load_state("load")
    assert page.locator('meta[name=viewport][content*="width=device-width"]').count() == 1, url
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.e2e
@pytest.mark.parametrize("username,pages", [("leader", LEADER_PAGES), ("tb_lj", REPORTER_PAGES)])
def test_every_page_of_the_role_fits_a_phone(demo_site, browser, username, pages):
    page = open_as(browser, demo_site, username, PHONE, is_mobile=True, has_touch=True)
    try:
        urls = pages + [follow(page, demo_site, u, p) for u, p in FOLLOW[username]]
        widths = {url: width_of(page, demo_site, url) for url in urls}
        too_wide = {url: w for url, w in widths.items() if w > PHONE["width"] + 1}
        assert too_wide == {}, f"在 390px 手机上需要左右滚动的页面：{too_wide}"
        if username == "tb_lj":
            page.goto(f"{demo_site.url}/projects/")
            save(page, "phone-reporter-projects")
            page.goto(f"{demo_site.url}{urls[len(pages)]}")  # the first project's page
            save(page, "phone-reporter-project")
    finally:
        page.context.close()


@pytest.mark.e2e
def test_leader_home_on_a_phone_leads_with_my_projects(demo_site, browser):
    page = open_as(browser, demo_site, "leader", PHONE, is_mobile=True, has_touch=True)
    try:
        mine = page.locator("#my-projects")
        expect(mine).to_contain_text("我包保的项目")
        # above the city's figures: the first thing under the title
        mine_top = mine.bounding_box()["y"]
        assert mine_top < page.locator("[data-kpi=count]").bounding_box()["y"]
        assert mine_top < PHONE["height"]
        # each project a card, with its 总投资 in view rather than cut off on the right
        first = mine.locator("tbody tr").first
        total = first.locator("td[data-label^=总投资]")
        expect(total).to_be_visible()
        box = total.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        save(page, "phone-leader-home")
    finally:
        page.context.close()


@pytest.mark.e2e
def test_wall_display_fits_one_screen_without_navigation(demo_site, browser):
    page = open_as(browser, demo_site, "leader", WALL)
    try:
        page.clock.install()
        page.goto(f"{demo_site.url}/assessments/dashboard/screen/")
        root = page.locator("#dashboard")
        expect(root).to_have_attribute("data-loaded", "1")
        expect(root).to_have_attribute("data-map-loaded", "1")
        page.wait_for_function("document.querySelector('#chart-map canvas')")
        save(page, "wall-1920", full_page=False)

        # nothing scrolls, and there is no navigation bar
        size = page.evaluate(
            """() => ({ sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
                        w: innerWidth, h: innerHeight })"""
        )
        assert size["sw"] <= size["w"] and size["sh"] <= size["h"], size
        assert page.locator("nav, .navbar").count() == 0
        # the map is large, the figures readable from across a room
        assert page.locator("#chart-map").bounding_box()["width"] >= 0.4 * WALL["width"]
        font = page.locator("[data-kpi=count]").evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert font >= 48
        for panel in page.locator(".wall-panel").all():
            box = panel.bounding_box()
            assert box["y"] + box["height"] <= WALL["height"]

        # five minutes on, the page is fetched again (new figures) without anyone touching it
        with page.expect_navigation():
            page.clock.run_for("05:01")
        expect(root).to_have_attribute("data-loaded", "1")

        # Esc goes back to the dashboard with its navigation
        page.keyboard.press("Escape")
        page.wait_for_url("**/assessments/dashboard/?*")
        expect(page.locator("nav.navbar")).to_be_visible()
    finally:
        page.context.close()
