"""The leaders' dashboard and its wall-display (大屏) mode.

The KPI cards are rendered from the same `metrics.dashboard` as the home page and the API;
the charts are drawn in the browser from /api/dashboard/charts/ (static/portal/dashboard.js)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import metrics, scoring
from assessments.charts import ranking_period
from assessments.choices import STATUS_COLOUR, Status
from assessments.models import ProjectMonthStatus
from assessments.views.common import bad_request_page, period_from, picker
from registry.selectors import MY_PROJECTS_SHOWN, leader_projects
from registry.views.mixins import role_required


def _my_projects(user, year, month):
    """我包保的项目 with their month's status light (one query for the statuses)."""
    projects = list(leader_projects(user=user, year=year)[:MY_PROJECTS_SHOWN])
    status = dict(
        ProjectMonthStatus.objects.filter(
            project__in=[p.pk for p in projects], year=year, month=month
        ).values_list("project_id", "status")
    )
    labels = dict(Status.choices)
    out = []
    for p in projects:
        value = status.get(p.pk)
        out.append((p, labels.get(value, "未评价"), STATUS_COLOUR.get(value, "grey")))
    return out


@require_GET
@role_required()
@bad_request_page
def dashboard(request, screen=False):
    period = period_from(request)
    year, month = period.year, period.month
    projects = metrics.scoped_projects(request.user, year, request.GET, as_of=period.end)
    dash = metrics.dashboard(projects, year, month)
    ranked = ranking_period(year, month)
    # The 大屏 is a page of its own (no navigation, one 1920×1080 screen), same figures.
    return render(
        request,
        "portal/screen.html" if screen else "portal/dashboard.html",
        {
            "year": year,
            "month": month,
            "picker": picker(request, period),
            "dash": dash,
            "totals": dash.totals,
            "screen": screen,
            "ranking_period": ranked,
            "ranking_subject": scoring.subject(projects, ranked, "region"),
            "my_projects": [] if screen else _my_projects(request.user, year, month),
        },
    )


def screen(request):
    return dashboard(request, screen=True)
