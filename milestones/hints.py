"""What a reviewer should look at twice before approving a monthly report.

Hints are computed for a whole page of the review queue in two queries (the projects'
earlier reports and their annual plans), and for one report on its page the same way, so
the queue and the report page always agree.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.selectors import report_warnings
from registry.models import AnnualPlan

SPIKE_FACTOR = Decimal(3)
MIN_HISTORY = 2  # earlier months needed before an average means anything


@dataclass(frozen=True)
class Hint:
    short: str  # the badge in the queue
    text: str  # the sentence on the report page and in the badge's tooltip


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}万元"


def _spike(report, earlier) -> Hint | None:
    months = [r["invested_month"] for r in earlier if r["invested_month"] > 0]
    if len(months) < MIN_HISTORY or report.invested_month <= 0:
        return None
    average = sum(months, Decimal(0)) / len(months)
    if report.invested_month <= SPIKE_FACTOR * average:
        return None
    times = (report.invested_month / average).quantize(Decimal("0.1"))
    return Hint(
        "本月异常偏高",
        f"本月完成投资 {_fmt(report.invested_month)}，是该项目以往月均 {_fmt(average)}的"
        f" {times} 倍，请核实",
    )


def _over_plan(report, plan) -> Hint | None:
    if plan is None or plan <= 0 or report.invested_ytd <= plan:
        return None
    return Hint(
        "超年度计划",
        f"本年累计完成投资 {_fmt(report.invested_ytd)} 超过年度计划投资 {_fmt(plan)}，请核实",
    )


def _over_total(report) -> Hint | None:
    total = report.project.total_investment
    done = max(report.invested_total, report.invested_ytd)
    if total <= 0 or done <= total:
        return None
    return Hint("超总投资", f"累计完成投资 {_fmt(done)} 超过项目总投资 {_fmt(total)}，请核实")


def _going_down(report, previous) -> Hint | None:
    if previous is None:
        return None
    same_year = previous["year"] == report.year
    if same_year and report.invested_ytd < previous["invested_ytd"]:
        return Hint(
            "累计数减少",
            f"本年累计 {_fmt(report.invested_ytd)} 少于上月的 {_fmt(previous['invested_ytd'])}"
            "，累计数不应减少",
        )
    if 0 < report.invested_total < previous["invested_total"]:
        return Hint(
            "累计数减少",
            f"自开工累计 {_fmt(report.invested_total)} 少于上月的"
            f" {_fmt(previous['invested_total'])}，累计数不应减少",
        )
    return None


def report_hints(reports) -> dict[int, list[Hint]]:
    """Hints per report id for `reports` (each with its project loaded)."""
    reports = list(reports)
    if not reports:
        return {}
    project_ids = {r.project_id for r in reports}
    history = defaultdict(list)
    rows = (
        ProgressReport.objects.filter(project_id__in=project_ids, status=ReportStatus.APPROVED)
        .order_by()
        .values(
            "id", "project_id", "year", "month", "invested_month", "invested_ytd", "invested_total"
        )
    )
    for row in rows:
        history[row["project_id"]].append(row)
    plans = {
        (p["project_id"], p["year"]): p["planned_investment"]
        for p in AnnualPlan.objects.filter(project_id__in=project_ids)
        .order_by()
        .values("project_id", "year", "planned_investment")
    }
    return {r.pk: _hints_for(r, history[r.project_id], plans) for r in reports}


def _hints_for(report, history, plans) -> list[Hint]:
    period = (report.year, report.month)
    earlier = sorted(
        (h for h in history if (h["year"], h["month"]) < period and h["id"] != report.pk),
        key=lambda h: (h["year"], h["month"]),
    )
    previous = earlier[-1] if earlier else None
    found = [
        _spike(report, earlier),
        _over_plan(report, plans.get((report.project_id, report.year))),
        _over_total(report),
        _going_down(report, previous),
    ]
    hints = [h for h in found if h is not None]
    hints += [Hint("开工前填报投资", text) for text in report_warnings(report)]
    return hints
