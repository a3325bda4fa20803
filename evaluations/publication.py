"""Publishing an event's results (SPEC §3.10, §3.8): the frozen ranking with its issue number,
what each project stood at (the next event's 回头看), and the entries written into the 绩效库
and 负面清单 through assessments' records service, the event named as the reason."""

from assessments.models import RecordEntry
from assessments.records import record_entries_replace
from evaluations import results as results_mod
from evaluations.models import Event
from evaluations.selectors import (
    achieved_milestones,
    event_as_of,
    figures_month,
    project_figures,
    stops,
)


def _s(value):
    return None if value is None else str(value)


def project_snapshot(event: Event) -> dict:
    """{project id: figures as they stood at the event} (keys are strings: JSON)."""
    rows = list(stops(event))
    ids = [s.project_id for s in rows]
    month = figures_month(event)
    day = event_as_of(event)
    figures = project_figures(ids, event.year, month)
    done = achieved_milestones(ids, None, day)
    out = {}
    for stop in rows:
        ytd, plan, rate, status = figures.get(stop.project_id, (None, None, None, None))
        out[str(stop.project_id)] = {
            "year": event.year, "month": month, "as_of": day.isoformat(),
            "ytd": _s(ytd), "plan": _s(plan), "rate": _s(rate), "status": status,
            "milestones": done.get(stop.project_id, []),
            "stage": stop.project.stage,
        }  # fmt: skip
    return out


def _entries(event: Event, groups) -> list[dict]:
    """Per ranked participant: a 绩效库 entry (rank and score; 红榜 named), a 负面清单 entry
    for the 黑榜; for a unit participant under the unit, and under the contracting leader of
    each of its visited projects (五个一: the leader answers for the project)."""
    leaders = dict(stops(event).values_list("project_id", "project__leader_id"))
    out = []
    for g in groups:
        ranked = [r for r in g.rows if r.rank]
        for r in ranked:
            where = f"{event.name}（{g.name}）"
            text = f"{where}第{r.rank}名（共{len(ranked)}名），得分{r.score}"
            if r.board:
                text += f"，列入{r.board}"
            kinds = [RecordEntry.Kind.RECORD]
            if r.board == "黑榜":
                kinds.append(RecordEntry.Kind.NEGATIVE)
            for kind in kinds:
                reason = text if kind == RecordEntry.Kind.RECORD else f"{where}列入黑榜：{r.name}"
                if r.key.startswith("unit:"):
                    out.append({"kind": kind, "reason": reason, "unit_id": int(r.key[5:])})
                for p in r.projects:
                    if leaders.get(p.project_id):
                        out.append(
                            {"kind": kind, "reason": f"{reason}（{r.name}）",
                             "leader_id": leaders[p.project_id], "project_id": p.project_id}
                        )  # fmt: skip
    return out


def publish(event: Event, *, user, now) -> None:
    """Freeze and record (the caller sets the status and saves)."""
    groups = results_mod.compute(event)
    event.results = results_mod.as_json(groups)
    event.snapshot = project_snapshot(event)
    number = Event.objects.filter(year=event.year, closed_at__isnull=False).count() + 1
    event.issue = f"{event.year}年第{number}期"
    event.closed_at, event.closed_by = now, user
    record_entries_replace(
        source=f"evaluation:{event.pk}",
        source_label=event.name,
        year=event.year,
        dated=event.ends_on,
        entries=_entries(event, groups),
    )
