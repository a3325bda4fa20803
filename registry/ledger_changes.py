"""What a ledger row changes on a project that already exists: its own fields, its year's
plan and its land row, as field-level (label, old, new) differences the preview lists."""

from decimal import Decimal

from django.utils import timezone

from registry.choices import Pool
from registry.ledger_fields import (
    NULLABLE,
    PROJECT_FIELDS,
    ZERO_WHEN_BLANK,
    assign,
    check_dates,
    display,
    label,
)
from registry.ledger_lookups import Lookups, Run
from registry.models import AnnualPlan, Land
from registry.project_rules import REQUIRED


def add_changes(run: Run, lk: Lookups, project, resolved, plan_value, land_value, where):
    """An existing project's field-level differences, its plan's and its land's."""
    changes = _field_changes(run, lk, project, resolved, where)
    if changes is None:
        return
    ok, plan_change = _plan_change(run, lk, project, plan_value, changes, where)
    if not ok:
        return
    ok, land_change = _land_change(run, lk, project, land_value, changes, where)
    if not ok:
        return
    if not changes:
        run.result.unchanged += 1
        return
    project_keys = [k for k, _o, _n in changes if k in PROJECT_FIELDS]
    if project_keys:
        assign(project, {k: resolved[k] for k in project_keys})
        err = check_dates(project, where)
        if err:
            run.errors.append(err)
            return
        project.version += 1
        project.updated_at = run.now
        project._import_fields = project_keys
        run.changed_projects.append(project)
        if "unit" in project_keys or "leader" in project_keys:
            run.contract_changes.append(project)
    if plan_change is not None:
        (run.plan_changed if plan_change.pk else run.plan_new).append(plan_change)
    if land_change is not None:
        (run.land_changed if land_change.pk else run.land_new).append(land_change)
    run.result.changed.append(
        {
            "where": where,
            "code": project.code,
            "name": project.name,
            "changes": [[label(k), o, n] for k, o, n in changes],
        }
    )


def _field_changes(run, lk, project, resolved, where):
    """[(key, old, new)] of the project's own fields; None when a required one is blank."""
    changes = []
    for key, value in resolved.items():
        attr = PROJECT_FIELDS.get(key)
        if attr is None:
            continue
        if key in REQUIRED and value in (None, ""):
            run.errors.append(f"{where} {label(key)}: 不能为空")
            return None
        old = getattr(project, attr)
        if attr.endswith("_id"):
            new_id = value.pk if value is not None else None
            if old != new_id or (value is not None and value.pk is None):
                old_obj = lk.objects[key].get(old)
                changes.append((key, display(key, old_obj), display(key, value)))
        else:
            if key in ZERO_WHEN_BLANK and value is None:
                value = Decimal("0.00")
            value = "" if value is None and key not in NULLABLE else value
            if old != value:
                changes.append((key, display(key, old), display(key, value)))
    return changes


def _plan_change(run, lk, project, plan_value, changes, where):
    """(ok, the plan to write or None); a new total that contradicts the monthly schedule
    is an error."""
    if plan_value is None:
        return True, None
    plan = lk.plans.get(project.pk)
    if plan is None:
        changes.append(("annual_plan", "", display("annual_plan", plan_value)))
        # A 增补 project put on the list by this import is admitted today (SPEC §3.8).
        admitted = timezone.localdate(run.now) if project.pool == Pool.ADDED else None
        plan = AnnualPlan(
            project=project, year=run.year, planned_investment=plan_value, listed_on=admitted
        )
        return True, plan
    if plan.planned_investment == plan_value:
        return True, None
    if plan.schedule and plan.m12 != plan_value:
        run.errors.append(
            f"{where} 年度计划投资(万元): 与已填的月度计划不一致"
            f"（12月累计{plan.m12}万元），请先调整月度计划"
        )
        return False, None
    old = display("annual_plan", plan.planned_investment)
    changes.append(("annual_plan", old, display("annual_plan", plan_value)))
    plan.planned_investment = plan_value
    plan.updated_at = run.now
    return True, plan


def _land_change(run, lk, project, land_value, changes, where):
    """(ok, the land row to write or None); less than the converted farmland is an error."""
    if land_value is None:
        return True, None
    land = lk.lands.get(project.pk)
    if land is None:
        changes.append(("land_area", "", display("land_area", land_value)))
        return True, Land(project=project, required_area=land_value)
    if land.required_area == land_value:
        return True, None
    if land.farmland_conversion > land_value:
        run.errors.append(
            f"{where} 用地面积(亩): 不能小于已登记的农转用面积{land.farmland_conversion}亩"
        )
        return False, None
    old = display("land_area", land.required_area)
    changes.append(("land_area", old, display("land_area", land_value)))
    land.required_area = land_value
    return True, land
