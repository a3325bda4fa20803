"""The home dashboard: every figure from assessments.metrics (the one source of numbers)."""

from django.shortcuts import render

from assessments import metrics, selectors
from assessments.choices import STATUS_COLOUR
from assessments.facts import month_end
from assessments.views.common import bad_request_page, month_from, year_from
from milestones.views.home import reporter_home
from registry.choices import Role
from registry.roles import role_of
from registry.selectors import leader_home_projects
from registry.views.mixins import role_required


@role_required()
@bad_request_page
def home(request):
    # A reporter's first page is their work, not the leaders' dashboard (issue 13 item 7).
    if role_of(request.user) == Role.REPORTER:
        return reporter_home(request)
    year = year_from(request)
    month = month_from(request, selectors.default_month(year))
    projects = metrics.scoped_projects(
        request.user, year, request.GET, as_of=month_end(year, month)
    )
    dash = metrics.dashboard(projects, year, month)
    live_month = selectors.default_live_month(year)
    as_of = selectors.live_as_of(year, live_month)
    # The 三督 cards look at today: the list as it stands on their day.
    live = metrics.scoped_projects(request.user, year, request.GET, as_of=as_of)
    supervision = selectors.supervision_counts(live, year, live_month, as_of)
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
        "assessments/home.html",
        {
            "year": year,
            "month": month,
            "dash": dash,
            "totals": dash.totals,
            "statuses": statuses,
            "supervision": supervision,
            "as_of": as_of,
            "chart": chart,
            "mine": leader_home_projects(user=request.user, year=year),
        },
    )
