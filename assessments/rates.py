"""五率 and start-rate targets by level (SPEC §3.3), for a scope and a period.

签约项目备案率 = filed ÷ signed; 备案项目开工率 = started ÷ filed (signed projects of the
pipeline not yet on a list count with their 签约/备案 dates, SPEC §3.9); 开工项目投资完成率 =
year-to-date completed ÷ annual plan of started projects; 竣工项目投产率 = operating ÷
completed; 达效率 = at capacity ÷ operating. Each counts leaves whose date is on or before
the period's end. Start targets: 省重点 85% and 市重大产业 75% of this year's planned starts
started by 30 June; all of them by 30 September (defaults in the rule set).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from assessments import metrics
from assessments.facts import month_end
from assessments.metrics import load_leaves
from assessments.services import active_rules
from core.cache import cached
from core.periods import Period, as_of
from pipeline.selectors import signing_rows
from registry.choices import ProjectLevel

MAJOR_PROGRAM = "市重大产业项目"


@dataclass
class Rate:
    label: str
    numerator: object
    denominator: object
    value: Decimal | None


def _by(day, end):
    return day is not None and day <= end


def five_rates(projects, period: Period) -> list[Rate]:
    """五率 of the period (kept in the figure cache)."""
    return cached(
        "five-rates", projects, period.year, period.last_month, _five_rates, period=period
    )


def _five_rates(projects, _year, _month, *, period: Period) -> list[Rate]:
    year, end = period.year, month_end(period.year, period.last_month)
    leaves = {leaf.id: leaf for leaf in load_leaves(projects, year, period.last_month)}
    dates = projects.filter(pk__in=list(leaves)).values(
        "pk", "signed_on", "filed_on", "started_on", "completed_on", "operating_on", "capacity_on"
    )
    signed = filed = filed_of_signed = started_of_filed = 0
    completed = operating_of_completed = operating = capacity_of_operating = 0
    plan = ytd = Decimal(0)
    for d in dates:
        is_filed, is_started = _by(d["filed_on"], end), _by(d["started_on"], end)
        is_completed, is_operating = _by(d["completed_on"], end), _by(d["operating_on"], end)
        if _by(d["signed_on"], end):
            signed += 1
            filed_of_signed += is_filed
        if is_filed:
            filed += 1
            started_of_filed += is_started
        if is_started:
            plan += leaves[d["pk"]].plan
            ytd += leaves[d["pk"]].ytd
        if is_completed:
            completed += 1
            operating_of_completed += is_operating
        if is_operating:
            operating += 1
            capacity_of_operating += _by(d["capacity_on"], end)
    # Signed pipeline projects not yet on a list (SPEC §3.9) count as signed and filed too.
    for d in signing_rows(projects):
        if _by(d["signed_on"], end):
            signed += 1
            is_filed = _by(d["filed_on"], end)
            filed_of_signed += is_filed
            filed += is_filed
    return [
        Rate("签约项目备案率", filed_of_signed, signed, metrics.rate(filed_of_signed, signed)),
        Rate("备案项目开工率", started_of_filed, filed, metrics.rate(started_of_filed, filed)),
        Rate("开工项目投资完成率", ytd, plan, metrics.rate(ytd, plan)),
        Rate(
            "竣工项目投产率",
            operating_of_completed,
            completed,
            metrics.rate(operating_of_completed, completed),
        ),
        Rate(
            "达效率",
            capacity_of_operating,
            operating,
            metrics.rate(capacity_of_operating, operating),
        ),
    ]


@dataclass
class StartTarget:
    label: str
    deadline: datetime.date
    target: Decimal
    planned: int
    started: int
    rate: Decimal | None
    gap: Decimal | None  # rate − target, percentage points


def start_targets(projects, period: Period) -> list[StartTarget]:
    """Start rates against the targets (kept in the figure cache)."""
    return cached(
        "targets", projects, period.year, period.last_month, _start_targets, period=period
    )


def _start_targets(projects, _year, _month, *, period: Period) -> list[StartTarget]:
    """Start rate of this year's planned starts by each target date (or the period's end,
    if earlier), against the rule set's target."""
    rules = active_rules(period.year)
    year = period.year
    end = as_of(year, period.last_month)  # never a day still to come (SPEC §3.8)
    leaves = [x for x in load_leaves(projects, year, 12) if x.plan_start]
    major = set(
        projects.filter(programs__name=MAJOR_PROGRAM, pk__in=[x.id for x in leaves]).values_list(
            "pk", flat=True
        )
    )
    groups = [
        ("省重点", datetime.date(year, 6, 30), rules.start_target_province,
         [x for x in leaves if x.level == ProjectLevel.PROVINCE]),
        ("市重大产业项目", datetime.date(year, 6, 30), rules.start_target_major,
         [x for x in leaves if x.id in major]),
        ("全部计划开工项目", datetime.date(year, 9, 30), rules.start_target_all, leaves),
    ]  # fmt: skip
    out = []
    for label, deadline, target, group in groups:
        by = min(deadline, end)
        started = sum(1 for x in group if x.started_on and x.started_on <= by)
        rate = metrics.rate(started, len(group))
        gap = None if rate is None else rate - target
        out.append(StartTarget(label, deadline, target, len(group), started, rate, gap))
    return out
