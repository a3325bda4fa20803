"""What one ledger import run knows and collects: every region, unit, leader, project, plan
and land row, loaded once (no per-row queries); how a row's 所属地区, 责任单位 and 分包领导
names resolve against them (or become new ones, with create_missing); and what the rows
add up to before the write (Run).
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from core.excel.schema import normalise
from registry.choices import LeaderLevel, RegionLevel, UnitKind
from registry.import_batches import ImportResult
from registry.models import AnnualPlan, Land, Leader, Project, Region, Unit
from registry.project_rules import name_region_key

REGION_SUFFIXES = ("街道办事处", "街道", "新区", "县", "区", "市", "镇", "乡")


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


class Lookups:
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


class Pending:
    """Regions, units and leaders to create (only with create_missing)."""

    def __init__(self):
        self.regions = {}
        self.units = {}
        self.leaders = {}


@dataclass
class Run:
    """What one run collects row by row before writing (or only reporting, when dry)."""

    result: ImportResult
    year: int
    scope: dict | None
    now: datetime.datetime
    pending: Pending = field(default_factory=Pending)
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


def new_unit(name, region):
    return Unit(name=name, region=region, kind=UnitKind.DEPARTMENT)


def new_leader(name, region):
    city = region.parent_id is None and region.pk
    return Leader(
        name=name, post="", region=region, level=LeaderLevel.CITY if city else LeaderLevel.COUNTY
    )


class Names:
    """Resolves the names a row gives against the lookups; what does not exist yet is made
    (unsaved, in `pending`) when the run may create missing regions, units and leaders."""

    def __init__(self, lookups: Lookups, pending: Pending, *, create_missing: bool):
        self.lookups = lookups
        self.pending = pending
        self.create_missing = create_missing

    def region(self, name, errors, where):
        lk, pending = self.lookups, self.pending
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

    def unit(self, name, region, errors, where):
        units = self.lookups.units
        return self._by_name(units, self.pending.units, name, region, "责任单位", errors, where,
                             new_unit)  # fmt: skip

    def leader(self, name, region, errors, where):
        leaders = self.lookups.leaders
        return self._by_name(leaders, self.pending.leaders, name, region, "分包领导", errors,
                             where, new_leader)  # fmt: skip

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
        region = self.lookups.regions.get(region_id)
        return region.path if region else "\x00"
