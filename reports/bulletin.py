"""The printable 通报: what the page shows, for a user, a kind and a period.

Every figure comes from assessments (metrics, selectors, scoring, summary); this module only
picks the period and the region, and shapes the rows for the template and the charts.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.utils import timezone

from assessments import lists, metrics, selectors, summary
from assessments.choices import STATUS_COLOUR
from assessments.facts import month_end
from assessments.scoring import scores, subject
from assessments.services import active_rules
from core.cache import cached
from core.periods import Period, PeriodError, quarter_through
from milestones.periods import default_period, resolve
from registry.choices import RegionLevel
from registry.models import Region
from registry.scoping import visible_regions
from registry.years import list_years

KINDS = {"monthly": "月度", "quarterly": "季度"}
LIST_TITLES = {
    "warning": "预警项目",
    "lagging": "滞后项目",
    "unstarted": "应开未开项目",
    "milestones": "节点逾期项目",
}
DRAFT_ISSUE = "草稿（发布时编号）"
# Rows printed per list. A province-scale list runs to thousands of rows, which no one reads
# on paper and which made the page take seconds; the bulletin gives each list's full count and
# links to its list page, which pages, filters and exports all of them.
LIST_LIMIT = 100


@dataclass
class Params:
    kind: str
    period: Period
    region: Region | None  # a 县区 picked on the page; None = the user's whole scope
    provisional: bool = False  # its last month is still open (SPEC §3.8)


def last_closed(kind: str, today: datetime.date | None = None) -> Period:
    """The last closed month (SPEC §3.8), or the last quarter whose months are all closed."""
    month = default_period(today)
    return quarter_through(month) if kind == "quarterly" else month


def region_choices(user):
    """The 县区 the user may pick (their county only, for a county user)."""
    return visible_regions(user).filter(level=RegionLevel.COUNTY).order_by("code")


def params_from(query, user) -> Params:
    """Read kind, period (or year + month/quarter from the form) and region; BadRequest with
    a Chinese message on bad input."""
    kind = query.get("kind") or "monthly"
    if kind not in KINDS:
        raise BadRequest("通报类型只能是月度（monthly）或季度（quarterly）")
    allow = ("quarter",) if kind == "quarterly" else ("month",)
    # `kind` here is the bulletin's (monthly/quarterly), not the period picker's.
    asked = {name: query.get(name) for name in ("period", "year", "month", "quarter")}
    try:
        resolved = resolve(asked, allow=allow)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None
    region = None
    pk = query.get("region") or ""
    if pk:
        region = region_choices(user).filter(pk=pk).first() if pk.isdigit() else None
        if region is None:
            raise BadRequest("所选地区不存在或不在您的管辖范围内")
    return Params(kind, resolved.period, region, resolved.provisional)


def place_of(user, region: Region | None) -> str:
    """Whose bulletin it is: the picked county, else the user's own region, else the city."""
    if region is not None:
        return region.name
    profile = getattr(user, "profile", None)
    if profile is not None and profile.region_id:
        return profile.region.name
    city = Region.objects.filter(parent__isnull=True).order_by("code").first()
    return city.name if city else ""


def years() -> list[int]:
    """Years that have a list, for the year selector (the default period's year at least)."""
    return list_years()


def monthly_trend(projects, year: int, last_month: int) -> dict:
    """Month by month, January to `last_month`: completed investment (亿元), completion rate
    and time progress (%), from metrics.figures of each month's approved data (kept in the
    figure cache: twelve months of a city's leaves)."""
    return cached("monthly-trend", projects, year, last_month, _monthly_trend)


def _monthly_trend(projects, year: int, last_month: int) -> dict:
    out = {"months": [], "ytd": [], "rate": [], "time": []}
    for month, f in metrics.money_by_month(projects, year, last_month):
        out["months"].append(f"{month}月")
        out["ytd"].append(str(metrics.yi(f.ytd)))
        out["rate"].append(None if f.completion_rate is None else str(f.completion_rate))
        out["time"].append(str(f.time_progress))
    return out


@dataclass
class Bulletin:
    params: Params
    place: str
    title: str
    issue: str
    issued_on: datetime.date
    dash: metrics.Dashboard
    text: summary.Summary
    charts: dict
    lists: list = field(default_factory=list)
    ranking: list = field(default_factory=list)  # quarter (or month, when turned on)
    region_scores: list = field(default_factory=list)
    region_subject: str = "县区"  # or a county's 乡镇（街道）
    unit_scores: list = field(default_factory=list)

    @property
    def is_quarterly(self) -> bool:
        return self.params.kind == "quarterly"


def _lists(projects, year, month) -> list[dict]:
    # A new kind name when the cached shape changes: a figure cache that outlives a deploy
    # must not hand the template a value of the old shape while it is refreshed.
    return cached("bulletin-list-heads", projects, year, month, _bulletin_lists)


def _bulletin_lists(projects, year, month) -> list[dict]:
    as_of = selectors.live_as_of(year, month)
    out = []
    for key, title in LIST_TITLES.items():
        total, count, rows = lists.first_rows(key, projects, year, month, as_of, LIST_LIMIT)
        out.append(
            {
                "key": key,
                "title": title,
                "total": total,
                "projects": count,
                "item_unit": lists.LISTS[key].item_unit,
                "rows": [_printed(r) for r in rows],
            }
        )
    return out


def _printed(row) -> dict:
    """What the list prints of a row (plain values: the lists are kept in the figure cache)."""
    p = row.project
    unit = p.unit.name if p.unit_id else ""
    return {"name": p.name, "region": p.region.name, "unit": unit, "detail": row.reason}


def _charts(dash, projects, year, month) -> dict:
    return {
        "statuses": [
            {"label": label, "count": n, "colour": STATUS_COLOUR[s]}
            for s, label, n in metrics.status_label_counts(dash.totals)
        ],
        "regions": {
            "names": [r["region"].name for r in dash.regions],
            "rate": [
                None if r["figures"].completion_rate is None else str(r["figures"].completion_rate)
                for r in dash.regions
            ],
            "time": str(dash.totals.time_progress),
        },
        "trend": monthly_trend(projects, year, month),
    }


def build(user, params: Params, today: datetime.date | None = None) -> Bulletin:
    period = params.period
    year, month = period.year, period.last_month
    data = {"region": str(params.region.pk)} if params.region else None
    # Each list as it stood at its period's end (SPEC §3.8): last year's at the same month.
    projects = metrics.scoped_projects(user, year, data, as_of=period.end)
    last_year = metrics.scoped_projects(user, year - 1, data, as_of=month_end(year - 1, month))
    dash = metrics.dashboard(projects, year, month)
    place = place_of(user, params.region)
    b = Bulletin(
        params=params,
        place=place,
        title=f"{place}重点建设项目进展情况通报",
        issue=DRAFT_ISSUE,  # numbered when published (reports.publishing)
        issued_on=today or timezone.localdate(),
        dash=dash,
        text=summary.bulletin_text(projects, year, month, last_year_projects=last_year),
        charts=_charts(dash, projects, year, month),
        lists=_lists(projects, year, month),
    )
    if params.kind == "quarterly":
        b.region_scores = scores(projects, period, by="region")
        b.region_subject = subject(projects, period, "region")
        b.unit_scores = scores(projects, period, by="unit")
        b.ranking = summary.ranking_sentences(b.region_scores, period.label, b.region_subject)
    elif active_rules(year).monthly_ranking:
        # Only the first-and-last sentence: the 红榜/黑榜 stay the quarter's.
        ranked = scores(projects, period, by="region")
        what = subject(projects, period, "region")
        b.ranking = summary.ranking_sentences(ranked, period.label, what)[:1]
    return b
