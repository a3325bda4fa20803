"""Scores and ranks (红榜/黑榜) with every component, 五率 and start targets, for a period."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import metrics
from assessments.four_compare import PARTS as FOUR_PARTS
from assessments.four_compare import four_compare
from assessments.rates import five_rates, start_targets
from assessments.scoring import COMPONENTS, scores, subject
from assessments.views.common import bad_request_page, period_from, picker, stamp, xlsx_response
from registry.excel import writer
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


@require_GET
@role_required()
@bad_request_page
def score_page(request):
    resolved, by = _period(request), _by(request)
    period = resolved.period
    projects = metrics.scoped_projects(request.user, period.year, request.GET, as_of=period.end)
    rows = scores(projects, period, by=by)
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
    resolved, by = _period(request), _by(request)
    period = resolved.period
    projects = metrics.scoped_projects(request.user, period.year, request.GET, as_of=period.end)
    rows = scores(projects, period, by=by)
    what = subject(projects, period, by)
    state = f" {resolved.state}" if resolved.provisional else ""
    data = writer.write_table(
        title=f"{period.label}{what}得分排名{state}",
        sheet="排名",
        headers=["排名", what, *[f"{label}(分)" for _k, label in COMPONENTS], "扣分", "得分",
                 "投资完成率(%)", "榜单"],
        rows=[
            [r.rank, r.name, *[r.components[k] for k, _l in COMPONENTS], r.penalty, r.score,
             r.completion_rate, r.board]
            for r in rows
        ],
        widths={1: 28},
    )  # fmt: skip
    return xlsx_response(data, f"{what}得分排名-{period}-{stamp()}.xlsx")
