"""The leaders' dashboard series: every number from metrics and scoring, shaped
for charts. `charts()` is what /api/dashboard/charts/ serves and the dashboard page draws."""

from assessments import metrics
from assessments.choices import STATUS_COLOUR, Status
from assessments.scoring import scores
from core.cache import cached
from core.periods import Period


def trend(projects, year: int, last_month: int) -> dict:
    """Month by month, January to `last_month`: completed investment (亿元, cumulative),
    the plan due by then (亿元), completion rate and time progress (%)."""
    out = {"months": [], "ytd": [], "plan_due": [], "rate": [], "time": []}
    for month, f in metrics.money_by_month(projects, year, last_month):
        out["months"].append(f"{month}月")
        out["ytd"].append(metrics.yi(f.ytd))
        out["plan_due"].append(metrics.yi(f.annual_plan * month / 12))
        out["rate"].append(f.completion_rate)
        out["time"].append(f.time_progress)
    return out


def statuses(totals: metrics.Figures) -> list[dict]:
    return [
        {"value": s, "label": label, "count": n, "colour": STATUS_COLOUR[s]}
        for s, label, n in metrics.status_label_counts(totals)
    ]


def _region_rows(rows, own_name="") -> list[dict]:
    return [
        {
            "id": r["region"].pk,
            "name": f"{r['region'].name}本级" if r["region"].name == own_name else r["region"].name,
            "ytd": metrics.yi(r["figures"].ytd),
            "annual_plan": metrics.yi(r["figures"].annual_plan),
            "completion_rate": r["figures"].completion_rate,
        }
        for r in rows
    ]


def regions(dash: metrics.Dashboard) -> list[dict]:
    return _region_rows(dash.regions)


def towns(dash: metrics.Dashboard, projects, year: int, month: int) -> list[dict]:
    """A single county's breakdown by town (its county-wide projects as 本级); empty when
    the scope spans several counties."""
    if len(dash.regions) != 1:
        return []
    leaves = metrics.load_leaves(projects, year, month)
    return _region_rows(metrics.by_town(leaves, year, month), dash.regions[0]["region"].name)


def units(projects, year: int, month: int, limit: int = 10) -> list[dict]:
    """The units with the largest annual plans (a county leader's breakdown)."""
    rows = metrics.by_unit(metrics.load_leaves(projects, year, month), year, month)
    rows.sort(key=lambda r: -r["figures"].annual_plan)
    return [
        {
            "id": r["unit"].pk if r["unit"] else None,
            "name": r["unit"].name if r["unit"] else "未指定责任单位",
            "ytd": metrics.yi(r["figures"].ytd),
            "annual_plan": metrics.yi(r["figures"].annual_plan),
            "completion_rate": r["figures"].completion_rate,
        }
        for r in rows[:limit]
    ]


def ranking_period(year: int, month: int) -> Period:
    """The dashboard ranks on 1–M月累计, a period of the scores page (SPEC §3.8)."""
    return Period("ytd", year, month)


def ranking(projects, year: int, month: int) -> list[dict]:
    """Regions (a county's towns) scored on `ranking_period` (scoring.scores), best first: the
    scores page's rows for that period."""
    return [
        {
            "rank": r.rank,
            "name": r.name,
            "score": r.score,
            "completion_rate": r.completion_rate,
            "board": r.board,
        }
        for r in scores(projects, ranking_period(year, month), by="region")
    ]


def charts(projects, year: int, month: int) -> dict:
    """Every chart of the dashboard (kept in the figure cache)."""
    return cached("charts-ranked", projects, year, month, _charts)


def _charts(projects, year: int, month: int) -> dict:
    dash = metrics.dashboard(projects, year, month)
    return {
        "year": year,
        "month": month,
        "time_progress": dash.totals.time_progress,
        "statuses": statuses(dash.totals),
        "trend": trend(projects, year, month),
        "regions": regions(dash),
        "towns": towns(dash, projects, year, month),
        "units": units(projects, year, month),
        "ranking": ranking(projects, year, month),
        "ranking_period": str(ranking_period(year, month)),
    }


def map_points(projects, year: int, month: int) -> list[dict]:
    """Leaf projects that have coordinates, with their month's status (the map; kept in the
    figure cache)."""
    return cached("map-points", projects, year, month, _map_points)


def _map_points(projects, year: int, month: int) -> list[dict]:
    status = {leaf.id: leaf.status for leaf in metrics.load_leaves(projects, year, month)}
    rows = (
        projects.filter(pk__in=list(status), lat__isnull=False, lng__isnull=False)
        .order_by("code")
        .values("pk", "name", "lat", "lng", "region__name")
    )
    labels = dict(Status.choices)
    return [
        {
            "id": r["pk"],
            "name": r["name"],
            "region": r["region__name"],
            "lng": r["lng"],
            "lat": r["lat"],
            "status": status[r["pk"]] or "",
            "status_label": labels.get(status[r["pk"]], "未评价"),
            "colour": STATUS_COLOUR.get(status[r["pk"]], "grey"),
        }
        for r in rows
    ]
