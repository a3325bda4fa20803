"""回头看 (SPEC §3.10): what the last event's projects did since — investment, milestones
achieved, status then (frozen when that event closed) and now (the default period)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from assessments.choices import Status
from core.periods import as_of
from evaluations.models import Event
from evaluations.selectors import achieved_milestones, project_figures
from milestones.periods import default_period
from registry.choices import Stage
from registry.models import Project

STATUS = dict(Status.choices)
STAGE = dict(Stage.choices)


@dataclass
class Line:
    project: Project
    then: dict
    now_year: int
    now_month: int
    now_ytd: Decimal | None = None
    now_plan: Decimal | None = None
    now_rate: Decimal | None = None
    now_status: str | None = None
    since: list = field(default_factory=list)  # milestones achieved since the event

    @property
    def then_status_label(self):
        return STATUS.get(self.then.get("status"), "未评定")

    @property
    def now_status_label(self):
        return STATUS.get(self.now_status, "未评定")

    @property
    def then_stage_label(self):
        return STAGE.get(self.then.get("stage"), "")

    @property
    def now_stage_label(self):
        return STAGE.get(self.project.stage, "")

    @property
    def invested_since(self) -> Decimal | None:
        """Completed since the event, when both figures are of the same year's list."""
        then = self.then.get("ytd")
        if self.now_year != self.then.get("year") or then is None or self.now_ytd is None:
            return None
        return self.now_ytd - Decimal(then)


def previous_event(event: Event) -> Event | None:
    return (
        Event.objects.filter(starts_on__lt=event.starts_on, closed_at__isnull=False)
        .order_by("-starts_on", "-pk")
        .first()
    )


def lookback(event: Event, today: datetime.date | None = None) -> tuple[Event | None, list[Line]]:
    """The previous closed event and a line per project it visited (a fixed number of queries)."""
    today = today or timezone.localdate()
    previous = previous_event(event)
    if previous is None or not previous.snapshot:
        return previous, []
    ids = [int(k) for k in previous.snapshot]
    now = default_period(today)
    day = min(as_of(now.year, now.index, today), today)
    figures = project_figures(ids, now.year, now.index)
    projects = Project.objects.in_bulk(ids)
    first_day = min(datetime.date.fromisoformat(s["as_of"]) for s in previous.snapshot.values())
    done = achieved_milestones(ids, first_day, day)
    lines = []
    for key, then in previous.snapshot.items():
        pk = int(key)
        if pk not in projects:
            continue
        ytd, plan, rate, status = figures.get(pk, (None, None, None, None))
        line = Line(projects[pk], then, now.year, now.index, ytd, plan, rate, status)
        line.since = done.get(pk, [])
        lines.append(line)
    lines.sort(key=lambda x: x.project.code)
    return previous, lines
