"""Publishing a bulletin, the data changing, a correction, and reading both versions, in a
browser (SPEC §3.8 publication)."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.services import assess_month
from core.signals import changed
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import ProgressReportFactory

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


def _june(city):
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
        ytd = {city.project_a: "300", city.project_town: "480"}.get(p, "600")
        ProgressReportFactory(
            project=p, month=6, status=ReportStatus.APPROVED, invested_ytd=Decimal(ytd)
        )
    assess_month(year=2026, month=6)


@pytest.mark.e2e
def test_publish_change_correct_and_read_both_versions(live_server, city, users, page, shot):
    _june(city)
    page.on("dialog", lambda d: d.accept())  # the 发布 buttons ask "确认发布…？"
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    url = f"{live_server.url}/reports/bulletin/?kind=monthly&period=2026-06"
    # given June's bulletin, a live 草稿
    page.goto(url)
    expect(page.locator("#draft-badge")).to_have_text("草稿")
    first_paragraph = page.locator("#summary-paragraph").inner_text()
    shot("1-draft")
    # when the city reviewer publishes it
    page.click("#publish-button")
    expect(page.locator("#published-badge")).to_contain_text("已发布 · 2026年第1期")
    expect(page.locator("[data-issue]")).to_have_text("2026年第1期")
    shot("2-published")
    # and 甲县项目's June figure is revised afterwards
    ProgressReport.objects.filter(project=city.project_a, month=6).update(
        invested_ytd=Decimal("600")
    )
    changed([city.project_a.pk])  # what every bulk writer says (for the monthly fact table)
    assess_month(year=2026, month=6)
    # then the period's page still shows the published bulletin
    page.goto(url)
    expect(page.locator("#summary-paragraph")).to_have_text(first_paragraph)
    expect(page.locator("[data-list=lagging]")).to_contain_text("甲县项目")
    # when a correction is published
    page.fill("input[name=note]", "甲县项目6月投资数据更正")
    page.click("#publish-button")
    # then it is 更正版2 of the same issue, listing what changed
    expect(page.locator("#published-badge")).to_contain_text("2026年第1期 · 更正版2")
    changes = page.locator("#correction-changes")
    expect(changes).to_contain_text("甲县项目6月投资数据更正")
    expect(changes).to_contain_text("合计 累计完成投资(万元)：1980.00 → 2280.00")
    expect(changes).to_contain_text("滞后项目：删去 甲县项目（甲县）")
    assert page.locator("#summary-paragraph").inner_text() != first_paragraph
    expect(page.locator("[data-issue]")).to_have_text("2026年第1期（更正版2）")
    expect(page.locator("#bulletin-corrections")).to_contain_text("滞后项目：1项 → 0项")
    shot("3-correction")
    # and version 1 is still readable at its own address, marked as corrected
    page.click("#version-list a")
    expect(page.locator("#summary-paragraph")).to_have_text(first_paragraph)
    expect(page.locator("#publication-state")).to_contain_text("此为旧版本，已有更正版2")
    shot("4-old-version")
