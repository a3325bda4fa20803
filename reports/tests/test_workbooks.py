"""The report files: opened with openpyxl, checked against assessments."""

import os
from decimal import Decimal

import openpyxl
import pytest

from assessments import metrics, summary
from assessments.scoring import scores
from core.periods import parse_period
from reports.build import scope_projects
from reports.models import ReportRun, RunStatus
from reports.services import request_run
from reports.tests.conftest import HOSTILE

MONTHLY = [
    "汇总",
    "分地区",
    "分单位",
    "预警项目",
    "滞后项目",
    "应开未开",
    "节点逾期",
    "问题清单",
    "项目明细",
]
D = Decimal


def open_run(run) -> openpyxl.Workbook:
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return openpyxl.load_workbook(run.file.path)


def table(ws, header_row):
    """Header → column index, and the data rows below the header up to the 合计 row."""
    header = [c.value for c in ws[header_row]]
    rows, total = [], None
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] == "合计":
            total = row
            break
        rows.append(row)
    return header, rows, total


def test_monthly_sheets_titles_and_totals(report_city):
    run = request_run(kind="monthly", period="2026-03")
    wb = open_run(run)
    assert wb.sheetnames == MONTHLY
    for name in MONTHLY:
        assert wb[name]["A1"].value == f"报表市重点建设项目月度调度（2026年3月）— {name}"
        assert wb[name].freeze_panes in ("A3", "A4")

    header, rows, total = table(wb["分地区"], 2)
    assert [r[0] for r in rows] == ["东县", "西区"]
    for label in (
        "项目数(项)",
        "拆分后(项)",
        "总投资(万元)",
        "年度计划投资(万元)",
        "累计完成投资(万元)",
    ):
        j = header.index(label)
        assert sum(D(str(r[j])) for r in rows) == D(str(total[j])), label
    j = header.index("累计完成投资(万元)")
    assert [D(str(r[j])) for r in rows] == [D("350"), D("450")]
    # the package counts once in 项 and its two sub-projects in 拆分后
    west = rows[1]
    assert (west[header.index("项目数(项)")], west[header.index("拆分后(项)")]) == (2, 3)

    # the same figures as assessments for the same scope and month
    projects = scope_projects(None, 2026)
    dash = metrics.dashboard(projects, 2026, 3)
    assert D(str(total[header.index("投资完成率(%)")])) == dash.totals.completion_rate
    assert D(str(total[header.index("年度计划投资(万元)")])) == dash.totals.annual_plan == D("4000")
    assert total[header.index("滞后(拆分后项)")] == dash.totals.status_counts["lagging"]


def test_summary_sheet_opens_with_the_standard_paragraph(report_city):
    wb = open_run(request_run(kind="monthly", period="2026-03"))
    ws = wb["汇总"]
    projects = scope_projects(None, 2026)
    expected = summary.bulletin_text(
        projects, 2026, 3, last_year_projects=scope_projects(None, 2025)
    ).text
    assert ws["A2"].value == expected
    assert expected.startswith("今年重点建设项目4项（打包项目拆分后共5项）")
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert D(str(values["1-3月累计完成投资(万元)"])) == D("800")
    counts = [values[k] for k in ("滞后", "预警", "正常", "较快", "未报")]
    assert sum(counts) == values["合计(拆分后项)"] == 5  # statuses are of leaves


def test_january_summary_names_its_span_as_the_sentences_do(report_city):
    # given January's monthly report (the year-to-date is January alone)
    wb = open_run(request_run(kind="monthly", period="2026-01"))

    # then the 汇总 row says 1月, as the paragraph and the ledger do (summary.span_label),
    # not "1-1月"
    labels = [r[0] for r in wb["汇总"].iter_rows(min_row=4, values_only=True)]
    assert "1月累计完成投资(万元)" in labels
    assert not any(str(label).startswith("1-1月") for label in labels)


def test_detail_and_problem_sheets_keep_hostile_text_as_text(report_city):
    wb = open_run(request_run(kind="monthly", period="2026-03"))
    detail = wb["项目明细"]
    header, rows, total = table(detail, 2)
    names = [r[header.index("项目名称")] for r in rows]
    assert HOSTILE in names and "西区打包项目" not in names  # leaves only
    for label in ("总投资(万元)", "年度计划投资(万元)", "累计完成投资(万元)"):
        j = header.index(label)
        assert sum(D(str(r[j])) for r in rows) == D(str(total[j])), label
    cells = [c for row in detail.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    problems = wb["问题清单"]
    hostile = [c for row in problems.iter_rows() for c in row if c.value == HOSTILE]
    assert len(hostile) == 2 and all(c.data_type == "s" for c in hostile)  # project and 措施
    # the status cells are filled by their colour: 滞后 red
    status_col = header.index("状态")
    lagging = [row for row in detail.iter_rows(min_row=3) if row[status_col].value == "滞后"]
    assert lagging and all(r[status_col].fill.fgColor.rgb.endswith("FFC7CE") for r in lagging)


def test_county_slice_names_nothing_of_the_other_county(report_city):
    wb = open_run(request_run(kind="monthly", period="2026-03", region=report_city.a))
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "东县" in text and "西区" not in text and HOSTILE not in text


def test_quarterly_adds_the_ranking(report_city):
    wb = open_run(request_run(kind="quarterly", period="2026-Q1"))
    assert wb.sheetnames == [*MONTHLY, "排名", "四比四看"]
    ws = wb["排名"]
    rows = scores(scope_projects(None, 2026), parse_period("2026-Q1"), by="region")
    found = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] in ("东县", "西区")}
    for row in rows:
        assert (found[row.name][0], D(str(found[row.name][2]))) == (row.rank, row.score)
    # two ranked regions: named first and last, but no 红榜/黑榜 (SPEC §3.8 needs three)
    assert "综合考评" in ws["A2"].value and "红榜" not in ws["A2"].value


def test_yearly_sheets(report_city):
    wb = open_run(request_run(kind="yearly", period="2026", confirmed=True))
    assert wb.sheetnames == ["年度考评", "五率", "绩效库", "负面清单", "四比四看", "项目明细"]


def test_asking_again_rebuilds_the_same_row_and_replaces_the_file(
    report_city, django_capture_on_commit_callbacks
):
    first = request_run(kind="monthly", period="2026-03")
    first.refresh_from_db()
    old = first.file.path
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        again = request_run(kind="monthly", period="2026-03")
    again.refresh_from_db()
    assert again.pk == first.pk and ReportRun.objects.count() == 1
    assert again.builds == 2 and again.file.path != old
    assert not os.path.exists(old) and os.path.exists(again.file.path)


@pytest.mark.parametrize(
    "kind,period,message",
    [
        ("monthly", "2026-13", "月份应在1到12之间"),
        ("monthly", "2026-Q1", "此处期间应为月份"),
        ("yearly", "明年", "期间格式不正确"),
    ],
)
def test_bad_periods_are_refused_in_chinese(report_city, kind, period, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        request_run(kind=kind, period=period)
    assert not ReportRun.objects.exists()
