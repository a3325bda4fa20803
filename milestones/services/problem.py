"""Writing problems (问题清单): who may set what, resolution and 督办."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milestones.choices import ProblemStatus
from milestones.models import Problem
from milestones.services.base import history_user
from registry.choices import Role
from registry.models import Project
from registry.roles import has_role
from registry.scoping import visible_units
from registry.services import check_version

PROBLEM_FIELDS = [
    "category",
    "description",
    "measures",
    "coordination_level",
    "responsible_unit",
    "responsible_person",
    "deadline",
    "status",
    "is_supervised",
    "progress_note",
    "resolution",
]


def _problem_resolution(problem: Problem):
    if problem.status == ProblemStatus.RESOLVED:
        if not problem.resolution.strip():
            raise ValidationError({"resolution": "问题标记为已解决时必须填写解决情况"})
        problem.resolved_on = problem.resolved_on or timezone.localdate()
    else:
        problem.resolved_on = None


# What a reporter may change on an existing problem: its progress and its resolution. The
# deadline, coordination level and 督办 are the reviewer's (moving a deadline would clear the
# overdue flag); what the problem is and who owns it stay as the reviewer last set them.
REPORTER_PROBLEM_FIELDS = ("status", "measures", "progress_note", "resolution")
MSG_REVIEWER_FIELDS = "填报员只能更新措施、推进情况、状态和解决情况；{fields}由审核员设定"
MSG_UNIT_SCOPE = "所选责任单位不在您的管理范围内"


def can_direct_problems(user) -> bool:
    """审核员 and 管理员 set deadlines, coordination levels, owners and 督办."""
    return has_role(user, Role.REVIEWER, Role.ADMIN)


def _check_problem_authority(*, problem: Problem, data: dict, user, creating: bool):
    """Refuse (ValidationError) what the user may not set; `problem` holds the old values.

    user=None is the system itself (seed, commands) and may set everything.
    """
    if user is None or can_direct_problems(user):
        pass
    elif creating:
        if data.get("is_supervised"):
            raise ValidationError({"is_supervised": "只有审核员可以列入督办"})
    else:
        changed = [
            Problem._meta.get_field(f).verbose_name
            for f in PROBLEM_FIELDS
            if f in data and f not in REPORTER_PROBLEM_FIELDS and data[f] != getattr(problem, f)
        ]
        if changed:
            raise ValidationError(MSG_REVIEWER_FIELDS.format(fields="、".join(changed)))
    unit = data.get("responsible_unit")
    if user is None or unit is None:
        return
    if not creating and unit.pk == problem.responsible_unit_id:
        return  # unchanged: an owner set by someone with a wider scope stays valid
    if unit.pk != problem.project.unit_id and not visible_units(user).filter(pk=unit.pk).exists():
        raise ValidationError({"responsible_unit": MSG_UNIT_SCOPE})


def problem_defaults(project: Project) -> dict:
    """Who answers for a new problem unless told otherwise: the project's 责任单位 and its
    responsible person (the 分包领导, else the project's 联系人)."""
    person = project.leader.name if project.leader_id else project.contact
    return {"responsible_unit": project.unit, "responsible_person": person or ""}


@transaction.atomic
def problem_create(*, project: Project, data: dict, user, source_report=None) -> Problem:
    problem = Problem(project=project, created_by=user, source_report=source_report)
    _check_problem_authority(problem=problem, data=data, user=user, creating=True)
    for field in PROBLEM_FIELDS:
        if field in data:
            setattr(problem, field, data[field])
    _problem_resolution(problem)
    problem.full_clean()
    history_user(problem, user)
    problem.save()
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, data: dict, version: int, user) -> Problem:
    new_version = check_version(Problem.objects, pk=problem.pk, version=version)
    problem = Problem.objects.select_related("project").get(pk=problem.pk)
    _check_problem_authority(problem=problem, data=data, user=user, creating=False)
    for field in PROBLEM_FIELDS:
        if field in data:
            setattr(problem, field, data[field])
    problem.version = new_version
    _problem_resolution(problem)
    problem.full_clean()
    history_user(problem, user)
    problem.save()
    return problem


def problem_resolve(*, problem: Problem, resolution: str, version: int, user) -> Problem:
    return problem_update(
        problem=problem,
        data={"status": ProblemStatus.RESOLVED, "resolution": resolution},
        version=version,
        user=user,
    )


@transaction.atomic
def problem_supervise(*, problem: Problem, user, reason: str) -> Problem:
    """Set a problem's 督办 flag as an audited edit: version bumped, so a form opened before
    the letter was issued is refused as stale instead of silently clearing 督办."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.is_supervised:
        return problem
    problem.is_supervised = True
    problem.version += 1
    history_user(problem, user)
    problem._change_reason = reason
    problem.save()
    return problem
