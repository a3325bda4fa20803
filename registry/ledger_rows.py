"""The ledger import's row checker (SPEC §4.3): each row parsed, matched to a project (by
项目编号, an earlier code, or 项目名称 + 所属地区), checked against the user's scope, and turned
into a new project or a list of field-level changes (registry.ledger_changes), collected in
the run. `registry.ledger_import` owns one checker per run and writes what it collected.
"""

from core.excel import values
from core.excel.reader import parse_cell
from registry.excel.choices import LEDGER_CHOICES
from registry.excel.headers import LEDGER
from registry.excel.plan_layout import fill_defaults
from registry.ledger_changes import add_changes
from registry.ledger_fields import PROJECT_FIELDS, assign, check_dates, display, label, statistics
from registry.ledger_lookups import Lookups, Names, Run
from registry.models import AnnualPlan, Land, Leader, Project, Region, Unit
from registry.project_rules import (
    MSG_REQUIRED_NEW,
    code_taken_message,
    missing_for_new,
    name_region_key,
    region_out_of_scope_message,
    same_project_message,
)

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


def target_field(key):
    target = TARGETS[key]
    return target[0]._meta.get_field(target[1]) if target else None


class RowChecker:
    """Checks the rows of one run against what the run loaded (`lookups`) and collects the
    result in `run`; `create_missing` lets unknown regions, units and leaders be made."""

    def __init__(self, lookups: Lookups, run: Run, *, create_missing: bool = False):
        self.lookups = lookups
        self.run = run
        self.names = Names(lookups, run.pending, create_missing=create_missing)

    def check(self, sheet, sheet_level, row_no, raw):
        """Check one row; its project, plan and land go into the run, or its errors."""
        run = self.run
        where = f"{sheet.name} 第{row_no}行"
        parsed = self._parse(sheet, sheet_level, row_no, raw, where)
        if parsed is None:
            return
        vals, region, unit, leader = parsed
        found = self._match(vals, region, where)
        if found is None:
            return
        project, keep_code = found
        if not self._in_scope(region, project, where):
            return
        code = vals.get("code") or ""
        resolved = statistics(dict(vals))
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
            self._add_new(resolved, code, unit, plan_value, land_value, where)
        else:
            add_changes(run, self.lookups, project, resolved, plan_value, land_value, where)

    def _parse(self, sheet, sheet_level, row_no, raw, where):
        """The row's values and the region, unit and leader they name; None when the row has
        errors (added to the run's)."""
        run = self.run
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
        names = self.names
        if vals.get("region"):
            region = names.region(vals["region"], row_errors, where)
        elif "region" in raw:
            row_errors.append(f"{where} 所属地区: 不能为空")
        if region is not None and vals.get("unit"):
            unit = names.unit(vals["unit"], region, row_errors, where)
        if region is not None and vals.get("leader"):
            leader = names.leader(vals["leader"], region, row_errors, where)
        self._touch(region, vals.get("code"))
        if row_errors:
            run.errors.extend(row_errors)
            return None
        return vals, region, unit, leader

    def _match(self, vals, region, where):
        """(project or None for a new one, keep_code) by 项目编号, else 项目名称 + 所属地区;
        None when the row repeats another or names a deleted project."""
        run, lk, errors = self.run, self.lookups, self.run.errors
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

    def _in_scope(self, region, project, where) -> bool:
        scope, errors = self.run.scope, self.run.errors
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

    def _add_new(self, resolved, code, unit, plan_value, land_value, where):
        run = self.run
        missing = missing_for_new(resolved)
        if missing:
            run.errors.extend(f"{where} {label(k)}: {MSG_REQUIRED_NEW}" for k in missing)
            return
        project = Project(code=code, year=run.year, created_at=run.now, updated_at=run.now)
        assign(project, resolved)
        err = check_dates(project, where)
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
                "total": display("total_investment", project.total_investment),
                "plan": display("annual_plan", plan_value) if plan_value else "",
                "start": display("planned_start", project.planned_start),
                "finish": display("planned_finish", project.planned_finish),
            }
        )
        if plan_value is not None:
            run.plan_new.append(
                AnnualPlan(project=project, year=run.year, planned_investment=plan_value)
            )
        if land_value is not None:
            run.land_new.append(Land(project=project, required_area=land_value))
        run.contract_changes.append(project)

    def _touch(self, region, code):
        result = self.run.result
        """Note the row's region and code-matched project, even on an error row (the preview
        shows it); a row placed nowhere makes the batch whole-city."""
        project = self.lookups.by_code.get(code) if code else None
        if project is not None:
            result.touched_projects.add(project.pk)
        if region is not None:
            # A region still to be created hangs under its (existing) parent.
            result.touched_regions.add(region.pk or region.parent_id)
        elif project is None:
            result.unplaced = True
