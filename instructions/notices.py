"""Who hears of a 批示, once each (SPEC §3.7, §3.10): the unit's reporters when it is written,
two days before its deadline and once it is overdue (the reviewers in scope and the leader
too, as for 督办); the leader when it is answered. Notices go through the one `notify`, so
each event reaches each person once, in the app and on the configured channels."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.notices import notify
from instructions import rules
from instructions.choices import InstructionsNotice as NoticeKind
from instructions.choices import InstructionStatus
from instructions.models import Instruction
from registry.scoping import reporters_of, reviewers_of


def _url(instruction):
    return reverse("instructions:detail", args=[instruction.pk])


def issued(instruction: Instruction) -> int:
    return len(notify(
        reporters_of(instruction.project, instruction.unit),
        kind=NoticeKind.INSTRUCTION,
        event_key=f"instruction:{instruction.pk}",
        title=f"领导批示待反馈：{instruction.project.name}",
        body=f"{instruction.signed_as}批示：{instruction.text[:120]}"
             f"\n责任单位：{instruction.unit.name}，请于{instruction.deadline:%Y-%m-%d}前反馈办理情况。",
        url=_url(instruction),
    ))  # fmt: skip


def answered(instruction: Instruction, feedback) -> int:
    return len(notify(
        [instruction.issued_by],
        kind=NoticeKind.INSTRUCTION_ANSWERED,
        event_key=f"instruction-answered:{feedback.pk}",
        title=f"批示已反馈：{instruction.project.name}",
        body=f"{instruction.unit.name}反馈：{feedback.text[:160]}",
        url=_url(instruction),
    ))  # fmt: skip


def send_due(today: datetime.date | None = None) -> dict:
    """The daily beat job: due within DUE_SOON_DAYS, and overdue (once per deadline)."""
    today = today or timezone.localdate()
    pending = Instruction.objects.filter(status=InstructionStatus.PENDING).select_related(
        "project", "project__region", "unit", "issued_by"
    )
    soon = today + datetime.timedelta(days=rules.DUE_SOON_DAYS)
    sent = {"due_soon": 0, "overdue": 0}
    for i in pending.filter(deadline__gte=today, deadline__lte=soon):
        sent["due_soon"] += len(notify(
            reporters_of(i.project, i.unit),
            kind=NoticeKind.INSTRUCTION_DUE,
            event_key=f"instruction-due:{i.pk}:{i.deadline}",
            title=f"批示反馈将于{i.deadline.month}月{i.deadline.day}日到期：{i.project.name}",
            body=f"{i.signed_as}批示：{i.text[:120]}\n请在{i.deadline:%Y-%m-%d}前反馈办理情况。",
            url=_url(i),
        ))  # fmt: skip
    for i in pending.filter(deadline__lt=today):
        people = [*reporters_of(i.project, i.unit), *reviewers_of(i.project), i.issued_by]
        sent["overdue"] += len(notify(
            people,
            kind=NoticeKind.INSTRUCTION_DUE,
            event_key=f"instruction-overdue:{i.pk}:{i.deadline}",
            title=f"批示逾期未反馈：{i.project.name}",
            body=f"{i.signed_as}批示（{i.issued_on:%Y-%m-%d}）要求{i.unit.name}于"
                 f"{i.deadline:%Y-%m-%d}前反馈，已逾期{rules.days_overdue(i, today)}天。",
            url=_url(i),
        ))  # fmt: skip
    return sent
