"""The one source of numbers: every figure pages, exports, the API and reports show.

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

from django.db.models import Sum

from assessments.choices import STATUS_ORDER, Status
from assessments.models import ProjectMonth
from assessments.project_months import in_scope
from core.cache import cached, memoised
from core.periods import as_of as period_as_of
from core.periods import time_fraction
from registry.choices import Nature, ProjectLevel
from registry.filter_fields import filtered
from registry.filtersets import ProjectFilterSet
from registry.models import Region, Unit
from registry.scoping import visible_projects
from registry.selectors import year_list

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
    # What "N项" files the leaf under: a sub-project counts once with its package, under the
    # package's own level, nature and region (SPEC §3.8), so a breakdown adds up to its total.
    top_level: str = ""
    top_nature: str = ""
    top_region_id: int | None = None
    top_county_id: int | None = None


def load_leaves(projects, year: int, month: int) -> list[Leaf]:
    """Leaf rows of `projects` with their plan, approved YTD and status: one query of the
    monthly fact table, made once per read-only request (core.cache.memoised). Not kept in
    the figure cache: unpickling a city's leaves costs more than reading them again."""
    return memoised("leaves", projects, year, month, _load_leaves)


# In Leaf's field order: a row is a Leaf's arguments.
_LEAF_FIELDS = (
    "project_id", "top_id", "county_id", "unit_id", "leader_id", "nature", "level",
    "total_investment", "plan", "plan_start", "plan_finish", "due_start", "started_on", "ytd",
    "ytd_month", "resumed", "status", "region_id", "top_level", "top_nature", "top_region_id",
    "top_county_id",
)  # fmt: skip


def _load_leaves(projects, year: int, month: int) -> list[Leaf]:
    """One query: the scope's rows of the monthly fact table (assessments.project_months)."""
    as_of = period_as_of(year, month)
    rows = ProjectMonth.objects.filter(in_scope(projects, year), month=month)
    leaves = [Leaf(*r) for r in rows.order_by("project__code").values_list(*_LEAF_FIELDS)]
    for leaf in leaves:
        leaf.status = leaf.status or None  # not judged yet
        # A start after the as-of day has not happened yet.
        if leaf.started_on is not None and leaf.started_on > as_of:
            leaf.started_on = None
    return leaves


def money_by_month(projects, year: int, last_month: int) -> list[tuple[int, "Figures"]]:
    """(month, Figures with the money, completion rate and time progress only) for January
    to `last_month` over the scope's leaves: one GROUP BY, whatever the number of months
    (the trends). Each month's figures equal `totals` of that month's."""
    rows = (
        ProjectMonth.objects.filter(in_scope(projects, year), month__lte=last_month)
        .values("month")
        .annotate(plan=Sum("plan"), ytd=Sum("ytd"))
        .order_by("month")
    )
    sums = {r["month"]: (r["plan"] or ZERO, r["ytd"] or ZERO) for r in rows}
    out = []
    for month in range(1, last_month + 1):
        f = Figures()
        f.annual_plan, f.ytd = sums.get(month, (ZERO, ZERO))
        _money_rates(f, year, month)
        out.append((month, f))
    return out


def _money_rates(f, year: int, month: int) -> None:
    f.completion_rate = _rate(f.ytd, f.annual_plan)
    share = time_fraction(year, month)
    f.time_progress = _rate(share.numerator, share.denominator)
    if f.completion_rate is not None:
        f.gap = f.completion_rate - f.time_progress


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
    time_progress: Decimal | None = None  # %, month/12 as bulletins print it (pro rata
    # inside a month still running: core.periods.time_fraction)
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


@dataclass
class Item:
    """What "N项" counts: a stand-alone project, or a package with its sub-projects. A package
    starts with its first sub-project (as its own 开工 date does), resumes when any of them
    does, and is planned to start when one of them is (from the earliest such date)."""

    nature: str
    plan_start: bool = False
    due_start: datetime.date | None = None
    started_on: datetime.date | None = None  # its first leaf's start (新开工 已开工)
    planned_started_on: datetime.date | None = None  # … of the leaves planned to start
    resumed: bool = False


def items(leaves: list[Leaf]) -> list[Item]:
    out = {}
    for leaf in leaves:
        item = out.get(leaf.top_id)
        if item is None:
            item = out[leaf.top_id] = Item(nature=leaf.top_nature or leaf.nature)
        if leaf.plan_start:
            item.plan_start = True
            item.due_start = _earliest(item.due_start, leaf.due_start)
            item.planned_started_on = _earliest(item.planned_started_on, leaf.started_on)
        item.started_on = _earliest(item.started_on, leaf.started_on)
        item.resumed = item.resumed or leaf.resumed
    return list(out.values())


def _earliest(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
    return min(a, b) if a and b else a or b


def figures(leaves: list[Leaf], year: int, month: int) -> Figures:
    """Money over the leaves; every project count in 项 (a package once, see `Item`), except
    `split_count` and the status counts, which are of leaves (拆分后)."""
    f = Figures()
    f.count = len({leaf.top_id for leaf in leaves})
    f.split_count = len(leaves)
    f.total_investment = sum((leaf.total for leaf in leaves), ZERO)
    f.annual_plan = sum((leaf.plan for leaf in leaves), ZERO)
    f.ytd = sum((leaf.ytd for leaf in leaves), ZERO)
    _money_rates(f, year, month)
    _count_items(f, items(leaves), period_as_of(year, month))
    counts = Counter(leaf.status for leaf in leaves)
    f.status_counts = {s: counts.get(s, 0) for s in STATUS_ORDER}
    return f


def _count_items(f: Figures, found: list[Item], as_of: datetime.date) -> None:
    for item in found:
        if not item.plan_start:
            continue
        f.planned_starts += 1
        due = item.due_start is not None and item.due_start <= as_of
        f.planned_starts_to_date += due
        if item.planned_started_on:
            f.started += 1
            f.started_early += bool(item.due_start and item.planned_started_on < item.due_start)
        elif due:
            f.missed += 1
    f.start_rate = _rate(f.started, f.planned_starts)
    new = [item for item in found if item.nature == Nature.NEW]
    cont = [item for item in found if item.nature == Nature.CONTINUING]
    f.new_projects, f.continuing = len(new), len(cont)
    f.new_started = sum(1 for item in new if item.started_on)
    f.continuing_resumed = sum(1 for item in cont if item.resumed)
    f.resumption_rate = _rate(f.new_started + f.continuing_resumed, len(new) + len(cont))


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
    return _by_place(leaves, year, month, lambda leaf: leaf.top_county_id)


def by_town(leaves, year, month) -> list[dict]:
    """Figures per region the projects sit in (a county's towns, and the county itself for
    projects of the county as a whole), for a county's own breakdown; by region code."""
    return _by_place(leaves, year, month, lambda leaf: leaf.top_region_id)


def by_unit(leaves, year, month) -> list[dict]:
    """Figures per 责任单位, ordered by unit name (a leaf without a unit under None)."""
    groups = _grouped(leaves, lambda leaf: leaf.unit_id)
    units = Unit.objects.in_bulk([k for k in groups if k is not None])
    rows = [
        {"unit": units.get(uid), "figures": figures(group, year, month)}
        for uid, group in groups.items()
    ]
    return sorted(rows, key=lambda r: (r["unit"] is None, r["unit"].name if r["unit"] else ""))


def _partition(leaves, year, month, choices, attr) -> list[dict]:
    """One row per choice, in the choices' order, each with the leaves whose package (or
    themselves) carries it: the rows' counts and money add up to the scope's."""
    groups = _grouped(leaves, lambda leaf: getattr(leaf, attr))
    return [
        {"value": value, "label": label, "figures": figures(groups.get(value, []), year, month)}
        for value, label in choices
    ]


NATURE_ORDER = [Nature.CONTINUING, Nature.NEW, Nature.PREPARATORY, Nature.RESERVE]


def by_nature(leaves, year, month) -> list[dict]:
    """续建, 新开工, 前期, 储备: a package under its own nature."""
    choices = [(n.value, n.label) for n in NATURE_ORDER]
    return _partition(leaves, year, month, choices, "top_nature")


def by_level(leaves, year, month) -> list[dict]:
    """省重点, 市重点, 县区重点: a package under its own level."""
    return _partition(leaves, year, month, ProjectLevel.choices, "top_level")


def finishing(leaves, year, month) -> Figures:
    """计划竣工投产: the projects planned to finish this year (a package when every one of its
    sub-projects is); a cut across the natures, not one of them."""
    groups = _grouped(leaves, lambda leaf: leaf.top_id)
    chosen = [x for group in groups.values() if all(y.plan_finish for y in group) for x in group]
    return figures(chosen, year, month)


LEVEL_TIERS = [
    ("省、市重点", (ProjectLevel.PROVINCE, ProjectLevel.CITY)),
    ("县区重点", (ProjectLevel.COUNTY,)),
]


def by_tier(leaves, year, month) -> list[dict]:
    """Province and city projects together against county projects, as bulletins compare
    them with the time progress ("列入省、市重点项目…高于序时进度…；县重点项目…低于…")."""
    return [
        {
            "label": label,
            "figures": figures([x for x in leaves if x.top_level in levels], year, month),
        }
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


def comparable(projects, last_year_projects, year: int, month: int) -> tuple[Figures, Figures]:
    """同口径: this year's and last year's figures for the same months over the projects on
    both lists only (a carried-over project keeps its identity from one list to the next)."""
    both_now = projects.filter(pk__in=last_year_projects.values("pk"))
    both_before = last_year_projects.filter(pk__in=projects.values("pk"))
    return totals(both_now, year, month), totals(both_before, year - 1, month)


@dataclass
class Dashboard:
    year: int
    month: int
    totals: Figures
    regions: list
    natures: list
    levels: list
    finishing: Figures = field(default_factory=Figures)  # 计划竣工投产, across the natures

    @property
    def paragraph(self) -> str:
        from assessments.summary import summary_paragraph  # the sentences' one module

        return summary_paragraph(self.totals, self.year, self.month)


def totals(projects, year: int, month: int) -> Figures:
    """The scope's figures (the ledger list's header and the export's 合计 row)."""
    return cached("totals", projects, year, month, _totals)


def _totals(projects, year: int, month: int) -> Figures:
    return figures(load_leaves(projects, year, month), year, month)


def project_progress(projects, year: int, month: int) -> dict[int, tuple[Decimal, Decimal | None]]:
    """{project id: (1-M月累计完成投资, 完成率 %)} of the ledger's rows, from the same leaves as
    every total: a package row sums its sub-projects in `projects`, so rows add up to 合计."""
    ytd, plan = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for leaf in load_leaves(projects, year, month):
        for pk in {leaf.id, leaf.top_id}:
            ytd[pk] += leaf.ytd
            plan[pk] += leaf.plan
    return {pk: (ytd[pk], _rate(ytd[pk], plan[pk])) for pk in ytd}


def dashboard(projects, year: int, month: int) -> Dashboard:
    return cached("dashboard-breakdowns", projects, year, month, _dashboard)


def _dashboard(projects, year: int, month: int) -> Dashboard:
    leaves = load_leaves(projects, year, month)
    return Dashboard(
        year=year,
        month=month,
        totals=figures(leaves, year, month),
        regions=by_region(leaves, year, month),
        natures=by_nature(leaves, year, month),
        levels=by_level(leaves, year, month),
        finishing=finishing(leaves, year, month),
    )


def yi(value: Decimal, places: str = "0.01") -> Decimal:
    """万元 → 亿元."""
    return (value / 10000).quantize(Decimal(places), ROUND_HALF_UP)


def status_label_counts(f: Figures) -> list[tuple[str, str, int]]:
    labels = dict(Status.choices)
    return [(s, labels[s], f.status_counts.get(s, 0)) for s in STATUS_ORDER]
