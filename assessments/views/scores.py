"""Scores and ranks (红榜/黑榜) with every component, 五率 and start targets, for a period."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import metrics, selectors
from assessments.rates import five_rates, start_targets
from assessments.scoring import COMPONENTS, scores, subject
from assessments.views.common import bad_request_page, stamp, xlsx_response
from registry.excel import writer
from registry.periods import PeriodError, parse_period, score_periods
from registry.views.mixins import role_required


def _period(request):
    raw = request.GET.get("period") or ""
    if not raw:
        from django.utils import timezone

        year = timezone.localdate().year
        return parse_period(f"{year}-{selectors.default_month(year):02d}")
    try:
        return parse_period(raw, allow=SCORE_PERIODS)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None


SCORE_PERIODS = ("month", "quarter", "year", "ytd")


def _by(request):
    by = request.GET.get("by") or "region"
    if by not in ("region", "unit"):
        raise BadRequest("排名对象只能是县区或单位")
    return by


@require_GET
@role_required()
@bad_request_page
def score_page(request):
    period, by = _period(request), _by(request)
    projects = metrics.scoped_projects(request.user, period.year, request.GET, as_of=period.end)
    rows = scores(projects, period, by=by)
    return render(
        request,
        "assessments/scores.html",
        {
            "period": period,
            "periods": score_periods(period.year),
            "by": by,
            "subject": subject(projects, period, by),
            "rows": rows,
            "boards": [r for r in rows if r.board],
            "components": COMPONENTS,
            "rates": five_rates(projects, period),
            "targets": start_targets(projects, period),
        },
    )


@require_GET
@role_required()
@bad_request_page
def score_export(request):
    period, by = _period(request), _by(request)
    projects = metrics.scoped_projects(request.user, period.year, request.GET, as_of=period.end)
    rows = scores(projects, period, by=by)
    what = subject(projects, period, by)
    data = writer.write_table(
        title=f"{period.label}{what}得分排名",
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
