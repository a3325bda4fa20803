"""Bulk approval in a real browser: a flagged report (超年度计划) is left out and named, and
goes through only once the reviewer ticks its 确认 box."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import ProgressReportFactory
from registry.models import Project

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


def _submitted(project, ytd):
    return ProgressReportFactory(
        project=project, month=3, status=ReportStatus.SUBMITTED,
        invested_month=Decimal("100"), invested_ytd=Decimal(ytd),
    )  # fmt: skip


@pytest.mark.e2e
def test_flagged_report_waits_for_its_confirmation(live_server, city, users, page, shot):
    base = live_server.url
    started = [city.project_a.pk, city.project_town.pk]
    Project.objects.filter(pk__in=started).update(started_on=datetime.date(2026, 1, 5))
    clean = _submitted(Project.objects.get(pk=city.project_a.pk), "300")
    over = _submitted(Project.objects.get(pk=city.project_town.pk), "1500")  # plan: 1,200
    page.goto(f"{base}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/milestones/review/")

    # when the reviewer ticks everything and approves in bulk
    page.locator("#check-all").check()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="批量审核通过").click()

    # then the clean report is approved, the flagged one is left out and named
    expect(page.locator(".alert-warning")).to_contain_text("有1份月报带异常提示，未批量通过")
    expect(page.locator(".alert-warning")).to_contain_text(city.project_town.name)
    shot("bulk_held")
    assert ProgressReport.objects.get(pk=clean.pk).status == ReportStatus.APPROVED
    assert ProgressReport.objects.get(pk=over.pk).status == ReportStatus.SUBMITTED

    # when they tick it and confirm it by name
    page.locator(f"input[name=ids][value='{over.pk}']").check()
    page.locator(f"#confirm-{over.pk}").check()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="批量审核通过").click()

    # then it is approved too
    expect(page.locator(".alert-success")).to_contain_text("已审核1份")
    assert ProgressReport.objects.get(pk=over.pk).status == ReportStatus.APPROVED
