"""新增项目 on the web (SPEC §3.1, §3.5, §3.8): one project with its year's plan and its 五个一,
checked by the ledger import's own rules (registry.project_rules), audited like every change,
and 增补 from today when the year's list is already running."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.locks import ImportBusyError, lock_import_year
from registry.choices import Pool
from registry.codes import next_code
from registry.models import AnnualPlan, Project
from registry.project_rules import (
    MSG_REQUIRED_NEW,
    code_taken_message,
    dates_error,
    missing_for_new,
    name_region_key,
    region_out_of_scope_message,
    same_project_message,
)
from registry.scoping import visible_regions
from registry.services import POOL_MOVES, project_assign_contract
from registry.years import check_writable, list_running

MSG_REASON = "请填写增补原因（将记入变更记录）"
MSG_CONFLICT = "保存未完成：项目编号已被同时新增的项目占用，请重新提交"


def new_project_errors(*, data: dict, year: int, user, pool_reason: str = "") -> dict:
    """{field: Chinese message} of what keeps `data` from becoming a new project of `year`'s
    list: the import's rules for a new row, on the database instead of a workbook."""
    errors = {}
    for key in missing_for_new(data, later=()):  # on the web a new project is complete
        errors[key] = MSG_REQUIRED_NEW
    region = data.get("region")
    if region is not None and not visible_regions(user).filter(pk=region.pk).exists():
        errors["region"] = region_out_of_scope_message(region.name)
    err = dates_error(data.get("planned_start"), data.get("planned_finish"))
    if err:
        errors["planned_finish"] = err
    code = (data.get("code") or "").strip()
    if code:
        owner = Project.all_objects.filter(code=code).first()
        if owner is not None or Project.history.filter(code=code).exists():
            # An earlier code too: the next import of a sheet carrying it means that project.
            errors["code"] = code_taken_message(code, deleted=bool(owner and owner.is_deleted))
    if region is not None and data.get("name"):
        name, region_id = name_region_key(data["name"], region.pk)
        same = Project.objects.filter(name=name, region_id=region_id).first()
        if same is not None:
            errors["name"] = same_project_message(f"已有项目“{same.code} {same.name}”")
    if list_running(year) and POOL_MOVES[Pool.ADDED][1] and not (pool_reason or "").strip():
        errors["pool_reason"] = MSG_REASON
    return errors


@transaction.atomic
def project_create(
    *, data: dict, year: int, plan: Decimal, user, programs=(), pool_reason: str = ""
) -> Project:
    """Create the project, its plan for `year` and its contracting record, or raise
    ValidationError ({field: message}) and write nothing."""
    check_writable(year, user)
    errors = new_project_errors(data=data, year=year, user=user, pool_reason=pool_reason)
    if errors:
        raise ValidationError(errors)
    try:
        # Generated codes count on every code there is: no import may add one meanwhile.
        lock_import_year("ledger_import", year)
    except ImportBusyError as exc:
        raise ValidationError(str(exc)) from None
    today = timezone.localdate()
    running = list_running(year, today)
    reason = (pool_reason or "").strip()[:200] if running else ""
    fields = {k: v for k, v in data.items() if k != "code"}
    project = Project(
        **fields,
        code=(data.get("code") or "").strip() or next_code(year, data["region"].pk),
        year=year,
        pool=Pool.ADDED if running else Pool.LISTED,
        pool_reason=reason,
    )
    project.full_clean()
    project._history_user = user
    project._change_reason = f"网页新增（年中增补：{reason}）" if running else "网页新增"
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise ValidationError(MSG_CONFLICT) from None
    project.programs.set(programs)
    annual = AnnualPlan(
        project=project,
        year=year,
        planned_investment=plan,
        # 增补 counts from the day it is added (SPEC §3.8); 正式 from the list's start.
        listed_on=today if running else None,
    )
    annual.full_clean()
    annual._history_user = user
    annual._change_reason = project._change_reason
    annual.save()
    project_assign_contract(project=project, user=user, on=today, reason="网页新增项目")
    return project
