"""Issuing and answering supervision letters (两函一单) under unique numbers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from milestones.choices import LetterStatus
from milestones.models import Problem, SupervisionLetter
from milestones.services.base import history_user
from milestones.services.problem import problem_supervise
from registry.models import Project
from registry.services import check_version

LETTER_PREFIX = {"reminder": "提醒", "assignment": "交办", "supervision": "督办"}


def next_letter_number(*, kind: str, year: int, skip: int = 0) -> str:
    prefix = f"发改{LETTER_PREFIX[kind]}〔{year}〕"
    count = SupervisionLetter.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1 + skip}号"


@transaction.atomic
def letter_issue(
    *,
    kind: str,
    project: Project,
    problem: Problem | None,
    body: str,
    reply_deadline: datetime.date,
    user,
    recipient=None,
) -> SupervisionLetter:
    today = timezone.localdate()
    letter = SupervisionLetter(
        kind=kind,
        project=project,
        problem=problem,
        recipient=recipient
        or (problem.responsible_unit if problem and problem.responsible_unit_id else None)
        or project.unit,
        body=body,
        issued_on=today,
        reply_deadline=reply_deadline,
        issued_by=user,
    )
    history_user(letter, user)
    _save_numbered(letter, year=today.year)
    if problem is not None and kind == "supervision":
        problem_supervise(problem=problem, user=user, reason=f"发出督办函{letter.number}")
    return letter


def _save_numbered(letter: SupervisionLetter, *, year: int, attempts: int = 5):
    """Save under the next free number; two reviewers issuing at once must not collide."""
    letter.full_clean(exclude=["number"])
    for attempt in range(attempts):
        letter.number = next_letter_number(kind=letter.kind, year=year, skip=attempt)
        try:
            with transaction.atomic():
                letter.save()
            return
        except IntegrityError:  # the number was taken by a concurrent letter: take the next
            letter.pk = None
    raise ValidationError("同时发出的函件较多，文号分配失败，请稍后重试")


@transaction.atomic
def letter_reply(
    *, letter: SupervisionLetter, reply: str, version: int | None, user
) -> SupervisionLetter:
    """Record the reply if the replier saw the latest letter (a second reply is not lost)."""
    if not (reply or "").strip():
        raise ValidationError({"reply": "请填写回复内容"})
    if version is None:
        raise ValidationError("表单缺少版本号，请刷新页面后重试")
    if SupervisionLetter.objects.filter(pk=letter.pk, status=LetterStatus.WITHDRAWN).exists():
        raise ValidationError("该函件已作废，不能回复")
    new_version = check_version(SupervisionLetter.objects, pk=letter.pk, version=version)
    letter = SupervisionLetter.objects.get(pk=letter.pk)
    letter.reply = reply.strip()
    letter.status = LetterStatus.REPLIED
    letter.replied_by = user
    letter.replied_at = timezone.now()
    letter.version = new_version
    letter.full_clean()
    history_user(letter, user)
    letter.save()
    return letter
