"""The one rule for a 批示's state as a leader reads it (SPEC §3.10), judged as of today.

A 批示 is 待反馈 until its first 反馈; past its deadline without one it is 逾期未反馈. Once
answered it is 已反馈 (逾期后反馈 when the first 反馈 came after the deadline). `state_q`
is the same rule as a database filter, for lists, counts and the API.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from instructions.choices import STATE_COLOUR, InstructionState, InstructionStatus

DEFAULT_DAYS = 7  # a leader's 批示 asks for a 反馈 within a week unless they say otherwise
DUE_SOON_DAYS = 2  # the unit is reminded this many days before the deadline


def default_deadline(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_DAYS)


def state(instruction, today: datetime.date | None = None) -> InstructionState:
    today = today or timezone.localdate()
    if instruction.status == InstructionStatus.ANSWERED:
        answered_on = timezone.localdate(instruction.answered_at)
        if answered_on > instruction.deadline:
            return InstructionState.ANSWERED_LATE
        return InstructionState.ANSWERED
    if today > instruction.deadline:
        return InstructionState.OVERDUE
    return InstructionState.PENDING


def state_q(value: str, today: datetime.date | None = None) -> Q:
    """Rows in state `value` (a leader's filter: 已反馈 includes the late ones)."""
    today = today or timezone.localdate()
    pending = Q(status=InstructionStatus.PENDING)
    if value == InstructionState.OVERDUE:
        return pending & Q(deadline__lt=today)
    if value == InstructionState.PENDING:
        return pending & Q(deadline__gte=today)
    if value == InstructionState.ANSWERED:
        return Q(status=InstructionStatus.ANSWERED)
    return Q()


def badge(instruction, today=None) -> tuple[str, str]:
    """(label, Bootstrap colour) of the state, for pages."""
    value = state(instruction, today)
    return value.label, STATE_COLOUR[value]


def days_overdue(instruction, today=None) -> int:
    today = today or timezone.localdate()
    if instruction.status == InstructionStatus.ANSWERED:
        return 0
    return max((today - instruction.deadline).days, 0)
