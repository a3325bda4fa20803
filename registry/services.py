"""Writes to the ledger. Views, commands and tasks call these, never model.save() directly."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.choices import Pool
from registry.models import AnnualPlan, ContractAssignment, Project
from registry.roles import person_name

# Ledger fields a reviewer edits on the web (ProjectForm) and through the API (PATCH):
# one list, so the two ways in cannot drift apart. Programs are set on the form only.
PROJECT_EDIT_FIELDS = [
    "name",
    "level",
    "category",
    "sector",
    "nature",
    "stage",
    "region",
    "unit",
    "leader",
    "owner",
    "contact",
    "phone",
    "scope",
    "location",
    "total_investment",
    "planned_start",
    "planned_finish",
    "projected_finish",
    "started_on",
    "completed_on",
    "operating_on",
    "capacity_on",
    "approval_code",
    "stats_registered",
    "stats_registered_on",
    "stats_code",
    "note",
]

STALE_MESSAGE = "该记录已被{who}于{when}修改，您看到的是旧版本。请刷新页面，核对最新内容后再保存。"


class StaleEditError(ValidationError):
    """Raised when a form was opened on an older version than the database holds."""


def check_version(model_qs, *, pk, version, label="记录"):
    """Atomically claim the next version; raise StaleEditError if someone saved first.

    One UPDATE … WHERE version = seen: whichever writer gets there second matches no row,
    on SQLite and PostgreSQL alike, so no update is ever lost.
    """
    updated = model_qs.filter(pk=pk, version=version).update(version=F("version") + 1)
    if not updated:
        current = model_qs.filter(pk=pk).first()
        who, when = "他人", ""
        history = getattr(current, "history", None)
        if history is not None:
            last = history.order_by("-history_date").select_related("history_user").first()
            if last is not None:
                who = person_name(last.history_user) if last.history_user else "他人"
                when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
        raise StaleEditError(STALE_MESSAGE.format(who=who, when=when), code="stale")
    return version + 1


@transaction.atomic
def project_update(*, project: Project, data: dict, version: int, user=None) -> Project:
    """Save ledger fields of a project if the editor saw the latest version."""
    new_version = check_version(Project.objects, pk=project.pk, version=version, label="项目")
    old_leader, old_unit = project.leader_id, project.unit_id
    for field, value in data.items():
        setattr(project, field, value)
    project.version = new_version
    project.full_clean()
    project._history_user = user
    project.save()
    if (project.leader_id, project.unit_id) != (old_leader, old_unit):
        project_assign_contract(project=project, user=user)
    return project


def project_assign_contract(*, project: Project, user=None, on=None, reason=""):
    """Close the current contracting record and open one for the project's leader and unit."""
    on = on or timezone.localdate()
    current = project.assignments.filter(end_on__isnull=True).first()
    if current and current.leader_id == project.leader_id and current.unit_id == project.unit_id:
        return current
    if current:
        current.end_on = max(on, current.start_on)
        current.save(update_fields=["end_on"])
    return ContractAssignment.objects.create(
        project=project,
        leader_id=project.leader_id,
        unit_id=project.unit_id,
        start_on=on,
        changed_by=user,
        reason=reason,
    )


def project_soft_delete(*, project: Project, user=None) -> None:
    project._history_user = user
    project.soft_delete()


POOL_MOVES = {
    # target pool: (message when done, whether a reason is required)
    Pool.WITHDRAWN: ("已退库", True),
    Pool.ADDED: ("已列为年中增补项目", True),
    Pool.LISTED: ("已恢复为正式项目", False),
}


@transaction.atomic
def project_set_pool(
    *, project: Project, pool: str, reason: str, version: int, user, on=None
) -> str:
    """增补 / 退库 during the year, or back to 正式 (SPEC §3.5); audited, optimistic-locked.

    A withdrawn project leaves the year's list (and every figure from that day on) but is
    never deleted. The change is dated (`on`, default today) on the project's plans for
    that year and later, in the same transaction: see `date_membership`."""
    from registry.years import check_writable, current_year

    if pool not in POOL_MOVES:
        raise ValidationError("不支持的项目库操作")
    done, needs_reason = POOL_MOVES[pool]
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": "请填写原因（将记入变更记录）"})
    if project.pool == pool:
        raise ValidationError(f"该项目{done.removeprefix('已')}，无需重复操作")
    check_writable(current_year(), user)
    new_version = check_version(Project.objects, pk=project.pk, version=version, label="项目")
    project.refresh_from_db()
    project.pool, project.pool_reason = pool, reason[:200]
    project.version = new_version
    project.full_clean()
    project._history_user = user
    project._change_reason = f"{done}：{reason}" if reason else done
    project.save()
    date_membership(project=project, pool=pool, on=on or timezone.localdate(), user=user)
    return done


def date_membership(*, project: Project, pool: str, on, user=None) -> None:
    """Date a pool change on the project's plans (its list memberships, SPEC §3.8).

    退库 ends every open membership on `on` (an earlier year's list keeps the project to
    its end: the date lies after it); 增补 begins the memberships of `on`'s year and later on
    `on`; 恢复为正式 makes them 正式 again, from the list's start and not withdrawn. It undoes
    a 退库: a membership is one interval, so a project withdrawn and restored months later
    counts for the months between as well. A package's plans are its sub-projects': they
    move with it."""
    members = [project.pk, *project.sub_projects.values_list("pk", flat=True)]
    for plan in AnnualPlan.objects.filter(project_id__in=members).select_for_update():
        before = (plan.listed_on, plan.withdrawn_on)
        if pool == Pool.WITHDRAWN:
            if plan.withdrawn_on is None:  # else withdrawn before (a sub-project on its own)
                plan.withdrawn_on = max(on, plan.listed_on or on)
        else:
            plan.withdrawn_on = None
            if plan.year >= on.year:
                plan.listed_on = on if pool == Pool.ADDED else None
        if (plan.listed_on, plan.withdrawn_on) == before:
            continue
        plan._history_user = user
        plan._change_reason = f"{POOL_MOVES[pool][0]}（{on:%Y-%m-%d}）"
        plan.save(update_fields=["listed_on", "withdrawn_on", "updated_at"])
