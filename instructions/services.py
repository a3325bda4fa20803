"""Writes of 领导批示 (SPEC §3.10): a leader issues a 批示; the responsible unit answers with
反馈 and attachments. Every write is audited (simple-history) and notifies after commit."""

import datetime
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from instructions import notices
from instructions.choices import InstructionStatus
from instructions.models import Attachment, Feedback, Instruction
from milestones.models import Problem
from registry.documents import detect, read_upload
from registry.models import Project, Unit
from registry.roles import person_name
from registry.services import check_version

MAX_ATTACHMENTS = 5


def signature(user) -> str:
    """How a 批示 is signed: the leader record's name and post when the account has one."""
    leader = getattr(user, "leader", None) if user is not None else None
    if leader is not None:
        return f"{leader.name}（{leader.post}）"[:100]
    return person_name(user)[:100]


@transaction.atomic
def instruction_issue(
    *,
    project: Project,
    text: str,
    deadline: datetime.date,
    user,
    problem: Problem | None = None,
    unit: Unit | None = None,
) -> Instruction:
    """A 批示 on `project` (or one of its problems) for `unit` — by default the problem's
    responsible unit, else the project's — to answer by `deadline`."""
    today = timezone.localdate()
    if problem is not None and problem.project_id != project.pk:
        raise ValidationError({"problem": "所选问题不属于该项目"})
    if deadline is None or deadline < today:
        raise ValidationError({"deadline": "反馈时限不能早于今天"})
    unit = unit or (problem.responsible_unit if problem and problem.responsible_unit_id else None)
    instruction = Instruction(
        project=project,
        problem=problem,
        unit=unit or project.unit,
        text=(text or "").strip(),
        issued_on=today,
        deadline=deadline,
        issued_by=user,
        signed_as=signature(user),
    )
    instruction.full_clean()
    instruction._history_user = user
    instruction._change_reason = "领导批示"
    instruction.save()
    transaction.on_commit(lambda: notices.issued(instruction))
    return instruction


@transaction.atomic
def feedback_add(*, instruction: Instruction, text: str, uploads, version, user) -> Feedback:
    """A 反馈 with up to MAX_ATTACHMENTS files (PDF, images, Office documents, checked by what
    their bytes are). The first one answers the 批示; the leader is told."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写反馈内容"})
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"files": f"附件最多{MAX_ATTACHMENTS}个"})
    files = []
    for upload in uploads:  # every file is checked before anything is written
        data, name = read_upload(upload)
        files.append((data, name, detect(data, name)))
    if version is None:
        raise ValidationError("表单缺少版本号，请刷新页面后重试")
    new_version = check_version(Instruction.objects, pk=instruction.pk, version=version)
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    feedback = Feedback(instruction=instruction, text=text, author=user)
    feedback.full_clean()
    feedback._history_user = user
    feedback.save()
    for data, name, ext in files:
        _attach(feedback, data, name, ext, user)
    first = instruction.status == InstructionStatus.PENDING
    instruction.version = new_version
    if first:
        instruction.status = InstructionStatus.ANSWERED
        instruction.answered_at = feedback.created_at
    instruction._history_user = user
    instruction._change_reason = "反馈" if first else "补充反馈"
    instruction.save()
    transaction.on_commit(lambda: notices.answered(instruction, feedback))
    return feedback


def _attach(feedback, data, name, ext, user):
    base = os.path.splitext(name)[0] or "附件"
    attachment = Attachment(feedback=feedback, original_name=f"{base}{ext}"[-255:], size=len(data))
    attachment.file.save(f"feedback{ext}", ContentFile(data), save=False)
    attachment._history_user = user
    attachment._change_reason = f"上传附件：{attachment.original_name}"
    attachment.save()
