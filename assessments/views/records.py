"""绩效库 (per unit or leader) and 负面清单, with an xlsx export of the negative list."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import exports, metrics
from assessments.records import records
from assessments.views.common import bad_request_page, period_from, picker, stamp
from core.excel.workbook import xlsx_response
from registry.views.mixins import role_required

BY = {"unit": "责任单位", "leader": "分包领导"}


def _context(request):
    period = period_from(request)
    year, month = period.year, period.month
    by = request.GET.get("by") or "unit"
    if by not in BY:
        raise BadRequest("对象只能是责任单位或分包领导")
    projects = metrics.scoped_projects(request.user, year, request.GET, as_of=period.end)
    return period, by, records(projects, year, month, by=by)


@require_GET
@role_required()
@bad_request_page
def record_page(request):
    period, by, recs = _context(request)
    year, month = period.year, period.month
    months = list(range(1, month + 1))
    for rec in recs:
        rec.lagging_by_month = [rec.monthly.get(m, {}).get("lagging", 0) for m in months]
    return render(
        request,
        "assessments/records.html",
        {
            "year": year,
            "month": month,
            "by": by,
            "by_label": BY[by],
            "picker": picker(request, period),
            "records": recs,
            "months": months,
            "negatives": [(r, e) for r in recs for e in r.negatives],
            "stored": [(r, e) for r in recs for e in r.entries],
        },
    )


@require_GET
@role_required()
@bad_request_page
def negative_export(request):
    period, by, recs = _context(request)
    year, month = period.year, period.month
    data = exports.negatives_workbook(recs, BY[by], f"{year}年负面清单（{BY[by]}，截至{month}月）")
    return xlsx_response(data, f"负面清单-{year}-{stamp()}.xlsx")
