"""A leader opens the dashboard and the 大屏, in a browser: every chart has drawn,
the KPI figures are the API's and the home page's, a click on a region opens its projects."""

import datetime
import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.services import assess_month
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user
CHARTS = ["chart-status", "chart-trend", "chart-regions", "chart-units", "chart-map"]


def drawn(page, chart_id):
    """Whether the chart's canvas has any non-transparent pixel."""
    return page.evaluate(
        """id => { const c = document.querySelector('#' + id + ' canvas');
                   if (!c || !c.width) return false;
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   for (let i = 3; i < d.length; i += 4) if (d[i]) return true; return false; }""",
        chart_id,
    )


@pytest.mark.e2e
def test_leader_dashboard_and_wall_display(live_server, city, users, page, shot):
    # given June 2026 judged for the four projects of the city
    for n, p in enumerate(
        (city.project_a, city.project_town, city.project_b, city.project_city_unit)
    ):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
        for month in (5, 6):
            ProgressReportFactory(project=p, month=month, status=ReportStatus.APPROVED,
                                  invested_ytd=Decimal(100 * (n + 1) * month))  # fmt: skip
    for month in (5, 6):
        assess_month(year=2026, month=month)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leader_city")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    # the home page's figures, and the API's, for the same year and month
    page.goto(f"{live_server.url}/?year=2026&month=6")
    home_count = page.locator("[data-kpi=count]").inner_text()
    api = json.loads(page.evaluate(
        "fetch('/api/dashboard/?year=2026&month=6').then(r => r.text())"
    ))  # fmt: skip

    # when the leader opens the dashboard
    page.goto(f"{live_server.url}/assessments/dashboard/?year=2026&month=6")
    expect(page.locator("#dashboard")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#dashboard")).to_have_attribute("data-map-loaded", "1")
    for chart in CHARTS:
        page.wait_for_function("id => document.querySelector('#' + id + ' canvas')", arg=chart)
        assert drawn(page, chart), chart
    expect(page.locator("#ranking-table tbody tr")).to_have_count(2)
    shot("dashboard")

    # then the KPI cards are the API's and the home page's
    t = api["totals"]
    assert page.locator("[data-kpi=count]").inner_text() == home_count
    assert page.locator("[data-kpi=count]").inner_text().startswith(str(t["count"]))
    assert (
        page.locator("[data-kpi=completion_rate]").inner_text()
        == f"{Decimal(t['completion_rate']):.1f}%"
    )
    assert page.locator("[data-kpi=ytd]").inner_text() == f"{Decimal(t['ytd']) / 10000:.1f}"

    # when the leader clicks county B's bar, the list of county B's projects opens
    page.locator("#chart-regions").scroll_into_view_if_needed()
    box = page.locator("#chart-regions canvas").bounding_box()
    x, y = page.evaluate(
        """() => { const c = echarts.getInstanceByDom(document.getElementById('chart-regions'));
                   const bar = c.getOption().series[0].data[1];
                   return c.convertToPixel({seriesIndex: 0}, [1, bar.value / 2]); }"""
    )  # the middle of the second bar (county B)
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/projects/**region=*")
    assert f"region={city.county_b.pk}" in page.url
    expect(page.locator("body")).to_contain_text(city.project_b.name)
    expect(page.locator("body")).not_to_contain_text(city.project_a.name)

    # and the 大屏 draws the same charts on its dark page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/assessments/dashboard/screen/?year=2026&month=6")
    expect(page.locator("#dashboard.screen-mode")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#dashboard")).to_have_attribute("data-map-loaded", "1")
    for chart in CHARTS:
        page.wait_for_function("id => document.querySelector('#' + id + ' canvas')", arg=chart)
        assert drawn(page, chart), chart
    shot("dashboard-screen")
    assert errors == []
