"""A reporter on a 390-px phone submits the month's report from the home page, and never has
to scroll sideways."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory
from tests.e2e.test_progress_journey import PASSWORD

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"页面宽 {width}px，超出手机屏幕 {PHONE['width']}px"


@pytest.mark.e2e
def test_reporter_submits_from_the_home_page_on_a_phone(live_server, city, users, browser, shot):
    today = timezone.localdate()
    year, month = today.year, today.month
    project = city.project_a
    ReportingWindowFactory(year=year, month=month, opens_on=today.replace(day=1))
    for m in range(1, month):
        ProgressReportFactory(
            project=project, year=year, month=m, status=ReportStatus.APPROVED,
            invested_month=Decimal("100.00"), invested_ytd=Decimal("100.00") * m,
            invested_total=Decimal("100.00") * m,
        )  # fmt: skip
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/login/")
        no_sideways_scroll(page)
        page.fill("#id_username", "reporter_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        # the reporter lands on their work: projects still to report, with the 填报 action
        expect(page.locator("h1")).to_contain_text("我的填报工作")
        no_sideways_scroll(page)
        page.screenshot(path="/tmp/phone-1-home.png", full_page=True)
        card = page.get_by_role("listitem").filter(has_text=project.code)
        action = card.get_by_role("link", name="填报", exact=True)
        expect(action).to_be_visible()
        box = action.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        action.click()
        expect(page.locator("h1")).to_contain_text("月度进度填报")
        no_sideways_scroll(page)
        page.fill("#id_invested_month", "250")
        page.fill("#id_progress_text", "完成二层主体结构浇筑")
        page.screenshot(path="/tmp/phone-2-form.png", full_page=True)
        submit = page.get_by_role("button", name="提交审核")
        submit.scroll_into_view_if_needed()
        submit.click()
        expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报已提交，等待审核")
        no_sideways_scroll(page)
        page.screenshot(path="/tmp/phone-3-done.png", full_page=True)
    finally:
        context.close()
    report = ProgressReport.objects.get(project=project, year=year, month=month)
    assert report.status == ReportStatus.SUBMITTED
    assert report.invested_month == Decimal("250.00")
    assert report.invested_ytd == Decimal("100.00") * (month - 1) + Decimal("250.00")
