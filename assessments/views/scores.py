"""Scores and ranks (红榜/黑榜) with every component, 五率 and start targets, for a period."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import exports, metrics
from assessments.four_compare import PARTS as FOUR_PARTS
from assessments.four_compare import four_compare
from assessments.rates import five_rates, start_targets
from assessments.scoring import COMPONENTS, scores, subject
from assessments.views.common import bad_request_page, period_from, picker, stamp
from core.excel.workbook import xlsx_response
from registry.views.mixins import role_required

SCORE_KINDS = ("month", "ytd", "quarter", "year")


def _period(request):
    """The score period (SPEC §3.8: month, 1–M月累计, quarter, year; the last closed month by
    default), with whether it is provisional."""
    return period_from(request, allow=SCORE_KINDS)


def _by(request):
    by = request.GET.get("by") or "region"
    if by not in ("region", "unit"):
        raise BadRequest("排名对象只能是县区或单位")
    return by


def _scored(request):
    """(the period asked for, by what, the scoped projects, their scored rows)."""
    resolved, by = _period(request), _by(request)
    period = resolved.period
    projects = metrics.scoped_projects(request.user, period.year, request.GET, as_of=period.end)
    return resolved, by, projects, scores(projects, period, by=by)


@require_GET
@role_required()
@bad_request_page
def score_page(request):
    resolved, by, projects, rows = _scored(request)
    period = resolved.period
    return render(
        request,
        "assessments/scores.html",
        {
            "period": period,
            "picker": picker(request, resolved, SCORE_KINDS),
            "by": by,
            "subject": subject(projects, period, by),
            "rows": rows,
            "boards": [r for r in rows if r.board],
            "components": COMPONENTS,
            "rates": five_rates(projects, period),
            "targets": start_targets(projects, period),
            "four": four_compare(projects, period),
            "four_parts": FOUR_PARTS,
        },
    )


@require_GET
@role_required()
@bad_request_page
def score_export(request):
    resolved, by, projects, rows = _scored(request)
    period = resolved.period
    what = subject(projects, period, by)
    state = f" {resolved.state}" if resolved.provisional else ""
    data = exports.scores_workbook(rows, what, f"{period.label}{what}得分排名{state}")
    return xlsx_response(data, f"{what}得分排名-{period}-{stamp()}.xlsx")
