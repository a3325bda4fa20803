"""打包项目 of the demo: three sub-projects of one 县区 grouped for every 30 projects."""

from decimal import Decimal

from registry.choices import Category, Nature, Pool, Sector, Stage
from registry.demo.factors import insert_with_history
from registry.models import Project


def create_packages(year, projects, existing_codes, abbr):
    """Group 3 sub-projects of one county into a 打包项目 for every 30 projects."""
    by_county = {}
    for p in projects:
        county_code = p.region.code[:6]
        by_county.setdefault(county_code, []).append(p)
    parents, subs = [], []
    county_codes = sorted(by_county)
    for k in range(len(projects) // 30):
        cc = county_codes[k % len(county_codes)]
        group = by_county[cc][3 * (k // len(county_codes)) : 3 * (k // len(county_codes)) + 3]
        code = f"{year}-{abbr[cc]}-D{k + 1:03d}"
        if len(group) < 3 or code in existing_codes:
            continue
        first = group[0]
        county = first.region if first.region.code == cc else first.region.parent
        parent = Project(
            code=code,
            name=f"{county.name}城乡基础设施提升打包项目",
            year=year,
            level=first.level,
            category=Category.INFRASTRUCTURE,
            sector=Sector.TERTIARY,
            nature=Nature.CONTINUING,
            region=county,
            unit=first.unit,
            leader=first.leader,
            is_package=True,
            owner=first.owner,
            scope="打包项目，按责任单位拆分为子项目分别调度。",
            total_investment=sum((g.total_investment for g in group), Decimal("0.00")),
            invested_before_year=sum((g.invested_before_year for g in group), Decimal("0.00")),
            planned_start=min(g.planned_start for g in group),
            planned_finish=max(g.planned_finish for g in group),
            pool=Pool.LISTED,
            **_package_lifecycle(group),
        )
        parents.append(parent)
        subs.append(group)
    parents = insert_with_history(parents)
    changed = []
    for parent, group in zip(parents, subs, strict=True):
        for g in group:
            g.package_id = parent.pk
            changed.append(g)
    Project.objects.bulk_update(changed, ["package"], batch_size=2000)


def _package_lifecycle(group):
    """A package's stage and dates follow its sub-projects: started with the first one,
    finished with the last one."""
    started = [g.started_on for g in group if g.started_on]
    if not started:
        return {"stage": Stage.PREPARATORY}
    completed = [g.completed_on for g in group if g.completed_on]
    if len(completed) == len(group):
        return {
            "stage": Stage.COMPLETED,
            "started_on": min(started),
            "completed_on": max(completed),
        }
    return {"stage": Stage.BUILDING, "started_on": min(started)}
