"""The ledger import's row checks (SPEC §4.3): each row parsed, matched to a project (by
项目编号, an earlier code, or 项目名称 + 所属地区), checked against the user's scope, and turned
into a new project or a list of field-level changes. `registry.ledger_import` drives them
over the workbook and writes the result in one transaction.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from core.excel import values
from core.excel.reader import parse_cell
from core.excel.schema import normalise
from registry.choices import LeaderLevel, Pool, RegionLevel, UnitKind, YesNo
from registry.excel.choices import LEDGER_CHOICES
from registry.excel.headers import LEDGER
from registry.excel.plan_layout import fill_defaults
from registry.models import AnnualPlan, Land, Leader, Project, Region, Unit
from registry.project_rules import (
    MSG_REQUIRED_NEW,
    REQUIRED,
    code_taken_message,
    dates_error,
    missing_for_new,
    name_region_key,
    region_out_of_scope_message,
    same_project_message,
)

if TYPE_CHECKING:
    from registry.ledger_import import ImportResult

REGION_SUFFIXES = ("街道办事处", "街道", "新区", "县", "区", "市", "镇", "乡")

# Ledger columns stored directly on Project, in template order.
PROJECT_FIELDS = {
    "code": "code",  # changes only when an earlier code or name + region matched the row
    "name": "name",
    "level": "level",
    "region": "region_id",
    "unit": "unit_id",
    "leader": "leader_id",
    "nature": "nature",
    "category": "category",
    "sector": "sector",
    "scope": "scope",
    "total_investment": "total_investment",
    "invested_before_year": "invested_before_year",
    "planned_start": "planned_start",
    "planned_finish": "planned_finish",
    "owner": "owner",
    "contact": "contact",
    "phone": "phone",
    "note": "note",
    "stats_registered": "stats_registered",
    "stats_registered_on": "stats_registered_on",
    "stats_code": "stats_code",
}
# 入统 columns: a blank cell means "no change" (statistics lists are kept elsewhere and a
# ledger often leaves them empty), never a deletion.
KEEP_WHEN_BLANK = ("stats_registered", "stats_registered_on", "stats_code")
# Columns whose blank is stored as NULL (dates, money), not as an empty text.
ZERO_WHEN_BLANK = ("total_investment", "invested_before_year")  # money: blank is 0
NULLABLE = ("total_investment", "planned_start", "planned_finish", "stats_registered_on")
# Where each column's value is stored: it must fit that field (length, digits, sign), checked
# per cell from the field's own metadata. None: not stored (the sheet's row number).
TARGETS = {
    **{key: (Project, attr.removesuffix("_id")) for key, attr in PROJECT_FIELDS.items()},
    "seq": None,
    "years_span": None,  # read into the planned dates (registry.excel.plan_layout)
    "code": (Project, "code"),
    "region": (Region, "name"),
    "unit": (Unit, "name"),
    "leader": (Leader, "name"),
    "annual_plan": (AnnualPlan, "planned_investment"),
    "land_area": (Land, "required_area"),
    "stats_registered": None,  # 是/否, stored as a boolean
}
CHOICE_KEYS = ("level", "nature", "category", "sector")


def target_field(key):
    target = TARGETS[key]
    return target[0]._meta.get_field(target[1]) if target else None


def strip_region_suffix(name):
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _town_after_county(key, lk) -> list:
    """'甲县城南街道' → 城南街道 of 甲县: plans name the town after its county."""
    found = []
    for prefix, parents in lk.region_exact.items():
        rest = key[len(prefix) :] if key.startswith(prefix) else ""
        if not rest:
            continue
        short = strip_region_suffix(rest)
        for parent in parents:
            found += [
                r
                for r in lk.children[parent.pk]
                if normalise(r.name) == rest or strip_region_suffix(normalise(r.name)) == short
            ]
    return found


# 所在地 of a project the city itself carries, as published plans write it.
CITY_WIDE = {"市本级", "市直", "本级", "全市", "市级", "跨县区", "多县区"}


def _city_wide(key, lk) -> bool:
    """'市本级', or several counties at once ('甲县、乙区'): the project is the city's."""
    if key in CITY_WIDE:
        return True
    parts = [p for p in re.split(r"[、，,/；;]", key) if p.strip()]
    if len(parts) < 2:
        return False
    # every part a known region: a project across counties
    return all(lk.region_exact.get(p) or lk.region_short.get(strip_region_suffix(p)) for p in parts)


class _Lookups:
    """Everything a run needs from the database, loaded once."""

    def __init__(self, year):
        self.regions = {r.pk: r for r in Region.objects.all()}
        self.region_exact = defaultdict(list)
        self.region_short = defaultdict(list)
        for r in self.regions.values():
            self.region_exact[normalise(r.name)].append(r)
            self.region_short[strip_region_suffix(normalise(r.name))].append(r)
        self.children = defaultdict(list)
        for r in self.regions.values():
            self.children[r.parent_id].append(r)
        self.units = defaultdict(list)
        for u in Unit.objects.all():
            self.units[normalise(u.name)].append(u)
        self.leaders = defaultdict(list)
        for ld in Leader.objects.all():
            self.leaders[normalise(ld.name)].append(ld)
        self.by_code = {}
        self.by_name_region = {}
        self.by_pk = {}
        for p in Project.all_objects.all():
            self.by_code[p.code] = p
            self.by_pk[p.pk] = p
            if not p.is_deleted:
                self.by_name_region.setdefault(name_region_key(p.name, p.region_id), p)
        self.plans = {a.project_id: a for a in AnnualPlan.objects.filter(year=year)}
        # Codes projects had before (simple-history keeps every version of a project).
        self.earlier_codes = {}
        for code, pk in Project.history.order_by("history_date").values_list("code", "id"):
            self.earlier_codes[code] = pk
        self.lands = {land.project_id: land for land in Land.objects.all()}
        self.roots = [r for r in self.regions.values() if r.parent_id is None]
        self.objects = {
            "region": self.regions,
            "unit": {u.pk: u for group in self.units.values() for u in group},
            "leader": {ld.pk: ld for group in self.leaders.values() for ld in group},
        }

    def match_recoded(self, code, name, region):
        """An unknown code: the project that had it in an earlier year (returned with True:
        keep its current code), else the same name in the same region (a carried-over project
        given a new list code, which the import then stores)."""
        project = self.by_pk.get(self.earlier_codes.get(code))
        if project is not None and not project.is_deleted:
            return project, True  # an outdated sheet: the project keeps its current code
        if region is not None and region.pk:
            return self.by_name_region.get(name_region_key(name, region.pk)), False
        return None, False


class _Pending:
    """Regions, units and leaders to create (only with create_missing)."""

    def __init__(self):
        self.regions = {}
        self.units = {}
        self.leaders = {}


def _statistics(resolved):
    """是否入统 → a boolean; blank 入统 cells drop out (no change); a 入统时间 implies 是."""
    for key in KEEP_WHEN_BLANK:
        if resolved.get(key) in (None, ""):
            resolved.pop(key, None)
    if "stats_registered" in resolved:
        resolved["stats_registered"] = resolved["stats_registered"] == YesNo.YES
        if not resolved["stats_registered"]:
            resolved["stats_registered_on"] = None  # 否: no registration date either
    if resolved.get("stats_registered_on") and "stats_registered" not in resolved:
        resolved["stats_registered"] = True
    return resolved


def _label(key):
    return LEDGER.by_key[key].label


def _display(key, value, lookups=None):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in CHOICE_KEYS:
        return str(LEDGER_CHOICES[key].label_of.get(value, value))
    if isinstance(value, (Region, Unit, Leader)):
        return value.name
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class _Run:
    """What one run collects row by row before writing (or only reporting, when dry)."""

    result: "ImportResult"
    year: int
    scope: dict | None
    now: datetime.datetime
    pending: _Pending = field(default_factory=_Pending)
    seen_codes: dict = field(default_factory=dict)  # code → where it was first seen
    seen_projects: dict = field(default_factory=dict)  # project id or (name, region) → where
    new_projects: list = field(default_factory=list)
    codeless_new: list = field(default_factory=list)
    changed_projects: list = field(default_factory=list)
    plan_new: list = field(default_factory=list)
    plan_changed: list = field(default_factory=list)
    land_new: list = field(default_factory=list)
    land_changed: list = field(default_factory=list)
    contract_changes: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return self.result.errors


def _new_unit(name, region):
    return Unit(name=name, region=region, kind=UnitKind.DEPARTMENT)


def _new_leader(name, region):
    city = region.parent_id is None and region.pk
    return Leader(
        name=name, post="", region=region, level=LeaderLevel.CITY if city else LeaderLevel.COUNTY
    )


class RowChecks:
    """Mixed into LedgerImporter: everything one row needs (its `_lk` lookups, and
    `create_missing`, `default_level` and `user` from the importer)."""

    # -- resolving names ------------------------------------------------------------------

    def _region(self, name, lk, pending, errors, where):
        key = normalise(name)
        found = lk.region_exact.get(key) or []
        if not found:
            found = lk.region_short.get(strip_region_suffix(key)) or []
        if not found:
            found = _town_after_county(key, lk)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            errors.append(f"{where} 所属地区: “{name}”有{len(found)}个同名地区，请填写全称")
            return None
        if key in pending.regions:
            return pending.regions[key]
        if len(lk.roots) == 1 and _city_wide(key, lk):
            return lk.roots[0]
        if not self.create_missing:
            errors.append(
                f"{where} 所属地区: 系统中没有地区“{name}”（可勾选“自动创建缺失的地区/单位/领导”）"
            )
            return None
        if len(lk.roots) != 1:
            errors.append(f"{where} 所属地区: 无法确定“{name}”的上级地区，请先在后台添加")
            return None
        region = Region(name=name.strip(), parent=lk.roots[0], level=RegionLevel.COUNTY)
        pending.regions[key] = region
        return region

    def _by_name(self, index, pending_index, name, region, label, errors, where, make):
        key = normalise(name)
        found = index.get(key) or []
        if len(found) > 1 and region is not None and region.pk:
            # Same name in several regions: take the one of the row's region or its nearest
            # ancestor.
            path = region.path
            inside = [o for o in found if path.startswith(self._region_path(o.region_id))]
            inside.sort(key=lambda o: len(self._region_path(o.region_id)), reverse=True)
            found = inside[:1] if inside else found
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            errors.append(f"{where} {label}: “{name}”有{len(found)}个同名，无法确定是哪一个")
            return None
        pkey = (key, id(region))
        if pkey in pending_index:
            return pending_index[pkey]
        if not self.create_missing:
            errors.append(
                f"{where} {label}: 系统中没有“{name}”（可勾选“自动创建缺失的地区/单位/领导”）"
            )
            return None
        if region is None:
            return None
        obj = make(name.strip(), region)
        pending_index[pkey] = obj
        return obj

    def _region_path(self, region_id):
        region = self._lk.regions.get(region_id)
        return region.path if region else "\x00"

    # -- the run --------------------------------------------------------------------------

    def _row(self, run, sheet, sheet_level, row_no, raw):
        where = f"{sheet.name} 第{row_no}行"
        parsed = self._parse(run, sheet, sheet_level, row_no, raw, where)
        if parsed is None:
            return
        vals, region, unit, leader = parsed
        found = self._match(run, vals, region, where)
        if found is None:
            return
        project, keep_code = found
        if not self._in_scope(run, region, project, where):
            return
        code = vals.get("code") or ""
        resolved = _statistics(dict(vals))
        resolved["region"] = region
        if unit is not None:
            resolved["unit"] = unit
        if not resolved.get("sector"):
            resolved.pop("sector", None)  # blank: to fill in later, never a deletion
        if "leader" in raw:
            resolved["leader"] = leader
        plan_value = resolved.pop("annual_plan", None)
        land_value = resolved.pop("land_area", None)
        if not code or project is None or project.code == code or keep_code:
            resolved.pop("code", None)
        if project is None:
            self._add_new(run, resolved, code, unit, plan_value, land_value, where)
        else:
            self._add_changes(run, project, resolved, plan_value, land_value, where)

    def _parse(self, run, sheet, sheet_level, row_no, raw, where):
        """The row's values and the region, unit and leader they name; None when the row has
        errors (added to the run's)."""
        row_errors = []
        vals = {}
        for key, cell in raw.items():
            col = LEDGER.by_key[key]
            unit_, choices = sheet.columns[key][1], LEDGER_CHOICES.get(key)
            try:
                vals[key] = parse_cell(col, unit_, cell, choices, target_field(key))
            except values.CellError as exc:
                row_errors.append(f"{where} {col.label}: {exc}")
        vals.pop("seq", None)
        fill_defaults(
            vals,
            group=sheet.groups.get(row_no),
            list_year=run.year,
            level=sheet_level,
            context=(sheet.name, *sheet.titles),
        )
        if not vals.get("name"):
            row_errors.append(f"{where} 项目名称: 不能为空")
        region = unit = leader = None
        lk, pending = self._lk, run.pending
        if vals.get("region"):
            region = self._region(vals["region"], lk, pending, row_errors, where)
        elif "region" in raw:
            row_errors.append(f"{where} 所属地区: 不能为空")
        if region is not None and vals.get("unit"):
            unit = self._by_name(lk.units, pending.units, vals["unit"], region, "责任单位",
                                 row_errors, where, _new_unit)  # fmt: skip
        if region is not None and vals.get("leader"):
            leader = self._by_name(lk.leaders, pending.leaders, vals["leader"], region,
                                   "分包领导", row_errors, where, _new_leader)  # fmt: skip
        self._touch(run.result, region, vals.get("code"))
        if row_errors:
            run.errors.extend(row_errors)
            return None
        return vals, region, unit, leader

    def _match(self, run, vals, region, where):
        """(project or None for a new one, keep_code) by 项目编号, else 项目名称 + 所属地区;
        None when the row repeats another or names a deleted project."""
        lk, errors = self._lk, run.errors
        code, name = vals.get("code") or "", vals.get("name")
        project = None
        keep_code = False  # matched by a code the project had before: keep today's
        if code:
            if code in run.seen_codes:
                errors.append(f"{where} 项目编号: “{code}”与{run.seen_codes[code]}重复")
                return None
            run.seen_codes[code] = where
            project = lk.by_code.get(code)
            if project is not None and project.is_deleted:
                errors.append(f"{where} 项目编号: {code_taken_message(code, deleted=True)}")
                return None
            if project is None:
                # A new year's list may re-code a carried-over project (SPEC §3.5).
                project, keep_code = lk.match_recoded(code, name, region)
        elif region is not None and region.pk:
            project = lk.by_name_region.get(name_region_key(name, region.pk))
        seen = run.seen_projects
        if project is not None:
            run.result.touched_projects.add(project.pk)
            if project.pk in seen:
                errors.append(f"{where}: 与{seen[project.pk]}是同一个项目（{project.code}）")
                return None
            seen[project.pk] = where
        elif not code:
            nkey = (name, id(region))
            if nkey in seen:
                errors.append(f"{where}: {same_project_message(seen[nkey])}")
                return None
            seen[nkey] = where
        return project, keep_code

    @staticmethod
    def _in_scope(run, region, project, where) -> bool:
        scope, errors = run.scope, run.errors
        if scope is None:
            return True
        # A region to create hangs under the root: only whole-city users may.
        if region is not None and region.pk is None:
            if region.parent_id not in scope["regions"]:
                errors.append(f"{where} 所属地区: 新建地区“{region.name}”超出您的管理范围")
                return False
        elif region is not None and region.pk not in scope["regions"]:
            errors.append(f"{where} 所属地区: {region_out_of_scope_message(region.name)}")
            return False
        if project is not None and project.pk not in scope["projects"]:
            errors.append(f"{where} 项目编号: 项目“{project.code}”不在您的管理范围内")
            return False
        return True

    def _add_new(self, run, resolved, code, unit, plan_value, land_value, where):
        missing = missing_for_new(resolved)
        if missing:
            run.errors.extend(f"{where} {_label(k)}: {MSG_REQUIRED_NEW}" for k in missing)
            return
        project = Project(code=code, year=run.year, created_at=run.now, updated_at=run.now)
        self._assign(project, resolved)
        err = self._check_dates(project, where)
        if err:
            run.errors.append(err)
            return
        run.new_projects.append(project)
        if not code:
            run.codeless_new.append(project)
        region = resolved["region"]
        run.result.new.append(
            {
                "where": where,
                "code": code or "（自动生成）",
                "name": resolved.get("name"),
                "region": region.name if region else "",
                # What the reviewer checks before confirming.
                "unit": unit.name if unit else "待完善",
                "total": _display("total_investment", project.total_investment),
                "plan": _display("annual_plan", plan_value) if plan_value else "",
                "start": _display("planned_start", project.planned_start),
                "finish": _display("planned_finish", project.planned_finish),
            }
        )
        if plan_value is not None:
            run.plan_new.append(
                AnnualPlan(project=project, year=run.year, planned_investment=plan_value)
            )
        if land_value is not None:
            run.land_new.append(Land(project=project, required_area=land_value))
        run.contract_changes.append(project)

    def _add_changes(self, run, project, resolved, plan_value, land_value, where):
        """An existing project's field-level differences, its plan's and its land's."""
        changes = self._field_changes(run, project, resolved, where)
        if changes is None:
            return
        ok, plan_change = self._plan_change(run, project, plan_value, changes, where)
        if not ok:
            return
        ok, land_change = self._land_change(run, project, land_value, changes, where)
        if not ok:
            return
        if not changes:
            run.result.unchanged += 1
            return
        project_keys = [k for k, _o, _n in changes if k in PROJECT_FIELDS]
        if project_keys:
            self._assign(project, {k: resolved[k] for k in project_keys})
            err = self._check_dates(project, where)
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
                "changes": [[_label(k), o, n] for k, o, n in changes],
            }
        )

    def _field_changes(self, run, project, resolved, where):
        """[(key, old, new)] of the project's own fields; None when a required one is blank."""
        changes = []
        for key, value in resolved.items():
            attr = PROJECT_FIELDS.get(key)
            if attr is None:
                continue
            if key in REQUIRED and value in (None, ""):
                run.errors.append(f"{where} {_label(key)}: 不能为空")
                return None
            old = getattr(project, attr)
            if attr.endswith("_id"):
                new_id = value.pk if value is not None else None
                if old != new_id or (value is not None and value.pk is None):
                    old_obj = self._lk.objects[key].get(old)
                    changes.append((key, _display(key, old_obj), _display(key, value)))
            else:
                if key in ZERO_WHEN_BLANK and value is None:
                    value = Decimal("0.00")
                value = "" if value is None and key not in NULLABLE else value
                if old != value:
                    changes.append((key, _display(key, old), _display(key, value)))
        return changes

    def _plan_change(self, run, project, plan_value, changes, where):
        """(ok, the plan to write or None); a new total that contradicts the monthly schedule
        is an error."""
        if plan_value is None:
            return True, None
        plan = self._lk.plans.get(project.pk)
        if plan is None:
            changes.append(("annual_plan", "", _display("annual_plan", plan_value)))
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
        old = _display("annual_plan", plan.planned_investment)
        changes.append(("annual_plan", old, _display("annual_plan", plan_value)))
        plan.planned_investment = plan_value
        plan.updated_at = run.now
        return True, plan

    def _land_change(self, run, project, land_value, changes, where):
        """(ok, the land row to write or None); less than the converted farmland is an error."""
        if land_value is None:
            return True, None
        land = self._lk.lands.get(project.pk)
        if land is None:
            changes.append(("land_area", "", _display("land_area", land_value)))
            return True, Land(project=project, required_area=land_value)
        if land.required_area == land_value:
            return True, None
        if land.farmland_conversion > land_value:
            run.errors.append(
                f"{where} 用地面积(亩): 不能小于已登记的农转用面积{land.farmland_conversion}亩"
            )
            return False, None
        old = _display("land_area", land.required_area)
        changes.append(("land_area", old, _display("land_area", land_value)))
        land.required_area = land_value
        return True, land

    def _touch(self, result, region, code):
        """Note the row's region and code-matched project, even on an error row (the preview
        shows it); a row placed nowhere makes the batch whole-city."""
        project = self._lk.by_code.get(code) if code else None
        if project is not None:
            result.touched_projects.add(project.pk)
        if region is not None:
            # A region still to be created hangs under its (existing) parent.
            result.touched_regions.add(region.pk or region.parent_id)
        elif project is None:
            result.unplaced = True

    @staticmethod
    def _assign(project, resolved):
        for key, value in resolved.items():
            attr = PROJECT_FIELDS.get(key)
            if attr is None:
                continue
            if attr.endswith("_id"):
                setattr(project, attr[:-3], value)
            elif value is None:
                if key in ZERO_WHEN_BLANK:
                    value = Decimal("0.00")
                elif key not in NULLABLE:
                    value = ""
                setattr(project, attr, value)
            else:
                setattr(project, attr, value)

    @staticmethod
    def _check_dates(project, where):
        err = dates_error(project.planned_start, project.planned_finish)
        return f"{where} 计划竣工时间: {err}" if err else None
