"""The one source of numbers (issue 9): every figure pages, exports, the API and reports show.

Input: a queryset of projects already scoped to the user and filtered (see
`scoped_projects`) and a period (year, month). The counting rule of SPEC §3.1 holds
everywhere: money and progress are summed over leaves (stand-alone projects and
sub-projects) only; "N项" counts a package once; "拆分后共M项" counts leaves.

The leaves are read in a fixed number of queries and aggregated in Python, so the totals,
the by-region table and the by-nature/by-level breakdowns are the same sums of the same rows.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from assessments.choices import STATUS_ORDER, Status
from assessments.facts import month_end
from assessments.models import ProjectMonthStatus
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from registry.cache import cached
from registry.choices import Nature, ProjectLevel
from registry.filter_fields import filtered
from registry.filtersets import ProjectFilterSet
from registry.models import AnnualPlan, Region, Unit
from registry.scoping import visible_projects
from registry.selectors import county_of, year_list

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def scoped_projects(user, year: int, data=None, *, as_of=None):
    """Projects on year `year`'s list visible to `user`, narrowed by the ledger FilterSet
    (region/unit/leader/level/category/…), as on the list: an id outside the user's choices
    gives no rows, a malformed value BadRequest (registry.filter_fields). `as_of`: the
    period's last day, for the list as it stood then (SPEC §3.8); every figure of a period
    passes it, so a later 增补/退库 never changes a period that has ended."""
    base = year_list(year, visible_projects(user), as_of=as_of)
    if not data:
        return base
    data = data.copy()
    data.pop("year", None)  # the year is the list's, not a filter on Project.year
    fs = ProjectFilterSet(data, queryset=base, user=user)
    return filtered(fs)


@dataclass
class Leaf:
    id: int
    top_id: int  # the package for a sub-project, else itself: what "N项" counts
    county_id: int
    unit_id: int
    leader_id: int | None
    nature: str
    level: str
    total: Decimal
    plan: Decimal = ZERO
    plan_start: bool = False
    plan_finish: bool = False
    due_start: datetime.date | None = None
    started_on: datetime.date | None = None
    ytd: Decimal = ZERO
    ytd_month: int = 0  # the month whose approved report gave `ytd` (0: none yet)
    resumed: bool = False
    status: str | None = None
    region_id: int | None = None  # the project's own region (a town or the county itself)


def load_leaves(projects, year: int, month: int) -> list[Leaf]:
    """Leaf rows of `projects` with their plan, approved YTD and status (5 queries, or none
    when registry.cache has them)."""
    return cached("leaves", projects, year, month, _load_leaves)


def _load_leaves(projects, year: int, month: int) -> list[Leaf]:
    leaves_qs = projects.filter(is_package=False)
    ids = leaves_qs.values("pk")
    as_of = month_end(year, month)
    leaves = {}
    for p in leaves_qs.annotate(county_id=county_of()).values(
        "pk",
        "package_id",
        "region_id",
        "county_id",
        "unit_id",
        "leader_id",
        "nature",
        "level",
        "total_investment",
        "planned_start",
        "started_on",
    ):
        started = p["started_on"] if p["started_on"] and p["started_on"] <= as_of else None
        leaves[p["pk"]] = Leaf(
            id=p["pk"],
            top_id=p["package_id"] or p["pk"],
            county_id=p["county_id"],
            region_id=p["region_id"],
            unit_id=p["unit_id"],
            leader_id=p["leader_id"],
            nature=p["nature"],
            level=p["level"],
            total=p["total_investment"],
            due_start=p["planned_start"],
            started_on=started,
        )
    for a in AnnualPlan.objects.filter(year=year, project_id__in=ids).values(
        "project_id", "planned_investment", "plan_start", "plan_finish", "target_start"
    ):
        leaf = leaves[a["project_id"]]
        leaf.plan, leaf.plan_start, leaf.plan_finish = (
            a["planned_investment"],
            a["plan_start"],
            a["plan_finish"],
        )
        leaf.due_start = a["target_start"] or leaf.due_start
    approved = ProgressReport.objects.filter(
        year=year, month__lte=month, status=ReportStatus.APPROVED, project_id__in=ids
    ).order_by()
    for r in _latest_per_project(approved).values("project_id", "month", "invested_ytd"):
        leaf = leaves[r["project_id"]]
        if r["month"] > leaf.ytd_month:
            leaf.ytd, leaf.ytd_month = r["invested_ytd"], r["month"]
    for pk in approved.filter(is_resumed=True).values_list("project_id", flat=True).distinct():
        leaves[pk].resumed = True
    for s in ProjectMonthStatus.objects.filter(year=year, month=month, project_id__in=ids).values(
        "project_id", "status"
    ):
        leaves[s["project_id"]].status = s["status"]
    return list(leaves.values())


def _latest_per_project(approved):
    """Each project's latest approved report up to month M.

    Year-to-date is the latest approved cumulative figure, not only month M's: a project
    finished in August stops reporting, and one whose October is still 未报 has still completed
    what its September report says; counting either as 0 would understate 1-M月累计完成.
    PostgreSQL keeps one row per project in one sorted pass (DISTINCT ON); elsewhere every
    month comes back and the caller keeps the latest.
    """
    if connection.features.can_distinct_on_fields:
        return approved.order_by("project_id", "-month").distinct("project_id")
    return approved


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def rate(part, whole) -> Decimal | None:
    """part ÷ whole in %, to the cent, half up (None when whole is 0): every rate shown."""
    return _rate(part, whole)


@dataclass
class Figures:
    """Every figure of one group of leaves (the whole scope, a region, a nature, a level)."""

    count: int = 0
    split_count: int = 0
    total_investment: Decimal = ZERO
    annual_plan: Decimal = ZERO
    ytd: Decimal = ZERO
    completion_rate: Decimal | None = None  # %
    time_progress: Decimal | None = None  # %, month/12 as bulletins print it
    gap: Decimal | None = None  # percentage points
    planned_starts: int = 0  # leaves planned to start this year
    planned_starts_to_date: int = 0  # … whose planned date has come by the month's end
    started: int = 0  # of the planned starts, started by the month's end
    started_early: int = 0  # started before their planned date
    missed: int = 0  # planned date passed, not started (未按计划开工)
    start_rate: Decimal | None = None  # started ÷ planned starts of the year, %
    new_projects: int = 0
    new_started: int = 0
    continuing: int = 0
    continuing_resumed: int = 0
    resumption_rate: Decimal | None = None  # 开复工率, %
    status_counts: dict = field(default_factory=dict)

    @property
    def new_unstarted(self) -> int:
        """新开工 leaves not started by the month's end (the bulletins' 未开工项目)."""
        return self.new_projects - self.new_started


def figures(leaves: list[Leaf], year: int, month: int) -> Figures:
    as_of = month_end(year, month)
    f = Figures()
    f.count = len({leaf.top_id for leaf in leaves})
    f.split_count = len(leaves)
    f.total_investment = sum((leaf.total for leaf in leaves), ZERO)
    f.annual_plan = sum((leaf.plan for leaf in leaves), ZERO)
    f.ytd = sum((leaf.ytd for leaf in leaves), ZERO)
    f.completion_rate = _rate(f.ytd, f.annual_plan)
    f.time_progress = _rate(month, 12)
    if f.completion_rate is not None:
        f.gap = f.completion_rate - f.time_progress
    for leaf in leaves:
        if not leaf.plan_start:
            continue
        f.planned_starts += 1
        due = leaf.due_start is not None and leaf.due_start <= as_of
        f.planned_starts_to_date += due
        if leaf.started_on:
            f.started += 1
            f.started_early += bool(leaf.due_start and leaf.started_on < leaf.due_start)
        elif due:
            f.missed += 1
    f.start_rate = _rate(f.started, f.planned_starts)
    new = [leaf for leaf in leaves if leaf.nature == Nature.NEW]
    cont = [leaf for leaf in leaves if leaf.nature == Nature.CONTINUING]
    f.new_projects, f.continuing = len(new), len(cont)
    f.new_started = sum(1 for leaf in new if leaf.started_on)
    f.continuing_resumed = sum(1 for leaf in cont if leaf.resumed)
    f.resumption_rate = _rate(f.new_started + f.continuing_resumed, len(new) + len(cont))
    counts = Counter(leaf.status for leaf in leaves)
    f.status_counts = {s: counts.get(s, 0) for s in STATUS_ORDER}
    return f


def _grouped(leaves, key):
    groups = defaultdict(list)
    for leaf in leaves:
        groups[key(leaf)].append(leaf)
    return groups


def _by_place(leaves, year, month, key) -> list[dict]:
    groups = _grouped(leaves, key)
    regions = Region.objects.in_bulk(list(groups))
    rows = [
        {"region": regions[rid], "figures": figures(group, year, month)}
        for rid, group in groups.items()
    ]
    return sorted(rows, key=lambda r: r["region"].code)


def by_region(leaves, year, month) -> list[dict]:
    """Figures per 县区 (towns roll up), ordered by region code."""
    return _by_place(leaves, year, month, lambda leaf: leaf.county_id)


def by_town(leaves, year, month) -> list[dict]:
    """Figures per region the projects sit in (a county's towns, and the county itself for
    projects of the county as a whole), for a county's own breakdown; by region code."""
    return _by_place(leaves, year, month, lambda leaf: leaf.region_id)


def by_unit(leaves, year, month) -> list[dict]:
    """Figures per 责任单位, ordered by unit name (a leaf without a unit under None)."""
    groups = _grouped(leaves, lambda leaf: leaf.unit_id)
    units = Unit.objects.in_bulk([k for k in groups if k is not None])
    rows = [
        {"unit": units.get(uid), "figures": figures(group, year, month)}
        for uid, group in groups.items()
    ]
    return sorted(rows, key=lambda r: (r["unit"] is None, r["unit"].name if r["unit"] else ""))


NATURE_GROUPS = [
    ("新开工", lambda leaf: leaf.nature == Nature.NEW),
    ("续建", lambda leaf: leaf.nature == Nature.CONTINUING),
    ("计划竣工投产", lambda leaf: leaf.plan_finish),
]


def by_nature(leaves, year, month) -> list[dict]:
    return [
        {"label": label, "figures": figures([x for x in leaves if pick(x)], year, month)}
        for label, pick in NATURE_GROUPS
    ]


def by_level(leaves, year, month) -> list[dict]:
    return [
        {"label": label, "figures": figures([x for x in leaves if x.level == value], year, month)}
        for value, label in ProjectLevel.choices
    ]


LEVEL_TIERS = [
    ("省、市重点", (ProjectLevel.PROVINCE, ProjectLevel.CITY)),
    ("县区重点", (ProjectLevel.COUNTY,)),
]


def by_tier(leaves, year, month) -> list[dict]:
    """Province and city projects together against county projects, as bulletins compare
    them with the time progress ("列入省、市重点项目…高于序时进度…；县重点项目…低于…")."""
    return [
        {"label": label, "figures": figures([x for x in leaves if x.level in levels], year, month)}
        for label, levels in LEVEL_TIERS
    ]


@dataclass
class YearOnYear:
    change: Decimal  # 万元, this year's YTD − last year's YTD for the same months
    rate: Decimal | None  # %, change ÷ last year's YTD (None when last year did nothing)


def year_on_year(current: Figures, previous: Figures) -> YearOnYear:
    """Completed investment against the same months of the year before."""
    change = current.ytd - previous.ytd
    return YearOnYear(change=change, rate=_rate(change, previous.ytd))


@dataclass
class Dashboard:
    year: int
    month: int
    totals: Figures
    regions: list
    natures: list
    levels: list

    @property
    def paragraph(self) -> str:
        return summary_paragraph(self.totals, self.year, self.month)


def totals(projects, year: int, month: int) -> Figures:
    """The scope's figures (the ledger list's header and the export's 合计 row)."""
    return cached("totals", projects, year, month, _totals)


def _totals(projects, year: int, month: int) -> Figures:
    return figures(load_leaves(projects, year, month), year, month)


def dashboard(projects, year: int, month: int) -> Dashboard:
    return cached("dashboard", projects, year, month, _dashboard)


def _dashboard(projects, year: int, month: int) -> Dashboard:
    leaves = load_leaves(projects, year, month)
    return Dashboard(
        year=year,
        month=month,
        totals=figures(leaves, year, month),
        regions=by_region(leaves, year, month),
        natures=by_nature(leaves, year, month),
        levels=by_level(leaves, year, month),
    )


def yi(value: Decimal, places: str = "0.01") -> Decimal:
    """万元 → 亿元."""
    return (value / 10000).quantize(Decimal(places), ROUND_HALF_UP)


def _yi(value: Decimal) -> str:
    return str(yi(value, "0.1"))


def _one(value: Decimal) -> str:
    """One decimal, rounded half up as the pages' `pct` filter rounds (41.25 → 41.3)."""
    return str(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


def summary_paragraph(f: Figures, year: int, month: int) -> str:
    """The standard summary paragraph DRCs publish (SPEC §3.4), from the figures."""
    split = f"（打包项目拆分后共{f.split_count}项）" if f.split_count != f.count else ""
    text = (
        f"今年重点建设项目{f.count}项{split}，项目总投资{_yi(f.total_investment)}亿元，"
        f"年度投资计划{_yi(f.annual_plan)}亿元。"
    )
    span = "1月" if month == 1 else f"1-{month}月"
    if f.completion_rate is not None:
        gap = f.gap or Decimal(0)
        word = "超过" if gap >= 0 else "低于"
        text += (
            f"{span}累计完成投资{_yi(f.ytd)}亿元，占年度投资计划的{_one(f.completion_rate)}%，"
            f"{word}时间进度{_one(abs(gap))}个百分点。"
        )
    if f.planned_starts:
        text += (
            f"本年度计划开工项目{f.planned_starts}项（其中{span}计划开工{f.planned_starts_to_date}项），"
            f"实际已开工{f.started}项，完成年度计划开工的{_one(f.start_rate)}%。"
        )
    return text


def status_label_counts(f: Figures) -> list[tuple[str, str, int]]:
    labels = dict(Status.choices)
    return [(s, labels[s], f.status_counts.get(s, 0)) for s in STATUS_ORDER]
