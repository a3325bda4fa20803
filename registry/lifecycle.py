"""The project's lifecycle follows what was recorded: 开工 → 竣工 → 投产 → 达产.

One service, `project_sync_lifecycle`, for every source of such a record (an approved monthly
report, a milestone's actual date): it sets the lifecycle date and moves the stage forward,
audited with a change reason. It never moves a stage backwards: a cleared or later record
leaves the project as it is and says so, and only an explicit ledger edit can go back.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.choices import Stage
from registry.models import Project

# Event → (lifecycle date field, stage it reaches, label), in lifecycle order.
EVENTS = {
    "start": ("started_on", Stage.BUILDING, "开工"),
    "completion": ("completed_on", Stage.COMPLETED, "竣工"),
    "operation": ("operating_on", Stage.OPERATING, "投产"),
    "capacity": ("capacity_on", Stage.CAPACITY, "达产"),
}
STAGE_ORDER = [
    Stage.RESERVE,
    Stage.PREPARATORY,
    Stage.BUILDING,
    Stage.COMPLETED,
    Stage.OPERATING,
    Stage.CAPACITY,
]


def _rank(stage) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 0


def _check_order(project: Project, dates: dict):
    """开工 ≤ 竣工 ≤ 投产 ≤ 达产, over the recorded dates and the new ones."""
    merged = {event: getattr(project, field) for event, (field, _s, _l) in EVENTS.items()}
    merged.update(dates)
    known = [(event, merged[event]) for event in EVENTS if merged.get(event)]
    for (early, early_on), (late, late_on) in zip(known, known[1:], strict=False):
        if late_on < early_on:
            raise ValidationError(
                f"{EVENTS[late][2]}时间 {late_on:%Y-%m-%d} 不能早于"
                f"{EVENTS[early][2]}时间 {early_on:%Y-%m-%d}"
            )


@transaction.atomic
def project_sync_lifecycle(
    *, project: Project, dates: dict[str, datetime.date | None], user=None, reason: str
) -> list[str]:
    """Record lifecycle events ({"start": date, "completion": date, …}; None = cleared).

    Sets each event's date (a correction of a recorded date is applied too), moves the stage
    forward to the latest event, bumps the version and writes one history row with `reason`.
    Returns what happened in Chinese, for the message shown to the user.
    """
    unknown = set(dates) - set(EVENTS)
    if unknown:
        raise ValueError(f"unknown lifecycle events: {sorted(unknown)}")
    project = Project.all_objects.select_for_update().get(pk=project.pk)
    recorded = {event: on for event, on in dates.items() if on is not None}
    _check_order(project, recorded)
    notes, changed = [], []
    for event, (field, _stage, label) in EVENTS.items():
        if event not in dates:
            continue
        on, current = dates[event], getattr(project, field)
        if on is None:
            if current is not None:
                notes.append(
                    f"项目{label}时间仍为 {current:%Y-%m-%d}，阶段不回退；如需更正请修改台账"
                )
            continue
        if on != current:
            setattr(project, field, on)
            changed.append(field)
            notes.append(f"项目{label}时间记为 {on:%Y-%m-%d}")
    target = max(
        (EVENTS[e][1] for e in EVENTS if getattr(project, EVENTS[e][0])),
        key=_rank,
        default=project.stage,
    )
    if _rank(target) > _rank(project.stage):
        notes.append(f"项目阶段由“{project.get_stage_display()}”改为“{Stage(target).label}”")
        project.stage = target
        changed.append("stage")
    if changed:
        project.version += 1  # the row is locked: a stale ledger form will be refused
        project._history_user = user
        project._change_reason = reason
        project.save(update_fields=[*changed, "version", "updated_at"])
    return notes
