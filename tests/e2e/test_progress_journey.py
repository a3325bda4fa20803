"""The monthly reporting journey in a real browser (SPEC §3.2).

A reporter logs in through the login form, fills and submits the month's report; a reviewer
returns it with a comment; the reporter sees the comment, fixes and resubmits; the reviewer
approves; the project detail shows the new figures and the change history.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
)

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav")).to_contain_text("退出")


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.locator("#id_username")).to_be_visible()


@pytest.mark.e2e
def test_report_submit_return_resubmit_approve(live_server, city, users, page, shot):
    # given the current month's window is open and earlier months are approved
    today = timezone.localdate()
    year, month = today.year, today.month
    project = city.project_a
    project.year = year
    project.save()
    ReportingWindowFactory(year=year, month=month, opens_on=today.replace(day=1))
    for m in range(1, month):
        ProgressReportFactory(
            project=project,
            year=year,
            month=m,
            status=ReportStatus.APPROVED,
            invested_month=Decimal("100.00"),
            invested_ytd=Decimal("100.00") * m,
            invested_total=Decimal("100.00") * m,
        )
    MilestoneFactory(
        project=project, name="主体封顶", kind="topping", planned_on=today.replace(day=1)
    )
    ProblemFactory(project=project, description="施工用电容量不足", deadline=today.replace(day=1))
    base = live_server.url
    earlier = Decimal("100.00") * (month - 1)

    # when the reporter logs in and fills the report from 本月待填报
    log_in(page, base, "reporter_a")
    page.get_by_role("link", name="本月待填报").click()
    expect(page.locator("h1")).to_contain_text(f"{year}年{month}月 待填报")
    shot("01_todo")
    row = page.locator("tr", has_text=project.name)
    row.get_by_role("link", name="填报").click()
    expect(page.locator("h1")).to_contain_text("月度进度填报")
    page.fill("#id_invested_month", "250")
    page.fill("#id_fund_central", "80")
    page.fill("#id_workers_planned", "120")
    page.fill("#id_workers_actual", "96")
    page.fill("#id_progress_text", "完成二层主体结构浇筑")
    shot("02_report_form")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报已提交，等待审核")
    shot("03_report_submitted")
    log_out(page)

    # and the reviewer returns it with a comment
    log_in(page, base, "reviewer")
    # The reviewers' pages sit in the top bar's "审核" menu.
    page.locator("nav a.dropdown-toggle", has_text="审核").first.click()
    page.get_by_role("link", name="审核队列").click()
    expect(page.locator("h1")).to_contain_text("月报审核队列")
    shot("04_review_queue")
    page.locator("tr", has_text=project.name).get_by_role("link", name="审核").click()
    expect(page.locator("#compare")).to_contain_text("250.00")
    page.fill("#id_comment", "本月完成投资与现场形象进度不符，请核实后重报")
    shot("05_report_detail_review")
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报已退回")
    log_out(page)

    # and the reporter sees the comment, fixes the figure and resubmits
    log_in(page, base, "reporter_a")
    page.get_by_role("link", name="本月待填报").click()
    row = page.locator("tr", has_text=project.name)
    expect(row).to_contain_text("已退回")
    expect(row).to_contain_text("本月完成投资与现场形象进度不符")
    row.get_by_role("link", name="修改后重新提交").click()
    expect(page.locator("#return-comment")).to_contain_text(
        "本月完成投资与现场形象进度不符，请核实后重报"
    )
    shot("06_returned_form")
    page.fill("#id_invested_month", "300")
    page.get_by_role("button", name="修改后重新提交").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报已提交，等待审核")
    log_out(page)

    # and the reviewer approves it
    log_in(page, base, "reviewer")
    page.goto(f"{base}/milestones/review/")
    page.locator("tr", has_text=project.name).get_by_role("link", name="审核").click()
    expect(page.locator("#compare")).to_contain_text("300.00")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报已审核通过")

    # then the project detail shows the new figures and who changed what when
    page.goto(f"{base}/projects/{project.pk}/")
    history = page.locator("#report-history")
    current = history.locator("tr", has_text=f"{year}年{month}月")
    expect(current).to_contain_text("300.00")
    expect(current).to_contain_text(f"{earlier + 300:,.2f}")
    expect(current).to_contain_text("已审核")
    audit = page.locator("#audit-history")
    expect(audit).to_contain_text(f"{year}年{month}月月报")
    expect(audit).to_contain_text("250.00 → 300.00")
    expect(audit).to_contain_text("已退回")
    expect(audit).to_contain_text("reviewer")
    expect(page.locator("#milestone-chart canvas")).to_have_count(1)
    shot("07_project_detail")

    report = ProgressReport.objects.get(project=project, year=year, month=month)
    assert report.status == ReportStatus.APPROVED
    assert report.invested_month == Decimal("300.00")
    assert report.invested_ytd == earlier + Decimal("300.00")
    assert report.reviewed_by == users.reviewer
