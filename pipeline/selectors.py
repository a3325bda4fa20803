"""Reads of the pipeline (SPEC §3.9): the scoped list, the pipeline page's figures, the
signing dates behind two of the 五率. Pages, exports, the API and reports use these."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.periods import month_end
from pipeline.choices import STAGE_DATE, STAGE_ORDER, PipelineStage
from pipeline.models import PipelineProject, PipelineTarget, SizeBand
from registry.choices import RegionLevel
from registry.models import Region
from registry.scoping import visible_regions

ZERO = Decimal("0.00")
ADMITTED = "admitted"
COLUMNS = [*STAGE_ORDER, ADMITTED]
COLUMN_LABELS = {**{s.value: s.label for s in PipelineStage}, ADMITTED: "已列入"}
CITY_ROW = "市本级"


def visible_pipeline(user, queryset=None):
    """Pipeline projects the user may see (the one scoping rule: region subtree or unit)."""
    qs = PipelineProject.objects.all() if queryset is None else queryset
    return (
        qs.visible_to(user)
        .filter(is_deleted=False)
        .select_related("region", "unit", "leader", "project")
    )


def bands() -> list[SizeBand]:
    return list(SizeBand.objects.order_by("-min_amount"))


def band_of(amount: Decimal, band_list: list[SizeBand]) -> SizeBand | None:
    """The highest band whose lower bound the amount reaches (bands sorted high to low)."""
    return next((b for b in band_list if amount >= b.min_amount), None)


def stage_at(row: dict, day: datetime.date) -> str | None:
    """The column a project stands in on `day`: 已列入 once admitted, else the last stage
    reached by then; None before it was submitted."""
    if row["admitted_on"] and row["admitted_on"] <= day:
        return ADMITTED
    reached = None
    for stage in STAGE_ORDER:
        on = row[STAGE_DATE[stage]]
        if on and on <= day:
            reached = stage
    return reached


def in_pool(row: dict, day: datetime.date) -> bool:
    """In the pool on `day`: submitted by then and not yet on a list."""
    return stage_at(row, day) not in (None, ADMITTED)


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass
class Cell:
    count: int = 0
    amount: Decimal = ZERO

    def add(self, amount):
        self.count += 1
        self.amount += amount


@dataclass
class CountyRow:
    region: Region | None  # None: the city's own projects (市本级) or the total row
    name: str
    stages: dict = field(default_factory=lambda: {c: Cell() for c in COLUMNS})
    pool: Cell = field(default_factory=Cell)
    target: Cell = field(default_factory=Cell)
    bands: dict = field(default_factory=dict)  # band id → (actual Cell, target Cell)

    @property
    def count_rate(self) -> Decimal | None:
        return _pct(self.pool.count, self.target.count)

    @property
    def amount_rate(self) -> Decimal | None:
        return _pct(self.pool.amount, self.target.amount)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Conversion:
    ideas: int
    reserves: int
    started: int
    idea_to_reserve_months: Decimal | None
    reserve_to_start_months: Decimal | None

    @property
    def reserve_rate(self):
        return _pct(self.reserves, self.ideas)

    @property
    def start_rate(self):
        return _pct(self.started, self.reserves)


@dataclass
class Overview:
    day: datetime.date
    year: int
    bands: list
    rows: list  # CountyRow per county (and 市本级), then the total row last
    conversion: Conversion
    timeline: list  # (month-end day, pool amount 万元, target amount 万元)


ROW_FIELDS = ("id", "region_id", "region__path", "total_investment", "idea_on", "reserve_on",
              "preparation_on", "mature_on", "admitted_on", "project__started_on")  # fmt: skip


def _counties(user):
    return list(
        visible_regions(user)
        .filter(level=RegionLevel.COUNTY)
        .order_by("code")
        .only("id", "name", "code", "path")
    )


def _county_code(path: str) -> str:
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) > 1 else ""


def overview(user, *, day: datetime.date, region=None) -> Overview:
    """The pipeline page's figures on `day` (the period's as-of day), for the user's scope or
    one region's subtree: counts and amounts by stage and band per county against target,
    conversion 谋划→储备→开工 with median months, and the pool's total month by month."""
    qs = visible_pipeline(user)
    counties = _counties(user)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
        counties = [c for c in counties if c.path.startswith(region.path)]
    band_list = bands()
    rows_in = list(qs.filter(idea_on__lte=day).order_by().values(*ROW_FIELDS))
    targets = _targets(day.year, counties)
    by_code = {c.code: CountyRow(c, c.name) for c in counties}
    city = CountyRow(None, CITY_ROW)
    total = CountyRow(None, "合计")
    for b in band_list:
        for row in (*by_code.values(), city, total):
            row.bands[b.pk] = (Cell(), Cell())
    for r in rows_in:
        row = by_code.get(_county_code(r["region__path"]), city)
        column = stage_at(r, day)
        band = band_of(r["total_investment"], band_list)
        for target in (row, total):
            target.stages[column].add(r["total_investment"])
            if column != ADMITTED:
                target.pool.add(r["total_investment"])
                if band is not None:
                    target.bands[band.pk][0].add(r["total_investment"])
    for t in targets:
        row = by_code.get(t["region__code"])
        if row is None:
            continue
        for target in (row, total):
            target.target.count += t["count"]
            target.target.amount += t["amount"]
            cell = target.bands[t["band_id"]][1]
            cell.count += t["count"]
            cell.amount += t["amount"]
    rows = list(by_code.values())
    if city.stages and any(c.count for c in city.stages.values()):
        rows.append(city)
    rows.append(total)
    return Overview(
        day=day,
        year=day.year,
        bands=band_list,
        rows=rows,
        conversion=conversion(rows_in, day),
        timeline=timeline(rows_in, day, total.target.amount),
    )


def _targets(year, counties):
    return list(
        PipelineTarget.objects.filter(year=year, region__in=[c.pk for c in counties])
        .order_by()
        .values("region__code", "band_id", "count", "amount")
    )


def _median(values) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"))


def conversion(rows: list[dict], day: datetime.date) -> Conversion:
    """谋划→储备→开工 over the projects submitted by `day`: how many reached 储备, how many
    of those started (their list project's 开工), and the median months of each step."""
    reserves = [r for r in rows if r["reserve_on"] and r["reserve_on"] <= day]
    started = [r for r in reserves if r["project__started_on"] and r["project__started_on"] <= day]
    return Conversion(
        ideas=len(rows),
        reserves=len(reserves),
        started=len(started),
        idea_to_reserve_months=_median([months_between(r["idea_on"], r["reserve_on"]) for r in reserves]),
        reserve_to_start_months=_median(
            [months_between(r["reserve_on"], r["project__started_on"]) for r in started]
        ),
    )  # fmt: skip


def timeline(rows: list[dict], day: datetime.date, target: Decimal) -> list:
    """(month end, pool total, target) for each month of `day`'s year up to `day`."""
    points = []
    for month in range(1, day.month + 1):
        end = min(month_end(day.year, month), day)
        amount = sum((r["total_investment"] for r in rows if in_pool(r, end)), ZERO)
        points.append((end, amount, target))
    return points


def signing_rows(projects) -> list[dict]:
    """Signed pipeline projects not on a list yet, in the regions of `projects` (the scope
    of a 五率 figure): their 签约 and 备案 dates. Admitted ones carry their dates on the list's
    project, where the rate reads them."""
    return list(
        PipelineProject.objects.filter(
            is_deleted=False,
            project__isnull=True,
            signed_on__isnull=False,
            region__in=projects.order_by().values("region_id"),
        )
        .order_by()
        .values("signed_on", "filed_on")
    )


@dataclass
class CountyPipeline:
    """What the 四比四看 scorecard reads of one county's pipeline on a day."""

    pool: Cell = field(default_factory=Cell)
    target: Cell = field(default_factory=Cell)
    signed: Decimal = ZERO  # contract amount signed this year up to the day
    contract: Decimal = ZERO  # contract amount of every signed project
    funds: Decimal = ZERO  # funds in place of those projects


def county_pipelines(day: datetime.date) -> dict:
    """County region id → CountyPipeline on `day` (all counties; callers keep their own)."""
    counties = {
        c.code: c.pk for c in Region.objects.filter(level=RegionLevel.COUNTY).only("code", "pk")
    }
    out = defaultdict(CountyPipeline)
    rows = PipelineProject.objects.filter(is_deleted=False, idea_on__lte=day).order_by()
    for r in rows.values(*ROW_FIELDS, "signed_on", "contract_amount", "funds_in_place"):
        county = counties.get(_county_code(r["region__path"]))
        if county is None:
            continue
        item = out[county]
        if in_pool(r, day):
            item.pool.add(r["total_investment"])
        if r["signed_on"] and r["signed_on"] <= day and r["contract_amount"] is not None:
            item.contract += r["contract_amount"]
            item.funds += r["funds_in_place"]
            if r["signed_on"].year == day.year:
                item.signed += r["contract_amount"]
    targets = PipelineTarget.objects.filter(year=day.year).order_by()
    for t in targets.values("region_id", "count", "amount"):
        out[t["region_id"]].target.count += t["count"]
        out[t["region_id"]].target.amount += t["amount"]
    return dict(out)
