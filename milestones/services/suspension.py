"""停工/复工 requests and their review."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milestones.choices import RequestStatus, SuspensionKind
from milestones.models import ProjectSuspension
from milestones.services.base import history_user
from registry.models import Project


def project_is_suspended(project: Project) -> bool:
    last = (
        ProjectSuspension.objects.filter(project=project, status=RequestStatus.APPROVED)
        .order_by("-happened_on", "-id")
        .first()
    )
    return bool(last and last.kind == SuspensionKind.SUSPEND)


@transaction.atomic
def suspension_request(
    *,
    project: Project,
    kind: str,
    happened_on: datetime.date,
    reason: str,
    user,
    expected_resume_on: datetime.date | None = None,
) -> ProjectSuspension:
    suspended = project_is_suspended(project)
    if kind == SuspensionKind.SUSPEND and suspended:
        raise ValidationError("该项目已处于停工状态，不能重复申请停工")
    if kind == SuspensionKind.RESUME and not suspended:
        raise ValidationError("该项目未停工，无需申请复工")
    if ProjectSuspension.objects.filter(project=project, status=RequestStatus.PENDING).exists():
        raise ValidationError("该项目已有待审核的停工/复工申请，请等待审核")
    if happened_on > timezone.localdate() + datetime.timedelta(days=31):
        raise ValidationError({"happened_on": "日期不能晚于一个月以后"})
    if expected_resume_on and expected_resume_on < happened_on:
        raise ValidationError({"expected_resume_on": "预计复工日期不能早于停工日期"})
    req = ProjectSuspension(
        project=project,
        kind=kind,
        happened_on=happened_on,
        expected_resume_on=expected_resume_on,
        reason=reason,
        requested_by=user,
    )
    req.full_clean()
    history_user(req, user)
    req.save()
    return req


@transaction.atomic
def suspension_decide(
    *, request: ProjectSuspension, approve: bool, user, comment: str = ""
) -> ProjectSuspension:
    req = ProjectSuspension.objects.select_for_update().get(pk=request.pk)
    if req.status != RequestStatus.PENDING:
        raise ValidationError("该申请已审核，不能重复审核")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "驳回时必须填写审核意见"})
    req.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    req.reviewed_by = user
    req.reviewed_at = timezone.now()
    req.review_comment = comment.strip()
    req.full_clean()
    history_user(req, user)
    req.save()
    return req
