"""Saving milestones; a lifecycle milestone's actual date moves the project's lifecycle."""

from milestones.choices import MilestoneKind
from milestones.models import Milestone
from registry.lifecycle import project_sync_lifecycle

LIFECYCLE_EVENTS = {
    MilestoneKind.START: "start",
    MilestoneKind.COMPLETION: "completion",
    MilestoneKind.OPERATION: "operation",
    MilestoneKind.CAPACITY: "capacity",
}


def sync_lifecycle(project, milestones, *, user, reason) -> list[str]:
    """开工/竣工/投产/达产 milestones whose actual date changed move the project's lifecycle."""
    dates = {
        LIFECYCLE_EVENTS[ms.kind]: ms.actual_on for ms in milestones if ms.kind in LIFECYCLE_EVENTS
    }
    if not dates:
        return []
    return project_sync_lifecycle(project=project, dates=dates, user=user, reason=reason)


def milestone_save(*, milestone: Milestone, data: dict, user=None) -> Milestone:
    """Save a milestone; a lifecycle one (开工/竣工/投产/达产) whose actual date changed moves
    the project's dates and stage. `milestone.lifecycle_notes` says what moved."""
    before = (
        Milestone.objects.filter(pk=milestone.pk).values_list("actual_on", flat=True).first()
        if milestone.pk
        else None
    )
    for field, value in data.items():
        setattr(milestone, field, value)
    milestone.full_clean()
    milestone.save()
    milestone.lifecycle_notes = []
    if milestone.actual_on != before:
        milestone.lifecycle_notes = sync_lifecycle(
            milestone.project,
            [milestone],
            user=user,
            reason=f"节点“{milestone.name}”实际日期"
            + (f"记为{milestone.actual_on:%Y-%m-%d}" if milestone.actual_on else "被清除"),
        )
    return milestone


def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()
