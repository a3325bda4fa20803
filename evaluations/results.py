"""An event's ranking (SPEC §3.10): computed live while it is open, frozen when it closes.

`compute(event)` reads the scores in a fixed number of queries and applies evaluations.rules;
`as_json` / `from_json` are the frozen form kept on the event (decimals as strings, so the
published figures never change, SPEC §3.8).
"""

from collections import defaultdict
from decimal import Decimal

from evaluations.models import Event, Score
from evaluations.rules import GroupResult, ParticipantRow, ProjectResult, project_score, rank_group
from evaluations.selectors import stops


def participant_name(stop) -> str:
    return stop.region.name if stop.region_id else stop.unit.name


def compute(event: Event) -> list[GroupResult]:
    n_criteria = event.criteria.count()
    rows = list(stops(event))
    sheets: dict = defaultdict(lambda: defaultdict(list))  # stop → evaluator → points
    for s in Score.objects.filter(stop__event=event).values("stop_id", "evaluator_id", "points"):
        sheets[s["stop_id"]][s["evaluator_id"]].append(s["points"])
    by_group: dict = defaultdict(list)
    names, groups = {}, {}
    for stop in rows:
        totals = [
            sum(points, Decimal(0))
            for _ev, points in sorted(sheets[stop.pk].items())
            if len(points) == n_criteria and n_criteria
        ]
        score, counted = project_score(totals)
        result = ProjectResult(stop.pk, stop.project_id, stop.participant_key, totals, counted)
        result.score = score
        result.code, result.name = stop.project.code, stop.project.name
        result.route = stop.route.name
        by_group[stop.group_id].append(result)
        names[stop.participant_key] = participant_name(stop)
        groups[stop.group_id] = stop.group
    ordered = sorted(groups.values(), key=lambda g: (g.order, g.pk))
    return [rank_group(g.pk, g.name, by_group[g.pk], names) for g in ordered]


def _s(value) -> str | None:
    return None if value is None else str(value)


def as_json(groups: list[GroupResult]) -> dict:
    return {
        "groups": [
            {
                "id": g.group_id,
                "name": g.name,
                "mean": _s(g.mean),
                "participants": [
                    {
                        "key": r.key,
                        "name": r.name,
                        "score": _s(r.score),
                        "rank": r.rank,
                        "board": r.board,
                        "projects": [
                            {
                                "stop": p.stop_id,
                                "project": p.project_id,
                                "code": p.code,
                                "name": p.name,
                                "route": p.route,
                                "scores": len(p.totals),
                                "trimmed": len(p.totals) != len(p.counted),
                                "score": _s(p.score),
                            }
                            for p in r.projects
                        ],
                    }
                    for r in g.rows
                ],
            }
            for g in groups
        ]
    }


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def from_json(data: dict) -> list[GroupResult]:
    """The frozen ranking back as result objects (what the pages and the workbook show)."""
    out = []
    for g in data.get("groups", []):
        rows = []
        for r in g["participants"]:
            projects = []
            for p in r["projects"]:
                pr = ProjectResult(p["stop"], p["project"], r["key"], score=_d(p["score"]))
                pr.code, pr.name, pr.route = p["code"], p["name"], p["route"]
                pr.n_scores, pr.trimmed = p["scores"], p["trimmed"]
                projects.append(pr)
            row = ParticipantRow(r["key"], r["name"], projects, _d(r["score"]))
            row.rank, row.board = r["rank"], r["board"]
            rows.append(row)
        out.append(GroupResult(g["id"], g["name"], _d(g["mean"]), rows))
    return out


def results(event: Event) -> list[GroupResult]:
    """The published ranking of a closed event, else the live one (provisional)."""
    if not event.is_open and event.results:
        return from_json(event.results)
    groups = compute(event)
    for g in groups:
        for r in g.rows:
            for p in r.projects:
                p.n_scores, p.trimmed = len(p.totals), len(p.totals) != len(p.counted)
    return groups


def boards_of(groups: list[GroupResult]) -> tuple[list, list]:
    """(红榜, 黑榜) as (group name, participant row) pairs."""
    red = [(g.name, r) for g in groups for r in g.rows if r.board == "红榜"]
    black = [(g.name, r) for g in groups for r in g.rows if r.board == "黑榜"]
    return red, black
