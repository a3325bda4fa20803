"""Scores and ranks of 县区 and units for a month, quarter, year or 1–M月累计 (SPEC §3.3, §3.8).

Out of 100 with the rule set's weights (defaults): investment completion vs time progress
40 × min(1, R/T); start rate of projects due to start 20; milestones achieved on time 20;
reports submitted on time 10; problems resolved by their deadline 10; minus 2 per 滞后
project at the period's last month (floor 0). A component with nothing to judge (no project
due to start, no milestone due…) scores full marks. Ranked by score, ties broken by the
investment completion rate; the first is on the 红榜, the last on the 黑榜 (`boards`: only
with three or more ranked, never one unit on both). Within one county, "by region" ranks
its towns (乡镇, and the county's own projects as 本级), not the county against itself.

Reads a fixed number of queries (leaves via metrics.load_leaves, then milestones, reports
and problems of the period), then pure Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.choices import Status
from assessments.metrics import load_leaves
from assessments.services import active_rules
from core.cache import cached
from core.periods import Period, as_of
from milestones.choices import ProblemStatus
from milestones.models import Milestone, Problem, ProgressReport, default_deadline
from registry.choices import RegionLevel
from registry.models import Leader, Region, Unit

CENT = Decimal("0.01")
COMPONENTS = [
    ("investment", "投资完成"),
    ("start", "开工率"),
    ("milestone", "节点按期"),
    ("report", "按时报送"),
    ("problem", "问题按期解决"),
]


def _dec(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Tally:
    """What one region or unit did in the period (filled from the loaded rows)."""

    plan: Decimal = Decimal(0)
    ytd: Decimal = Decimal(0)
    due_starts: int = 0
    started: int = 0
    milestones_due: int = 0
    milestones_on_time: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    problems_due: int = 0
    problems_on_time: int = 0
    lagging: int = 0


@dataclass
class ScoreRow:
    key: int
    name: str
    tally: Tally
    components: dict = field(default_factory=dict)
    penalty: Decimal = Decimal(0)
    score: Decimal = Decimal(0)
    completion_rate: Decimal | None = None
    rank: int = 0
    board: str = ""  # "红榜" | "黑榜" | ""


SUBJECTS = {"region": "县区", "town": "乡镇（街道）", "unit": "责任单位", "leader": "领导"}
BOARD_MIN = 3  # fewer ranked than this: the first and the last are no 红榜/黑榜


def boards(rows: list[ScoreRow]) -> None:
    """Mark the 红榜 (first) and 黑榜 (last) of ranked rows: none with fewer than BOARD_MIN
    rows, nor when the first and the last cannot be told apart (same score and rate)."""
    for row in rows:
        row.board = ""
    if len(rows) < BOARD_MIN:
        return
    first, last = rows[0], rows[-1]
    if (first.score, first.completion_rate) == (last.score, last.completion_rate):
        return
    first.board, last.board = "红榜", "黑榜"


def ranked_by(projects, by: str, year: int, month: int) -> str:
    """What a ranking "by region" ranks: the 县区, or a single county's towns."""
    if by != "region":
        return by
    counties = {leaf.county_id for leaf in load_leaves(projects, year, month)}
    return "town" if len(counties) == 1 else "region"


def subject(projects, period: Period, by: str) -> str:
    """The heading's word for what `scores(projects, period, by)` ranks (县区, 乡镇…)."""
    return SUBJECTS[ranked_by(projects, by, period.year, period.last_month)]


def _share(done, due) -> Fraction:
    return Fraction(1) if not due else Fraction(done, due)


def score_tally(t: Tally, month: int, rules) -> tuple[dict, Decimal, Decimal, Decimal | None]:
    """Pure: components, penalty, score and completion rate of one tally."""
    time = Fraction(month, 12)
    r = Fraction(t.ytd) / Fraction(t.plan) if t.plan else None
    invest = Fraction(1) if r is None else min(Fraction(1), r / time)
    parts = {
        "investment": Fraction(rules.weight_investment) * invest,
        "start": Fraction(rules.weight_start) * _share(t.started, t.due_starts),
        "milestone": Fraction(rules.weight_milestone)
        * _share(t.milestones_on_time, t.milestones_due),
        "report": Fraction(rules.weight_report) * _share(t.reports_on_time, t.reports_due),
        "problem": Fraction(rules.weight_problem) * _share(t.problems_on_time, t.problems_due),
    }
    penalty = Fraction(rules.lag_penalty) * t.lagging
    score = max(Fraction(0), sum(parts.values()) - penalty)
    rate = None if r is None else _dec(r * 100)
    return {k: _dec(v) for k, v in parts.items()}, _dec(penalty), _dec(score), rate


def _on_time(year: int, months: list[int]) -> Q:
    """First submitted by the end of the deadline day (the 5th of the next month, local)."""
    q = Q(pk__in=[])
    for m in months:
        cutoff = datetime.datetime.combine(
            default_deadline(year, m) + datetime.timedelta(days=1), datetime.time.min
        )
        q |= Q(month=m, first_submitted_at__lt=timezone.make_aware(cutoff))
    return q


def _tallies(projects, period: Period, by: str) -> dict:
    """Per region or unit: the period's counts, from a fixed number of queries."""
    year, last = period.year, period.last_month
    # a period still running is counted up to today (SPEC §3.8), never a day to come
    start, end = datetime.date(year, period.months[0], 1), as_of(year, last)
    leaves = load_leaves(projects, year, last)
    attr = {"region": "county_id", "town": "region_id", "unit": "unit_id", "leader": "leader_id"}[
        by
    ]
    key_of = {leaf.id: getattr(leaf, attr) for leaf in leaves if getattr(leaf, attr)}
    leaves = [leaf for leaf in leaves if leaf.id in key_of]
    tallies = defaultdict(Tally)
    for leaf in leaves:
        t = tallies[key_of[leaf.id]]
        t.plan += leaf.plan
        t.ytd += leaf.ytd
        t.lagging += leaf.status == Status.LAGGING
        t.reports_due += len(period.months)
        if leaf.plan_start and leaf.due_start and leaf.due_start <= end:
            t.due_starts += 1
            t.started += leaf.started_on is not None
    # Counted per project in SQL: a year holds ~10 reports per project, so the rows
    # never come to Python (one aggregate row per project instead).
    ids = projects.filter(is_package=False).values("pk")
    for row in (
        Milestone.objects.filter(project_id__in=ids, planned_on__gte=start, planned_on__lte=end)
        .values("project_id")
        .annotate(due=Count("pk"), done=Count("pk", filter=Q(actual_on__lte=F("planned_on"))))
    ):
        if row["project_id"] in key_of:
            t = tallies[key_of[row["project_id"]]]
            t.milestones_due += row["due"]
            t.milestones_on_time += row["done"]
    for row in (
        ProgressReport.objects.filter(project_id__in=ids, year=year, month__in=period.months)
        .values("project_id")
        .annotate(done=Count("pk", filter=_on_time(year, period.months)))
    ):
        if row["project_id"] in key_of:
            tallies[key_of[row["project_id"]]].reports_on_time += row["done"]
    resolved_in_time = Q(status=ProblemStatus.RESOLVED, resolved_on__lte=F("deadline"))
    for row in (
        Problem.objects.filter(project_id__in=ids, deadline__gte=start, deadline__lte=end)
        .values("project_id")
        .annotate(due=Count("pk"), done=Count("pk", filter=resolved_in_time))
    ):
        if row["project_id"] in key_of:
            t = tallies[key_of[row["project_id"]]]
            t.problems_due += row["due"]
            t.problems_on_time += row["done"]
    return tallies


def scores(projects, period: Period, by: str = "region") -> list[ScoreRow]:
    """Scored and ranked rows (kept in the figure cache: a city's tallies take a second)."""
    return cached(
        "scores-with-boards",
        projects,
        period.year,
        period.last_month,
        _scores,
        period=period,
        by=by,
    )


def _scores(projects, _year, _month, *, period: Period, by: str) -> list[ScoreRow]:
    """Scored and ranked rows of the regions (县区), units or leaders of `projects`."""
    rules = active_rules(period.year)
    by = ranked_by(projects, by, period.year, period.last_month)
    tallies = _tallies(projects, period, by)
    model = {"region": Region, "town": Region, "unit": Unit, "leader": Leader}[by]
    names = dict(model.objects.filter(pk__in=list(tallies)).values_list("pk", "name"))
    if by == "town":
        # The county's own projects (not in a town) rank as its 本级.
        names.update(
            (pk, f"{name}本级")
            for pk, name in Region.objects.filter(
                pk__in=list(tallies), level=RegionLevel.COUNTY
            ).values_list("pk", "name")
        )
    rows = []
    for key, t in tallies.items():
        parts, penalty, score, rate = score_tally(t, period.last_month, rules)
        rows.append(ScoreRow(key, names[key], t, parts, penalty, score, rate))
    rows.sort(key=lambda r: (-r.score, -(r.completion_rate or 0), r.name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    boards(rows)
    return rows
