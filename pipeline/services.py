"""Writes to the pipeline (SPEC §3.9): submit, edit, move between stages, attach documents,
admit to a year's list. Views, the API, the import and the demo call these."""

import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pipeline.choices import STAGE_DATE, STAGE_ORDER, PipelineStage
from pipeline.models import PipelineDocument, PipelineProject, StageChange
from registry.choices import DocumentKind, Nature, Role
from registry.documents import detect, read_upload
from registry.models import Document
from registry.roles import has_role
from registry.scoping import is_city_level, visible_regions, visible_units
from registry.services import check_version

SUBMITTERS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)
REVIEWERS = (Role.REVIEWER, Role.ADMIN)
# What a submitter edits on the web and through the API: one list for both ways in.
EDIT_FIELDS = [
    "name", "region", "unit", "category", "sector", "total_investment", "scope", "source",
    "investor", "signed_on", "contract_amount", "funds_in_place", "filed_on", "expected_start",
    "leader", "note",
]  # fmt: skip
MSG_ADMITTED = "该项目已列入重点项目名单，请在项目台账中修改"
MSG_NOT_YOURS = "您不能为该地区或单位填报谋划项目"


def _check_place(data, user):
    """The region (and unit) must be ones the user may pick."""
    errors = {}
    region, unit = data.get("region"), data.get("unit")
    regions_ok = region is not None and visible_regions(user).filter(pk=region.pk).exists()
    unit_ok = unit is not None and visible_units(user).filter(pk=unit.pk).exists()
    if region is None:
        errors["region"] = "请选择谋划地区"
    elif not regions_ok and not (has_role(user, Role.REPORTER) and unit_ok):
        errors["region"] = MSG_NOT_YOURS
    if unit is not None and not unit_ok:
        errors["unit"] = MSG_NOT_YOURS
    if errors:
        raise ValidationError(errors)


def _check_dates(pp: PipelineProject, today: datetime.date):
    for field in ("signed_on", "filed_on"):
        value = getattr(pp, field)
        if value and value > today:
            raise ValidationError({field: "不能晚于今天"})
    if pp.filed_on and not pp.signed_on and pp.source == "investment":
        raise ValidationError({"signed_on": "招商引资项目备案前须有签约时间"})


@transaction.atomic
def pipeline_create(*, data: dict, user, on: datetime.date | None = None) -> PipelineProject:
    """A new project of the pipeline at 谋划, submitted on `on` (today by default)."""
    if not has_role(user, *SUBMITTERS):
        raise PermissionDenied("只有填报员、审核员和管理员可以填报谋划项目")
    _check_place(data, user)
    today = timezone.localdate()
    pp = PipelineProject(
        **{k: v for k, v in data.items() if k in EDIT_FIELDS},
        idea_on=on or today,
        submitted_by=user,
    )
    _check_dates(pp, today)
    pp.full_clean()
    pp._history_user = user
    pp._change_reason = "填报谋划项目"
    pp.save()
    return pp


@transaction.atomic
def pipeline_update(*, pp: PipelineProject, data: dict, version: int, user) -> PipelineProject:
    """Save the fields of EDIT_FIELDS if the editor saw the latest version."""
    if pp.admitted:
        raise ValidationError(MSG_ADMITTED)
    if "region" in data or "unit" in data:
        _check_place({"region": pp.region, "unit": pp.unit, **data}, user)
    pp.version = check_version(PipelineProject.objects, pk=pp.pk, version=version)
    for key, value in data.items():
        if key in EDIT_FIELDS:
            setattr(pp, key, value)
    _check_dates(pp, timezone.localdate())
    pp.full_clean()
    pp._history_user = user
    pp._change_reason = "修改谋划项目"
    pp.save()
    return pp


def _stage_date(pp, stage):
    return getattr(pp, STAGE_DATE[stage])


@transaction.atomic
def pipeline_move(
    *, pp: PipelineProject, to_stage: str, user, on: datetime.date | None = None, note: str = ""
) -> StageChange:
    """Move to another stage on `on` (today by default), dated and audited. Forward moves
    record the day each skipped stage was reached too; a move back needs a reason and clears
    the later dates."""
    if not has_role(user, *REVIEWERS):
        raise PermissionDenied("只有审核员可以调整谋划阶段")
    if pp.admitted:
        raise ValidationError(MSG_ADMITTED)
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"stage": "未知的阶段"})
    today = timezone.localdate()
    on = on or today
    here, there = STAGE_ORDER.index(pp.stage), STAGE_ORDER.index(to_stage)
    if there == here:
        raise ValidationError({"stage": f"项目已处于“{pp.get_stage_display()}”阶段"})
    if on > today:
        raise ValidationError({"changed_on": "变更日期不能晚于今天"})
    reached = _stage_date(pp, pp.stage)
    if on < reached:
        raise ValidationError({"changed_on": f"变更日期不能早于进入当前阶段的日期（{reached}）"})
    note = (note or "").strip()[:200]
    if there < here and not note:
        raise ValidationError({"note": "退回前一阶段须填写原因"})
    for stage in STAGE_ORDER[1:]:
        index = STAGE_ORDER.index(stage)
        if here < index <= there:
            setattr(pp, STAGE_DATE[stage], on)
        elif index > there:
            setattr(pp, STAGE_DATE[stage], None)
    change = StageChange.objects.create(
        pipeline_project=pp, from_stage=pp.stage, to_stage=to_stage, changed_on=on,
        changed_by=user, note=note,
    )  # fmt: skip
    pp.stage = to_stage
    pp.version += 1
    pp._history_user = user
    pp._change_reason = f"阶段：{change.get_from_stage_display()}→{change.get_to_stage_display()}"
    pp.save()
    return change


def document_add(*, pp: PipelineProject, kind: str, title: str, upload, user):
    """Check and store one document of a pipeline project (the 入库材料 rules)."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "请选择材料类型"})
    data, name = read_upload(upload)
    ext = detect(data, name)
    base = os.path.splitext(name)[0] or "文件"
    doc = PipelineDocument(
        pipeline_project=pp,
        kind=kind,
        title=(title or "").strip()[:200] or base[:200],
        original_name=f"{base}{ext}"[-255:],
        uploaded_by=user,
    )
    doc.file.save(f"document{ext}", ContentFile(data), save=False)
    doc._history_user = user
    doc._change_reason = f"上传材料：{doc.original_name}"
    doc.save()
    return doc


def _journey(pp: PipelineProject) -> str:
    steps = [
        f"{PipelineStage(stage).label}{getattr(pp, field):%Y-%m-%d}"
        for stage, field in STAGE_DATE.items()
        if getattr(pp, field)
    ]
    return "，".join(steps)


ADMIT_LABELS = {"name": "项目名称", "level": "项目级别", "region": "所属地区", "unit": "责任单位",
                "nature": "建设性质", "category": "项目类别", "sector": "产业类别",
                "pool_reason": "增补原因", "planned_finish": "计划竣工时间"}  # fmt: skip


def _named(exc: ValidationError) -> ValidationError:
    """The ledger's {field: message} errors with the field named, for a message line."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        [f"{ADMIT_LABELS.get(k, k)}：{m}" for k, msgs in exc.message_dict.items() for m in msgs]
    )


@transaction.atomic
def pipeline_admit(
    *, pp: PipelineProject, year: int, user, level: str, plan, unit=None, nature: str = "",
    sector: str = "", reason: str = "",
):  # fmt: skip
    """Put a 成熟 project on `year`'s list: this year's list as 增补 (counted from today), next
    year's as 正式. The list's project is created by the ledger's own service, keeps the
    pipeline project's identity (linked both ways), documents and history."""
    from registry.project_create import project_create

    if not (has_role(user, *REVIEWERS) and is_city_level(user)):
        raise PermissionDenied("只有市级审核员可以将项目列入重点项目名单")
    pp = PipelineProject.objects.select_for_update().get(pk=pp.pk)
    if pp.admitted:
        raise ValidationError(MSG_ADMITTED)
    if pp.stage != PipelineStage.MATURE:
        raise ValidationError("只有“成熟”阶段的项目可以列入名单")
    today = timezone.localdate()
    if year not in (today.year, today.year + 1):
        raise ValidationError({"year": f"只能列入{today.year}年（增补）或{today.year + 1}年名单"})
    data = {
        "name": pp.name, "level": level, "category": pp.category, "sector": sector or pp.sector,
        "nature": nature or Nature.NEW, "region": pp.region, "unit": unit or pp.unit,
        "leader": pp.leader, "owner": pp.investor, "scope": pp.scope,
        "total_investment": pp.total_investment, "planned_start": pp.expected_start,
        "signed_on": pp.signed_on, "filed_on": pp.filed_on, "note": pp.note,
    }  # fmt: skip
    reason = (reason or "").strip() or "由项目谋划库转入"
    try:
        project = project_create(data=data, year=year, plan=plan, user=user, pool_reason=reason)
    except ValidationError as exc:
        raise _named(exc) from None
    project._history_user = user
    project._change_reason = f"由项目谋划库转入（{_journey(pp)}）"
    project.save(update_fields=["updated_at"])
    for doc in pp.documents.all():
        copy = Document(
            project=project, kind=doc.kind, title=doc.title, original_name=doc.original_name,
            uploaded_by=doc.uploaded_by, file=doc.file.name,
        )  # fmt: skip
        copy._history_user = user
        copy._change_reason = "由项目谋划库转入"
        copy.save()
    pp.project, pp.admitted_on = project, today
    pp.version += 1
    pp._history_user = user
    pp._change_reason = f"列入{year}年重点项目名单（{project.code}）"
    pp.save()
    return project


@transaction.atomic
def targets_save(*, year: int, values: dict, user) -> int:
    """Set the city's targets of `year`: {(county id, band id): {"count", "amount"}}.
    Returns how many rows changed."""
    from pipeline.models import PipelineTarget

    if not is_city_level(user):
        raise PermissionDenied("只有市级审核员可以设置谋划储备目标")
    changed = 0
    for (region_id, band_id), cell in values.items():
        row, created = PipelineTarget.objects.get_or_create(
            year=year, region_id=region_id, band_id=band_id
        )
        if created or (row.count, row.amount) != (cell["count"], cell["amount"]):
            row.count, row.amount = cell["count"], cell["amount"]
            row.full_clean()
            row.save()
            changed += 1
    return changed
