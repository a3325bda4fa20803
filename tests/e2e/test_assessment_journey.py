"""A reviewer follows a red light from the home page to the project, in a browser.

Home status button 滞后 → the lagging list with the reason → the project page, whose
12-month strip (loaded by htmx from a static script, no inline JS) shows the month red.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.services import assess_month
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


@pytest.mark.e2e
def test_from_home_to_a_lagging_project(live_server, city, users, page, shot):
    # given June 2026 judged: project A 25 points behind, the others on time
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
        ytd = Decimal("300") if p == city.project_a else Decimal("600")
        ProgressReportFactory(project=p, month=6, status=ReportStatus.APPROVED, invested_ytd=ytd)
    assess_month(year=2026, month=6)
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    # when the city reviewer logs in and opens the home page of 2026
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/?year=2026&month=6")
    expect(page.locator("[data-status=lagging]")).to_contain_text("滞后 1项")
    shot("assess-home")
    # then the 滞后 button leads to the list with the reason
    page.locator("[data-status=lagging]").click()
    expect(page.locator("h1")).to_contain_text("滞后项目")
    expect(page.locator("table")).to_contain_text("G=-25.00个百分点（≤-20，滞后）")
    shot("assess-lagging")
    # and the project's page shows June red in its strip
    page.get_by_role("link", name=city.project_a.name).click()
    page.goto(page.url + "?year=2026")  # the strip follows the page's year
    expect(page.locator("#status-strip [data-month='6']")).to_have_attribute("data-colour", "red")
    shot("assess-strip")
    # no script blocked or failing, no resource missing but the browser's favicon probe
    assert [u for u in failed if not u.endswith("/favicon.ico")] == []
    assert all("status of 404" in e for e in errors), errors  # the favicon probe only
