"""The explainable year-end forecast: expected 完成率 of every leaf and region.

The model, in the words the pages print beside every figure:

    run-rate   RR = YTD + (average monthly amount of the last n months) × months left,
               n = min(3, M), the average being (YTD(M) − YTD(M−n)) ÷ n;
    seasonal   SP = YTD × S(target) ÷ S(M), S(m) = the city's cumulative share of its
               year-end amount at month m in the latest earlier year whose December is
               approved (all leaves of that year's list; S(12) = 100%);
    expected   = (RR + SP) ÷ 2 when S(M) > 0, else RR (no earlier year: run-rate only);
               a project finished (竣工) by the month's end stays at its YTD.

YTD(m) is the project's approved year-to-date amount at month m, carried forward over a
month without an approved report. Region and city figures are sums over their leaves (the
package rule of SPEC §3.1): expected amounts add up, never rates. Money is Decimal in 万元,
rounded to the cent at each printed step (run-rate, RR, SP, expected), shares and rates to
0.01%, so a figure can be checked by hand from the inputs printed with it.

"Likely to lag next month" projects the next month's facts (the forecast amount for that
month, its schedule, the milestones and problems open at its end) and judges them with
`assessments.status.judge` and the active rule set: a project that is 正常/较快/预警 now and
whose projected status is worse is listed with the rule's reasons.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max

from assessments import metrics
from assessments.choices import STATUS_COLOUR, Status
from assessments.facts import load_facts, month_end
from assessments.models import ProjectMonthStatus
from assessments.selectors import attach_projects
from assessments.services import active_rules
from assessments.status import judge
from core.cache import cached
from core.periods import month_ended
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from registry.models import Region
from registry.selectors import year_list

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100.00")
WINDOW = 3  # months of the run-rate
RANK = {Status.AHEAD: 0, Status.NORMAL: 0, Status.WARNING: 1, Status.LAGGING: 2}
STATUS_LABELS = dict(Status.choices)


def _cent(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _rate(part, whole) -> Decimal | None:
    return _cent(Decimal(part) * 100 / Decimal(whole)) if whole else None


# ----------------------------------------------------------------------------- inputs


@dataclass
class Curve:
    """The city's cumulative share S(m) (%, index = month, S(0) = 0) of an earlier year."""

    year: int | None = None
    shares: list[Decimal] = field(default_factory=list)

    def share(self, month: int) -> Decimal | None:
        return self.shares[month] if self.shares else None


class Series(list):
    """YTD(0)=0, YTD(1) … YTD(M) of one project; `last` is the latest month with an approved
    report (0: none). A month without one carries the figure before it forward."""

    last: int = 0


def _carried(rows, last_month: int) -> dict[int, Series]:
    by_project = defaultdict(dict)
    for r in rows:
        by_project[r["project_id"]][r["month"]] = r["invested_ytd"]
    out = {}
    for pid, months in by_project.items():
        cum, value = Series([ZERO]), ZERO
        for m in range(1, last_month + 1):
            value = months.get(m, value)
            cum.append(value)
        cum.last = max(months)
        out[pid] = cum
    return out


def load_series(projects, year: int, month: int) -> dict[int, Series]:
    """Approved YTD of the leaves of `projects` for months 0..`month` (one query); the same
    approved reports `metrics.load_leaves` reads, month by month."""
    rows = ProgressReport.objects.filter(
        year=year,
        month__lte=month,
        status=ReportStatus.APPROVED,
        project_id__in=projects.filter(is_package=False).values("pk"),
    ).values("project_id", "month", "invested_ytd")
    return _carried(rows, month)


def city_curve(year: int) -> Curve:
    """The seasonality of the latest year before `year` whose December is approved: the
    whole city's cumulative approved amount at each month ÷ its year-end amount (2 queries).
    No such year (or nothing invested in it) gives an empty curve: run-rate only."""
    earlier = ProgressReport.objects.filter(
        year__lt=year, month=12, status=ReportStatus.APPROVED
    ).aggregate(y=Max("year"))["y"]
    if earlier is None:
        return Curve()
    series = load_series(year_list(earlier, as_of=month_end(earlier, 12)), earlier, 12)
    sums = [sum((cum[m] for cum in series.values()), ZERO) for m in range(13)]
    if not sums[12]:
        return Curve()
    return Curve(earlier, [_rate(s, sums[12]) for s in sums])


# ----------------------------------------------------------------------------- the model


@dataclass
class Forecast:
    """The expected cumulative amount at month `target` (12: year-end) of a leaf or of a
    group of leaves, with every input it was computed from."""

    year: int
    month: int  # M: the data runs to this month
    target: int
    plan: Decimal
    ytd: Decimal  # YTD(M), where the forecast starts
    window: int = 0  # n of the run-rate
    run_rate: Decimal = ZERO  # 万元 a month over the last n months
    by_run_rate: Decimal = ZERO  # RR
    by_season: Decimal | None = None  # SP
    share_now: Decimal | None = None  # S(M), %
    share_target: Decimal | None = None  # S(target), %
    curve_year: int | None = None
    finished: int = 0  # leaves finished by the month's end (kept at their YTD)
    carried: int = 0  # leaves without an approved report for M (their latest one counts)
    count: int = 1  # leaves
    group: bool = False  # a region's or the total's sums, not one leaf
    expected: Decimal = ZERO
    ended: bool = True  # month M is over (else its data is provisional, SPEC §3.8)

    @property
    def rate(self) -> Decimal | None:
        """Expected 完成率 at the target month, %."""
        return _rate(self.expected, self.plan)

    @property
    def current_rate(self) -> Decimal | None:
        """YTD(M) ÷ plan, % (the base of the forecast)."""
        return _rate(self.ytd, self.plan)

    @property
    def basis(self) -> str:
        """What the figure was computed from, in the words pages and exports print."""
        if self.month >= self.target and not self.ended:
            return f"{self.month}月尚未结束、数据未截止，暂按已审核累计完成计"
        if self.month >= self.target:
            return f"{self.month}月已到年末，按实际累计完成计"
        if not self.group and self.finished:
            return "项目已竣工，按实际完成投资计"
        recent = f"近{self.window}个月平均"
        if self.by_season is None:
            text = f"按{recent}测算（无往年同期进度可参照）"
        else:
            year = "去年" if self.curve_year == self.year - 1 else f"{self.curve_year}年"
            text = f"按{recent}及{year}同期进度测算"
        if self.group and self.finished:
            text += f"，其中{self.finished}项已竣工按实际完成计"
        if self.carried:
            who = f"其中{self.carried}项" if self.group else "该项目"
            text += f"；{who}无{self.month}月已审核月报，按此前最近一次已审核累计计（无则为0）"
        return text

    @property
    def formula(self) -> str:
        """The arithmetic behind `expected`, for a reader who wants to check it."""
        if self.month >= self.target or (not self.group and self.finished):
            return f"预计={self.ytd}"
        if self.group:
            text = f"{self.count}个项目预计数之和：按月均测算合计{self.by_run_rate}"
            if self.by_season is not None:
                text += f"，按往年同期进度测算合计{self.by_season}，各项目取两者平均"
            return f"{text}，预计={self.expected}"
        rr = f"按月均：{self.ytd}+{self.run_rate}×{self.target - self.month}={self.by_run_rate}"
        if self.by_season is None:
            return f"{rr}，预计={self.expected}"
        sp = f"按同期进度：{self.ytd}÷{self.share_now}%×{self.share_target}%={self.by_season}"
        return f"{rr}；{sp}；预计=({self.by_run_rate}+{self.by_season})÷2={self.expected}"


def forecast_leaf(
    cum: list[Decimal],
    plan: Decimal,
    month: int,
    curve: Curve,
    *,
    year: int,
    target: int = 12,
    finished: bool = False,
) -> Forecast:
    """The expected amount of one leaf at month `target` from its YTD(0..month) in `cum`.
    A finished leaf (or month ≥ target) stays at its YTD by either method."""
    ytd = cum[month]
    n = min(WINDOW, month)
    f = Forecast(year=year, month=month, target=target, plan=plan, ytd=ytd, window=n)
    f.ended = month_ended(year, month)
    f.curve_year = curve.year
    f.finished = int(finished)
    f.carried = int(not finished and getattr(cum, "last", month) < month)
    f.share_now, f.share_target = curve.share(month), curve.share(target)
    left = max(0, target - month)
    if finished or not left:
        f.expected = f.by_run_rate = ytd
        f.by_season = ytd if f.share_now else None
        return f
    f.run_rate = _cent((cum[month] - cum[month - n]) / n) if n else ZERO
    f.by_run_rate = _cent(ytd + f.run_rate * left)
    if f.share_now:
        f.by_season = _cent(ytd * f.share_target / f.share_now)
        f.expected = _cent((f.by_run_rate + f.by_season) / 2)
    else:
        f.expected = f.by_run_rate
    return f


def combine(forecasts: list[Forecast], *, year: int, month: int, target: int, curve: Curve):
    """A group's forecast: the sums of its leaves' amounts (rates from the sums)."""
    seasonal = [f.by_season for f in forecasts if f.by_season is not None]
    return Forecast(
        year=year,
        month=month,
        target=target,
        plan=sum((f.plan for f in forecasts), ZERO),
        ytd=sum((f.ytd for f in forecasts), ZERO),
        window=min(WINDOW, month),
        run_rate=sum((f.run_rate for f in forecasts), ZERO),
        by_run_rate=sum((f.by_run_rate for f in forecasts), ZERO),
        by_season=sum(seasonal, ZERO) if seasonal else None,
        share_now=curve.share(month),
        share_target=curve.share(target),
        curve_year=curve.year,
        finished=sum(f.finished for f in forecasts),
        carried=sum(f.carried for f in forecasts),
        count=len(forecasts),
        group=True,
        expected=sum((f.expected for f in forecasts), ZERO),
        ended=month_ended(year, month),
    )


# ----------------------------------------------------------------------------- pages and API


@dataclass
class ProjectForecast:
    id: int
    code: str
    name: str
    package_code: str | None
    region_name: str
    status: str | None  # stored status of the month
    forecast: Forecast


@dataclass
class RegionForecast:
    region: Region | None  # None: the whole scope (合计)
    figures: metrics.Figures  # the month's figures, from the one source of numbers
    forecast: Forecast


@dataclass
class Outlook:
    year: int
    month: int
    curve: Curve
    total: RegionForecast
    regions: list[RegionForecast]
    projects: list[ProjectForecast]


def finished_by(completed_on, year, month) -> bool:
    return completed_on is not None and completed_on <= month_end(year, month)


def outlook_summary(projects, year: int, month: int) -> Outlook:
    """The outlook by 县区 and in total, without the per-project forecasts (the page and the
    summary API): a city's 20,000 project forecasts cost a quarter second to unpickle."""
    return cached("outlook-summary", projects, year, month, _outlook_summary)


def _outlook_summary(projects, year: int, month: int) -> Outlook:
    return dataclasses.replace(outlook(projects, year, month), projects=[])


def outlook(projects, year: int, month: int, *, curve: Curve | None = None) -> Outlook:
    """Year-end forecast (kept in the figure cache unless a curve is handed in)."""
    if curve is not None:
        return _outlook(projects, year, month, curve=curve)
    return cached("outlook", projects, year, month, _outlook)


def project_forecasts(projects, year: int, month: int) -> list[ProjectForecast]:
    """Every leaf's forecast, in the outlook's order (the paginated API reads it in slices)."""
    return outlook(projects, year, month).projects


def _outlook(projects, year: int, month: int, *, curve: Curve | None = None) -> Outlook:
    """Year-end forecast of every leaf of `projects` (scoped, year's list) at month `month`,
    by 县区 and in total (9 queries whatever the number of projects)."""
    leaves = metrics.load_leaves(projects, year, month)
    series = load_series(projects, year, month)
    curve = city_curve(year) if curve is None else curve
    info = {
        p["pk"]: p
        for p in projects.filter(is_package=False).values(
            "pk", "code", "name", "package__code", "region__name", "completed_on"
        )
    }
    empty = Series([ZERO] * (month + 1))
    by_leaf = {}
    rows = []
    for leaf in leaves:
        p = info[leaf.id]
        fc = forecast_leaf(
            series.get(leaf.id, empty),
            leaf.plan,
            month,
            curve,
            year=year,
            finished=finished_by(p["completed_on"], year, month),
        )
        by_leaf[leaf.id] = fc
        rows.append(
            ProjectForecast(
                leaf.id,
                p["code"],
                p["name"],
                p["package__code"],
                p["region__name"],
                leaf.status,
                fc,
            )
        )
    rows.sort(key=lambda r: r.code)

    def group(selected):
        return combine(
            [by_leaf[leaf.id] for leaf in selected], year=year, month=month, target=12, curve=curve
        )

    regions = []
    for row in metrics.by_region(leaves, year, month):
        mine = [leaf for leaf in leaves if leaf.county_id == row["region"].pk]
        regions.append(RegionForecast(row["region"], row["figures"], group(mine)))
    total = RegionForecast(None, metrics.figures(leaves, year, month), group(leaves))
    return Outlook(year, month, curve, total, regions, rows)


# ----------------------------------------------------------------------------- at risk


@dataclass
class AtRisk:
    project: object  # Project with region/unit/leader, once attached (selectors.attach_projects)
    status: str  # the month's stored status
    projected: str  # the status the next month's projected facts get
    forecast: Forecast  # the expected amount at the next month's end
    reasons: list[str]
    project_id: int = 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def projected_label(self) -> str:
        return STATUS_LABELS[self.projected]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOUR[self.status]

    @property
    def projected_colour(self) -> str:
        return STATUS_COLOUR[self.projected]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def _gap_trend(projects, year, month) -> dict[int, tuple]:
    """{project: (G of the month before, G of the month)} from the stored statuses."""
    trend = defaultdict(lambda: [None, None])
    for s in ProjectMonthStatus.objects.filter(
        year=year, month__in=[month - 1, month], project_id__in=projects.values("pk")
    ).values("project_id", "month", "g"):
        trend[s["project_id"]][s["month"] - month + 1] = s["g"]
    return trend


def at_risk(projects, year: int, month: int, *, attach=True) -> list[AtRisk]:
    """Projects likely to lag next month (kept in the figure cache), with their projects
    unless `attach` is False (then `selectors.attach_projects` on the rows shown)."""
    rows = cached("at-risk", projects, year, month, _at_risk)
    return attach_projects(rows, projects) if attach else rows


def _at_risk(projects, year: int, month: int) -> list[AtRisk]:
    """Projects 正常/较快/预警 in `month` whose projected status at the next month's end is
    worse, each with the reasons of the status rule (constant number of queries)."""
    if month >= 12:
        return []
    leaves = {
        leaf.id: leaf
        for leaf in metrics.load_leaves(projects, year, month)
        if leaf.status in RANK and leaf.status != Status.LAGGING
    }
    if not leaves:
        return []
    series = load_series(projects, year, month)
    curve = city_curve(year)
    rules = active_rules(year)
    trend = _gap_trend(projects, year, month)
    nxt = month + 1
    found = []
    # A projection to the next month's end, not a judgement: its as-of lies ahead on purpose.
    ids = projects.filter(is_package=False).values("pk")
    for f in load_facts(year, nxt, ids, as_of=month_end(year, nxt)):
        leaf = leaves.get(f.project_id)
        if leaf is None or not f.should_report:
            continue  # lagging or unjudged now, or finished before next month
        fc = forecast_leaf(
            series.get(f.project_id, Series([ZERO] * (month + 1))), leaf.plan, month, curve,
            year=year, target=nxt,
        )  # fmt: skip
        f.ytd, f.report_status = fc.expected, ReportStatus.APPROVED
        judged = judge(f, rules)
        if RANK.get(judged.status, 0) <= RANK[leaf.status]:
            continue
        reasons = []
        before, now = trend[f.project_id]
        if before is not None and now is not None and now < before:
            reasons.append(f"进度差距扩大：G由{before}变为{now}个百分点")
        reasons.append(
            f"{fc.basis}，{nxt}月末累计约{fc.expected}万元（完成率{fc.rate}%）"
            if fc.rate is not None
            else fc.basis
        )
        reasons += [f"{nxt}月预计：{r}" for r in judged.reasons]
        found.append((f.code, AtRisk(None, leaf.status, judged.status, fc, reasons, f.project_id)))
    # The cached rows keep only project ids: a page attaches its own 50 projects.
    found.sort(key=lambda x: (-RANK[x[1].projected], x[0]))
    return [row for _code, row in found]
