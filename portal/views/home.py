"""The home page: a reporter's work, everyone else's dashboard (every figure from
assessments.metrics, the one source of numbers)."""

from django.shortcuts import render

from assessments import metrics, selectors
from assessments.choices import STATUS_COLOUR
from assessments.views.common import bad_request_page, period_from, picker
from milestones.views.home import reporter_home
from registry.choices import Role
from registry.roles import role_of
from registry.selectors import leader_home_projects
from registry.views.mixins import role_required


@role_required()
@bad_request_page
def home(request):
    # A reporter's first page is their work, not the leaders' dashboard.
    if role_of(request.user) == Role.REPORTER:
        return reporter_home(request)
    period = period_from(request)
    year, month, as_of = period.year, period.month, period.as_of
    projects = metrics.scoped_projects(request.user, year, request.GET, as_of=period.end)
    dash = metrics.dashboard(projects, year, month)
    # The 三督 cards look at the period's as-of day: the list as it stands then.
    live = projects
    if as_of != period.end:
        live = metrics.scoped_projects(request.user, year, request.GET, as_of=as_of)
    supervision = selectors.supervision_counts(live, year, month, as_of)
    chart = {
        "names": [r["region"].name for r in dash.regions],
        "totals": [str(metrics.yi(r["figures"].total_investment)) for r in dash.regions],
    }
    statuses = [
        {"value": s, "label": label, "count": n, "colour": STATUS_COLOUR[s]}
        for s, label, n in metrics.status_label_counts(dash.totals)
    ]
    return render(
        request,
        "portal/home.html",
        {
            "year": year,
            "month": month,
            "picker": picker(request, period),
            "dash": dash,
            "totals": dash.totals,
            "statuses": statuses,
            "supervision": supervision,
            "as_of": as_of,
            "chart": chart,
            "mine": leader_home_projects(user=request.user, year=year),
        },
    )
