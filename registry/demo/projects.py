"""The demo's projects of this year's list, as unsaved rows: sizes, places, people, lifecycle.

Every draw comes from the seed's one random stream in a fixed order, so the same seed gives
the same city; reordering draws here changes every demo figure (tests/test_demo_story.py).
"""

import datetime
import random
from decimal import Decimal

from registry.choices import Category, Nature, Pool, ProjectLevel, Sector
from registry.demo import lifecycle
from registry.demo.names import (
    NAME_PARTS,
    PLAN_PER_120,
    PROGRAMS,
    SECTOR_BY_CATEGORY,
    TOTAL_PER_120,
    money,
    person,
)
from registry.demo.places import demo_position
from registry.models import Project

LEVELS = [ProjectLevel.PROVINCE] * 15 + [ProjectLevel.CITY] * 45 + [ProjectLevel.COUNTY] * 40
NATURES = [Nature.NEW] * 40 + [Nature.CONTINUING] * 45 + [Nature.PREPARATORY] * 15
CATEGORIES = (
    [Category.INDUSTRY] * 40
    + [Category.INFRASTRUCTURE] * 25
    + [Category.SOCIAL] * 12
    + [Category.URBAN] * 13
    + [Category.ECOLOGY] * 10
)


def project_rows(rng, n, year, today, counties) -> list[dict]:
    """n rows {project, plan, life, schedule, programs}, round robin over the 县区."""
    totals, natures, plans = _sizes(rng, n)
    counters = {}
    rows = []
    for i in range(n):
        county = counties[i % len(counties)]
        counters[county.abbr] = counters.get(county.abbr, 0) + 1
        code = f"{year}-{county.abbr}-{counters[county.abbr]:04d}"
        rows.append(_row(rng, i, code, county, (totals[i], plans[i], natures[i]), year, today))
    lifecycle.leave_unstarted(rng, [r["life"] for r in rows], today, n)
    for row in rows:  # 应开未开 ones were chosen after their project was built
        row["project"].started_on, row["project"].stage = row["life"].started_on, row["life"].stage
        _register_statistics(row["project"], today)
    return rows


def _sizes(rng, n):
    """Totals, natures and plans: lognormal sizes with a floor, normalised so the sums match
    the published figures (per 120 projects)."""
    scale = Decimal(n) / Decimal(120)
    weights = [0.3 + rng.lognormvariate(0, 0.9) for _ in range(n)]
    wsum = sum(weights)
    totals = [money(TOTAL_PER_120 * scale * Decimal(str(w / wsum))) for w in weights]
    natures = [rng.choice(NATURES) for _ in range(n)]
    prep = [nat == Nature.PREPARATORY for nat in natures]
    raw_plans = [
        float(t) * (0.05 if p else rng.uniform(0.25, 0.8))
        for t, p in zip(totals, prep, strict=True)
    ]
    prep_sum = sum(r for r, p in zip(raw_plans, prep, strict=True) if p)
    rest = sum(raw_plans) - prep_sum
    factor = (float(PLAN_PER_120 * scale) - prep_sum) / rest
    plans = [
        money(min(r if p else r * factor, float(t) * 0.95))
        for r, p, t in zip(raw_plans, prep, totals, strict=True)
    ]
    return totals, natures, plans


def _row(rng, i, code, county, sizes, year, today) -> dict:
    total, plan, nature = sizes
    region = county.region if rng.random() < 0.7 else rng.choice(county.towns)
    level = rng.choice(LEVELS)
    category = rng.choice(CATEGORIES)
    stems, tails = NAME_PARTS[category]
    stem = county.region.name.removesuffix("县").removesuffix("区")
    name = f"{stem}{rng.choice(stems)}{rng.choice(tails)}"
    leader, unit = _people(rng, county, level, category)
    if nature == Nature.CONTINUING:
        life = lifecycle.continuing(rng, year, today, category == Category.INDUSTRY)
    elif nature == Nature.NEW:
        life = lifecycle.new_start(rng, year, today)
    else:
        life = lifecycle.preparatory(rng, year)
    signed = life.planned_start - datetime.timedelta(days=rng.randint(90, 400))
    filed = signed + datetime.timedelta(days=rng.randint(10, 60))
    lng, lat = demo_position(county.index, code)
    project = Project(
        code=code,
        lat=lat,
        lng=lng,
        name=name if rng.random() < 0.8 else f"{name}（{i + 1}号地块）",
        year=year,
        level=level,
        category=category,
        sector=SECTOR_BY_CATEGORY[category] if rng.random() < 0.85 else Sector.TERTIARY,
        nature=nature,
        region=region,
        unit=unit,
        leader=leader,
        signed_on=signed if category == Category.INDUSTRY else None,
        filed_on=filed,
        **_details(rng, county.region, region, life, year, total, plan),
    )
    return {
        "project": project,
        "plan": plan,
        "life": life,
        # 新开工 and finishing projects need a schedule: month/12 would expect
        # investment before their start or after their finish.
        "schedule": rng.random() < 0.8 or life.first_month > 1 or life.last_month < 12,
        "programs": rng.sample(range(len(PROGRAMS)), k=rng.choice([0, 0, 1, 1, 2])),
    }


def _people(rng, county, level, category):
    """The responsible leader (county or city) and unit (county's or a city department)."""
    if level == ProjectLevel.COUNTY or rng.random() < 0.3:
        leader = rng.choice(county.leaders)
    else:
        leader = rng.choice(county.city_leaders)
    if category in (Category.INFRASTRUCTURE, Category.SOCIAL) and rng.random() < 0.35:
        unit = rng.choice(county.city_units)
    else:
        unit = rng.choice(county.units)
    return leader, unit


def _details(rng, county, region, life, year, total, plan) -> dict:
    """The rest of the ledger row, drawn in the order of the one-city demo's fields."""
    owner = f"{county.name}{rng.choice(['城市建设投资', '产业发展', '交通投资', '实业'])}有限公司"
    contact = person(rng)
    phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    area = rng.randint(2, 60)
    works = rng.choice(["生产车间", "主体工程", "配套设施", "道路管网"])
    location = f"{region.name}{rng.choice(['东区', '西区', '工业大道', '滨江路'])}"
    invested = lifecycle.invested_before_year(rng, life, year, total, plan)
    approval = f"{year - 1}-{county.code}-{rng.randint(10, 99)}-01-{rng.randrange(10**6):06d}"
    return dict(
        owner=owner,
        contact=contact,
        phone=phone,
        scope=f"总建筑面积约{area}万平方米，建设{works}及附属工程。",
        location=location,
        total_investment=total,
        invested_before_year=invested,
        planned_start=life.planned_start,
        planned_finish=life.planned_finish,
        stage=life.stage,
        started_on=life.started_on,
        completed_on=life.completed_on,
        operating_on=life.operating_on,
        approval_code=approval,
        pool=Pool.LISTED if rng.random() < 0.95 else Pool.ADDED,
    )


def _register_statistics(project, today):
    """入统: most started projects enter the statistics within a month of starting; about one
    in twelve has not (应入统未入统). Its own generator, seeded by the code, so the rest of
    the demo stays as it was."""
    if project.started_on is None:
        return
    rng = random.Random(f"stats-{project.code}")
    on = project.started_on + datetime.timedelta(days=rng.randint(5, 28))
    if rng.random() < 0.08 or on > today:
        return
    project.stats_registered = True
    project.stats_registered_on = on
    project.stats_code = f"{project.region.code[:6]}{rng.randrange(10**6):06d}"
