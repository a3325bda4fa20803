"""Choices of the instructions app (SPEC §3.10 领导批示), short codes with Chinese labels."""

from django.db import models


class InstructionStatus(models.TextChoices):
    PENDING = "pending", "待反馈"
    ANSWERED = "answered", "已反馈"


class InstructionsNotice(models.TextChoices):
    """Notices about 批示 (registered in core.kinds.NOTICE_KINDS)."""

    INSTRUCTION = "instruction", "领导批示"
    INSTRUCTION_DUE = "instruction_due", "批示反馈到期"
    INSTRUCTION_ANSWERED = "instruction_reply", "批示已反馈"


class InstructionState(models.TextChoices):
    """What a leader reads on a 批示: the status judged as of today (never a future day)."""

    PENDING = "pending", "待反馈"
    OVERDUE = "overdue", "逾期未反馈"
    ANSWERED = "answered", "已反馈"
    ANSWERED_LATE = "answered_late", "逾期后反馈"


STATE_COLOUR = {
    InstructionState.PENDING: "warning",
    InstructionState.OVERDUE: "danger",
    InstructionState.ANSWERED: "success",
    InstructionState.ANSWERED_LATE: "secondary",
}
