"""The forecast page: expected year-end 完成率 by 县区 with its basis, and the projects likely
to lag next month with their reasons; an xlsx of both."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from openpyxl.workbook import Workbook

from assessments import forecast, metrics, selectors
from assessments.views.common import (
    bad_request_page,
    period_from,
    picker,
    stamp,
    xlsx_response,
)
from registry.excel import writer
from registry.views.mixins import querystring, role_required

REGION_HEADERS = [
    "县区", "项目数(拆分后)", "年度计划投资(万元)", "当前完成率(%)", "测算基数累计完成(万元)",
    "近月月均(万元)", "按月均测算(万元)", "按往年同期测算(万元)", "预计年末完成(万元)",
    "预计年末完成率(%)", "测算依据", "测算过程",
]  # fmt: skip
RISK_HEADERS = [
    "项目编号", "项目名称", "所属地区", "责任单位", "当月状态", "下月预计状态",
    "下月末预计累计(万元)", "原因",
]  # fmt: skip


def _context(request):
    period = period_from(request)
    year, month = period.year, period.month
    projects = metrics.scoped_projects(request.user, year, request.GET, as_of=period.end)
    return {
        "year": year,
        "month": month,
        "period": period,
        "outlook": forecast.outlook_summary(projects, year, month),
        "at_risk": forecast.at_risk(projects, year, month, attach=False),
        "projects": projects,
    }


@require_GET
@role_required()
@bad_request_page
def forecast_page(request):
    context = _context(request)
    # A city may have a thousand projects at risk: the page shows them 50 at a time (the
    # export has them all).
    page = Paginator(context["at_risk"], 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/forecast.html",
        {
            **context,
            "at_risk": selectors.attach_projects(page.object_list, context["projects"]),
            "at_risk_count": page.paginator.count,
            "page_obj": page,
            "querystring": querystring(request),
            "picker": picker(request, context["period"]),
        },
    )


def _region_row(name, row):
    f = row.forecast
    return [
        name, f.count, f.plan, row.figures.completion_rate, f.ytd, f.run_rate, f.by_run_rate,
        f.by_season, f.expected, f.rate, f.basis, f.formula,
    ]  # fmt: skip


def _sheet(wb, title, headers, rows, money, widths):
    ws = wb.create_sheet(title)
    for j, width in widths.items():
        ws.column_dimensions[chr(ord("A") + j)].width = width
    ws.append(writer.safe_row(ws, [title], font=writer.TITLE_FONT))
    ws.append(writer.safe_row(ws, headers, font=writer.HEADER_FONT, fill=writer.HEADER_FILL,
                              border=writer.BORDER, alignment=writer.CENTER))  # fmt: skip
    for values in rows:
        ws.append([writer.safe_cell(ws, v, number_format=writer.MONEY_FORMAT if j in money else None)
                   for j, v in enumerate(values)])  # fmt: skip


@require_GET
@role_required()
@bad_request_page
def forecast_export(request):
    ctx = _context(request)
    year, month, out = ctx["year"], ctx["month"], ctx["outlook"]
    wb = Workbook(write_only=True)
    regions = [_region_row(r.region.name, r) for r in out.regions]
    regions.append(_region_row("合计", out.total))
    _sheet(wb, f"{year}年预计年末完成率（据1-{month}月）", REGION_HEADERS, regions,
           money={2, 4, 5, 6, 7, 8}, widths={0: 14, 10: 36, 11: 60})  # fmt: skip
    risks = [
        [r.project.code, r.project.name, r.project.region.name,
         r.project.unit.name if r.project.unit_id else "",
         r.status_label, r.projected_label, r.forecast.expected, r.reason_text]
        for r in selectors.attach_projects(ctx["at_risk"], ctx["projects"])
    ]  # fmt: skip
    _sheet(wb, f"{year}年{month + 1}月可能滞后项目", RISK_HEADERS, risks,
           money={6}, widths={0: 16, 1: 30, 7: 90})  # fmt: skip
    return xlsx_response(writer.save_workbook(wb), f"预计年末完成率-{year}-{month}-{stamp()}.xlsx")
