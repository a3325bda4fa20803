"""The 通报 prints to PDF from Chromium with Chinese glyphs.

pypdf is not in the venv, so the PDF is checked by its structure: its page objects, and the
fonts Chromium embedded for the text — a CJK font (WenQuanYi, Noto CJK…) is only embedded
when Chinese glyphs were drawn with it. The numbers are checked on the page that was printed.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments import metrics
from assessments.services import assess_month
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory
from registry.selectors import year_list

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user
CJK_FONT = re.compile(
    rb"/(?:FontName|BaseFont)\s*/(?:[A-Z]{6}\+)?([^\s/]*(?:WenQuanYi|CJK|Hei|Song|Kai|Ming)[^\s/]*)"
)
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.mark.e2e
def test_bulletin_prints_to_pdf_with_chinese_glyphs(live_server, city, users, page, tmp_path):
    # given June 2026 judged: project A lagging, the town project warning
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
        ytd = {city.project_a: "300", city.project_town: "480"}.get(p, "600")
        ProgressReportFactory(
            project=p, month=6, status=ReportStatus.APPROVED, invested_ytd=Decimal(ytd)
        )
    assess_month(year=2026, month=6)
    paragraph = metrics.dashboard(year_list(2026), 2026, 6).paragraph
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # when the city reviewer opens June's bulletin
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/reports/bulletin/?kind=monthly&period=2026-06")
    expect(page.locator("h1.bulletin-title")).to_have_text("示例市重点建设项目进展情况通报")
    # then the paragraph's numbers are on the page, and the charts are drawn as SVG
    shown = page.locator("#summary-paragraph").inner_text()
    assert shown == paragraph
    for number in ("4项", "4.0亿元", "0.5亿元", "41.3%", "低于时间进度8.8个百分点"):
        assert number in paragraph and number in shown
    for chart in ("#chart-status", "#chart-regions", "#chart-trend"):
        expect(page.locator(f"{chart} svg")).to_have_count(1)
    expect(page.locator("[data-list=lagging]")).to_contain_text("甲县项目")
    # when it is printed to PDF (print media: no navigation, A4 from the page's @page rule)
    path = tmp_path / "通报.pdf"
    page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
    # then the file exists, has pages and embeds a CJK font for the Chinese text
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert len(PAGE.findall(data)) >= 1
    fonts = {m.decode() for m in CJK_FONT.findall(data)}
    assert fonts, "no CJK font embedded: the Chinese text would print as boxes"
    # and the navigation is not printed, nor the toolbar with the 打印 button
    page.emulate_media(media="print")
    expect(page.locator("nav.app-nav")).to_be_hidden()
    expect(page.locator("#print-button")).to_be_hidden()
    assert errors == [] or all("status of 404" in e for e in errors), errors
