"""Reads of 领导批示: every list, page, count and the API read through here (scoped)."""

from django.db.models import Count, Prefetch, Q

from instructions import rules
from instructions.choices import InstructionState
from instructions.models import Attachment, Feedback, Instruction
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import scope_assigned


def instructions_for(*, user):
    """批示 the user may see: projects in scope, plus a unit reporter's own unit's tasks."""
    return scope_assigned(user, Instruction.objects.all()).select_related(
        "project", "project__region", "problem", "unit", "issued_by"
    )


def with_feedback(queryset):
    """The 反馈 (oldest first) and their attachments, in two queries for any number of rows."""
    return queryset.prefetch_related(
        Prefetch(
            "feedback",
            queryset=Feedback.objects.select_related("author").prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
            ),
        )
    )


def for_project(*, user, project):
    return instructions_for(user=user).filter(project=project)


def attachments_for(*, user):
    """Attachments of 批示 the user may see (the private-file view's queryset)."""
    return Attachment.objects.filter(
        feedback__instruction__in=instructions_for(user=user).values("pk")
    )


def leader_summary(*, user, today=None) -> dict:
    """A leader's own 批示 by state: what the dashboard card shows."""
    mine = Instruction.objects.filter(issued_by=user)
    counts = mine.aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=rules.state_q(s, today)) for s in InstructionState
           if s != InstructionState.ANSWERED_LATE},
    )  # fmt: skip
    return counts


def can_instruct(user) -> bool:
    """Leaders write 批示 (admins too, e.g. to enter one received on paper)."""
    return has_role(user, Role.LEADER, Role.ADMIN)


def can_answer(user, instruction) -> bool:
    """The responsible side answers: reporters who see the 批示 (their region or unit), admins."""
    if not has_role(user, Role.REPORTER, Role.ADMIN):
        return False
    return instructions_for(user=user).filter(pk=instruction.pk).exists()


def overdue(queryset, today=None):
    return queryset.filter(rules.state_q(InstructionState.OVERDUE, today))


def text_q(value: str) -> Q:
    return (
        Q(project__name__icontains=value)
        | Q(project__code__icontains=value)
        | Q(text__icontains=value)
        | Q(signed_as__icontains=value)
    )
