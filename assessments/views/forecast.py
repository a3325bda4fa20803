"""The forecast page: expected year-end 完成率 by 县区 with its basis, and the projects likely
to lag next month with their reasons; an xlsx of both."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import exports, forecast, metrics, selectors
from assessments.views.common import (
    bad_request_page,
    period_from,
    picker,
    stamp,
)
from core.excel.workbook import xlsx_response
from registry.views.mixins import querystring, role_required


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


@require_GET
@role_required()
@bad_request_page
def forecast_export(request):
    ctx = _context(request)
    year, month = ctx["year"], ctx["month"]
    risks = selectors.attach_projects(ctx["at_risk"], ctx["projects"])
    data = exports.forecast_workbook(ctx["outlook"], risks, year, month)
    return xlsx_response(data, f"预计年末完成率-{year}-{month}-{stamp()}.xlsx")
