"""The demo city (江州市): deterministic, idempotent, fast enough for 20,000 projects.

`seed_registry()` builds regions, units, leaders, programs, users and projects with all their
factors. Other apps add their own demo data in `<app>/demo.py` (see seed_demo command).
"""

import datetime
import hashlib
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.bulk import (
    fast_insert,
    foreign_keys_checked_at_end,
    indexes_built_at_end,
    insert_history_from,
)
from registry import demo_last_year as last_year
from registry import demo_lifecycle as lifecycle
from registry.choices import (
    ApprovalItem,
    ApprovalStatus,
    Category,
    FundingSource,
    LandSupply,
    LeaderLevel,
    Nature,
    Pool,
    ProjectLevel,
    RegionLevel,
    RelocationStatus,
    Role,
    Sector,
    Stage,
    TeamRole,
    UnitKind,
)
from registry.models import (
    MONTH_FIELDS,
    AnnualPlan,
    Approval,
    ContractAssignment,
    Funding,
    Land,
    Leader,
    Profile,
    Program,
    Project,
    Region,
    Relocation,
    Unit,
    WorkTeamMember,
)
from registry.project_bulk import insert_project_history, insert_projects

CENT = Decimal("0.01")
DEMO_PASSWORD = "Demo@2026"
# Per 120 projects: 163.5亿元 total investment, 85.4亿元 annual plan (in 万元).
TOTAL_PER_120 = Decimal("1635000")
PLAN_PER_120 = Decimal("854000")

CITY = ("江州市", "360800", "JZ")
COUNTIES = [
    ("江州区", "360802", "JZQ"),
    ("青山区", "360803", "QSQ"),
    ("临江县", "360821", "LJX"),
    ("永丰县", "360822", "YFX"),
    ("石门县", "360823", "SMX"),
    ("安平县", "360824", "APX"),
    ("清河县", "360825", "QHX"),
    ("江州经开区", "360871", "JKQ"),
]
TOWN_SUFFIXES = ["城关镇", "新安镇", "东湖街道"]
CITY_UNITS = [
    "市发展和改革委员会",
    "市交通运输局",
    "市住房和城乡建设局",
    "市工业和信息化局",
    "市教育局",
    "市卫生健康委员会",
    "市水利局",
    "市生态环境局",
]
COUNTY_UNIT_KINDS = [
    ("{c}发展和改革局", UnitKind.DEPARTMENT),
    ("{c}住房和城乡建设局", UnitKind.DEPARTMENT),
    ("{c}产业园区管委会", UnitKind.PARK),
]
CITY_LEADERS = [
    ("周建国", "市长"),
    ("李文华", "常务副市长"),
    ("王海涛", "副市长"),
    ("陈晓燕", "副市长"),
    ("刘志强", "副市长"),
    ("赵明辉", "副市长"),
    ("孙立新", "市委常委、秘书长"),
    ("黄振宇", "市政府党组成员"),
]
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志新宏亮红波辉鹏飞斌"
COUNTY_POSTS = ["县（区）长", "常务副县（区）长", "副县（区）长", "副县（区）长"]
PROGRAMS = ["四个一百", "市重大产业项目", "招商引资"]

NAME_PARTS = {
    Category.INDUSTRY: (
        [
            "新能源电池",
            "智能装备制造",
            "电子信息产业园",
            "新材料",
            "生物医药",
            "食品精深加工",
            "汽车零部件",
            "光伏组件",
        ],
        ["项目", "产业园项目", "生产基地项目", "扩能改造项目"],
    ),
    Category.INFRASTRUCTURE: (
        [
            "国道改建",
            "城区快速路",
            "物流园",
            "220千伏变电站",
            "供水管网",
            "高铁站前广场",
            "综合管廊",
            "县乡公路提质",
        ],
        ["工程", "项目", "一期工程", "建设项目"],
    ),
    Category.SOCIAL: (
        [
            "人民医院新院区",
            "第一中学扩建",
            "职业技术学院",
            "妇幼保健院",
            "养老服务中心",
            "体育中心",
            "文化艺术中心",
        ],
        ["项目", "建设项目", "工程"],
    ),
    Category.URBAN: (
        ["老旧小区改造", "城中村改造", "保障性住房", "历史街区更新", "智慧停车", "城市公园"],
        ["项目", "工程", "（二期）项目"],
    ),
    Category.ECOLOGY: (
        [
            "污水处理厂提标",
            "流域综合治理",
            "垃圾焚烧发电",
            "湿地公园",
            "矿山生态修复",
            "高标准农田",
        ],
        ["项目", "工程", "示范项目"],
    ),
}
SECTOR_BY_CATEGORY = {
    Category.INDUSTRY: Sector.SECONDARY,
    Category.INFRASTRUCTURE: Sector.TERTIARY,
    Category.SOCIAL: Sector.TERTIARY,
    Category.URBAN: Sector.TERTIARY,
    Category.ECOLOGY: Sector.PRIMARY,
}


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


@dataclass
class SeedResult:
    created_projects: int
    total_projects: int
    users: list


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _regions():
    city, _ = Region.objects.get_or_create(
        code=CITY[1], defaults={"name": CITY[0], "level": RegionLevel.CITY}
    )
    counties, towns = [], {}
    for name, code, _abbr in COUNTIES:
        county, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": RegionLevel.COUNTY, "parent": city}
        )
        counties.append(county)
        towns[county.pk] = []
        for i, suffix in enumerate(TOWN_SUFFIXES, start=1):
            town_name = name.removesuffix("县").removesuffix("区") + suffix
            town, _ = Region.objects.get_or_create(
                code=f"{code}{i:03d}",
                defaults={"name": town_name, "level": RegionLevel.TOWN, "parent": county},
            )
            towns[county.pk].append(town)
    return city, counties, towns


def _units(city, counties):
    city_units = [
        Unit.objects.get_or_create(name=n, region=city, defaults={"kind": UnitKind.DEPARTMENT})[0]
        for n in CITY_UNITS
    ]
    county_units = {}
    for county in counties:
        county_units[county.pk] = [
            Unit.objects.get_or_create(
                name=pattern.format(c=county.name), region=county, defaults={"kind": kind}
            )[0]
            for pattern, kind in COUNTY_UNIT_KINDS
        ]
    return city_units, county_units


def _leaders(rng, city, counties):
    city_leaders = [
        Leader.objects.get_or_create(
            name=name,
            region=city,
            defaults={"post": post, "level": LeaderLevel.CITY, "phone": f"0791-8{i:03d}1001"},
        )[0]
        for i, (name, post) in enumerate(CITY_LEADERS)
    ]
    county_leaders = {}
    for ci, county in enumerate(counties):
        people = []
        for pi, post in enumerate(COUNTY_POSTS):
            # Names are drawn from the rng; the same seed gives the same names.
            name = _person(rng)
            post_text = post.replace(
                "县（区）", county.name[-1] if county.name[-1] in "县区" else "区"
            )
            people.append(
                Leader.objects.get_or_create(
                    name=name,
                    region=county,
                    defaults={
                        "post": county.name + post_text,
                        "level": LeaderLevel.COUNTY,
                        "phone": f"139{ci:02d}{pi:02d}{rng.randrange(10000):04d}",
                    },
                )[0]
            )
        county_leaders[county.pk] = people
    return city_leaders, county_leaders


def _users(city, counties, city_units, city_leaders):
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    specs = [
        ("admin", "系统管理员", Role.ADMIN, city, None),
        ("drc", "市发改委审核员", Role.REVIEWER, city, None),
        ("drc_lj", "临江县发改局审核员", Role.REVIEWER, counties[2], None),
        ("leader", "市领导", Role.LEADER, city, None),
        ("leader_lj", "临江县领导", Role.LEADER, counties[2], None),
        ("tb_lj", "临江县填报员", Role.REPORTER, counties[2], None),
        ("tb_yf", "永丰县填报员", Role.REPORTER, counties[3], None),
        ("tb_jt", "市交通运输局填报员", Role.REPORTER, None, city_units[1]),
    ]
    user_model = get_user_model()
    out = []
    # One hash for the shared demo password: hashing it eight times (PBKDF2, ~0.3 s each)
    # was a tenth of a small seed's time, for accounts whose password is printed anyway.
    demo_hash = make_password(DEMO_PASSWORD)
    for username, full_name, role, region, unit in specs:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.password = demo_hash
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
            user.groups.add(groups[role])
        Profile.objects.get_or_create(user=user, defaults={"region": region, "unit": unit})
        out.append((username, DEMO_PASSWORD, role.label, full_name))
    # The city leader account is linked to the mayor so "my projects" works.
    Leader.objects.filter(pk=city_leaders[0].pk, user__isnull=True).update(
        user=user_model.objects.get(username="leader")
    )
    return out


# The demo map (static/vendor/geo/jiangzhou.geojson): each 县区 a sector of an irregular
# outline around this centre, in the order of COUNTIES.
MAP_CENTRE = (115.0, 27.5)


def demo_position(county_index: int, code: str) -> tuple[Decimal, Decimal]:
    """A project's (lng, lat) inside its 县区's sector of the demo map, from its code alone
    (the seed's random stream is left untouched, so every other demo figure stays the same)."""
    digest = hashlib.sha256(code.encode()).digest()
    u, v = digest[0] / 255, digest[1] / 255
    step = 2 * math.pi / len(COUNTIES)
    angle = county_index * step + 0.3 + step * (0.15 + 0.7 * u)
    edge = 0.55 + 0.08 * math.sin(3 * angle) + 0.05 * math.cos(5 * angle + 1)
    radius = edge * (0.2 + 0.7 * v)
    lng = MAP_CENTRE[0] + radius * math.cos(angle) * 1.1
    lat = MAP_CENTRE[1] + radius * math.sin(angle)
    return Decimal(f"{lng:.6f}"), Decimal(f"{lat:.6f}")


@transaction.atomic
def seed_registry(*, projects: int = 120, seed: int = 2026, today=None, stdout=None):
    today = today or datetime.date.today()
    year = today.year
    rng = random.Random(seed)
    city, counties, towns = _regions()
    city_units, county_units = _units(city, counties)
    city_leaders, county_leaders = _leaders(rng, city, counties)
    programs = [Program.objects.get_or_create(name=n)[0] for n in PROGRAMS]
    users = _users(city, counties, city_units, city_leaders)

    with foreign_keys_checked_at_end(*_bulk_models()), indexes_built_at_end(*_bulk_models()):
        return _seed_projects(
            rng, projects, year, today, programs, users,
            places=(counties, towns, city_units, county_units, city_leaders, county_leaders),
        )  # fmt: skip


def _bulk_models():
    """The tables the ledger seed loads in bulk, with their history tables."""
    models = [Project, AnnualPlan, Funding, Land, Relocation, Approval, WorkTeamMember]
    models += [ContractAssignment, Project.programs.through]
    return models + [m.history.model for m in models if hasattr(m, "history")]


def _seed_projects(rng, projects, year, today, programs, users, *, places):
    counties, towns, city_units, county_units, city_leaders, county_leaders = places
    existing = set(Project.all_objects.filter(year=year).values_list("code", flat=True))
    rows = _project_rows(
        rng,
        projects,
        year,
        today,
        counties,
        towns,
        city_units,
        county_units,
        city_leaders,
        county_leaders,
    )
    new_rows = [r for r in rows if r["project"].code not in existing]
    if new_rows:
        _create_projects(rng, new_rows, year, programs)
        _create_packages(year, [r["project"] for r in new_rows], existing)
        fast_insert(AnnualPlan, last_year.carried_over_plans(rng, new_rows, year))
    done = last_year.existing_codes(year)
    finished = [
        r
        for r in last_year.finished_rows(rng, rows, year, projects)
        if r["project"].code not in done
    ]
    if finished:  # last year's list: the projects that finished then
        _create_projects(rng, finished, year - 1, programs)
    last_year.list_years(year)
    return SeedResult(
        created_projects=len(new_rows),
        total_projects=Project.objects.filter(year=year).count(),
        users=users,
    )


def _project_rows(
    rng, n, year, today, counties, towns, city_units, county_units, city_leaders, county_leaders
):
    scale = Decimal(n) / Decimal(120)
    levels = [ProjectLevel.PROVINCE] * 15 + [ProjectLevel.CITY] * 45 + [ProjectLevel.COUNTY] * 40
    natures = [Nature.NEW] * 40 + [Nature.CONTINUING] * 45 + [Nature.PREPARATORY] * 15
    categories = (
        [Category.INDUSTRY] * 40
        + [Category.INFRASTRUCTURE] * 25
        + [Category.SOCIAL] * 12
        + [Category.URBAN] * 13
        + [Category.ECOLOGY] * 10
    )
    # Sizes: lognormal with a floor, normalised so the totals match the published figures.
    weights = [0.3 + rng.lognormvariate(0, 0.9) for _ in range(n)]
    wsum = sum(weights)
    totals = [_money(TOTAL_PER_120 * scale * Decimal(str(w / wsum))) for w in weights]
    natures_drawn = [rng.choice(natures) for _ in range(n)]
    prep = [nat == Nature.PREPARATORY for nat in natures_drawn]
    raw_plans = [
        float(t) * (0.05 if p else rng.uniform(0.25, 0.8))
        for t, p in zip(totals, prep, strict=True)
    ]
    prep_sum = sum(r for r, p in zip(raw_plans, prep, strict=True) if p)
    rest = sum(raw_plans) - prep_sum
    factor = (float(PLAN_PER_120 * scale) - prep_sum) / rest
    plans = [
        _money(min(r if p else r * factor, float(t) * 0.95))
        for r, p, t in zip(raw_plans, prep, totals, strict=True)
    ]
    counters = {c.pk: 0 for c in counties}
    rows = []
    for i in range(n):
        county = counties[i % len(counties)]
        counters[county.pk] += 1
        abbr = COUNTIES[i % len(COUNTIES)][2]
        code = f"{year}-{abbr}-{counters[county.pk]:04d}"
        region = county if rng.random() < 0.7 else rng.choice(towns[county.pk])
        level = rng.choice(levels)
        nature = natures_drawn[i]
        category = rng.choice(categories)
        stems, tails = NAME_PARTS[category]
        name = f"{county.name.removesuffix('县').removesuffix('区')}{rng.choice(stems)}{rng.choice(tails)}"
        if level == ProjectLevel.COUNTY or rng.random() < 0.3:
            leader = rng.choice(county_leaders[county.pk])
        else:
            leader = rng.choice(city_leaders)
        if category in (Category.INFRASTRUCTURE, Category.SOCIAL) and rng.random() < 0.35:
            unit = rng.choice(city_units)
        else:
            unit = rng.choice(county_units[county.pk])
        total, plan = totals[i], plans[i]
        if nature == Nature.CONTINUING:
            life = lifecycle.continuing(rng, year, today, category == Category.INDUSTRY)
        elif nature == Nature.NEW:
            life = lifecycle.new_start(rng, year, today)
        else:
            life = lifecycle.preparatory(rng, year)
        planned_start = life.planned_start
        signed = planned_start - datetime.timedelta(days=rng.randint(90, 400))
        filed = signed + datetime.timedelta(days=rng.randint(10, 60))
        lng, lat = demo_position(i % len(counties), code)
        project = Project(
            code=code,
            lat=lat,
            lng=lng,
            name=f"{name}" if rng.random() < 0.8 else f"{name}（{i + 1}号地块）",
            year=year,
            level=level,
            category=category,
            sector=SECTOR_BY_CATEGORY[category] if rng.random() < 0.85 else Sector.TERTIARY,
            nature=nature,
            region=region,
            unit=unit,
            leader=leader,
            owner=f"{county.name}{rng.choice(['城市建设投资', '产业发展', '交通投资', '实业'])}有限公司",
            contact=_person(rng),
            phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            scope=f"总建筑面积约{rng.randint(2, 60)}万平方米，建设{rng.choice(['生产车间', '主体工程', '配套设施', '道路管网'])}及附属工程。",
            location=f"{region.name}{rng.choice(['东区', '西区', '工业大道', '滨江路'])}",
            total_investment=total,
            invested_before_year=lifecycle.invested_before_year(rng, life, year, total, plan),
            planned_start=planned_start,
            planned_finish=life.planned_finish,
            stage=life.stage,
            signed_on=signed if category == Category.INDUSTRY else None,
            filed_on=filed,
            started_on=life.started_on,
            completed_on=life.completed_on,
            operating_on=life.operating_on,
            approval_code=f"{year - 1}-{county.code}-{rng.randint(10, 99)}-01-{rng.randrange(10**6):06d}",
            pool=Pool.LISTED if rng.random() < 0.95 else Pool.ADDED,
        )
        rows.append(
            {
                "project": project,
                "plan": plan,
                "life": life,
                # 新开工 and finishing projects need a schedule: month/12 would expect
                # investment before their start or after their finish.
                "schedule": rng.random() < 0.8 or life.first_month > 1 or life.last_month < 12,
                "programs": rng.sample(range(len(PROGRAMS)), k=rng.choice([0, 0, 1, 1, 2])),
            }
        )
    lifecycle.leave_unstarted(rng, [r["life"] for r in rows], today, n)
    for row in rows:  # 应开未开 ones were chosen after their project was built
        row["project"].started_on, row["project"].stage = row["life"].started_on, row["life"].stage
        _register_statistics(row["project"], today)
    return rows


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


def _insert_with_history(projects):
    """New projects plus their "created" history rows, without per-row model work."""
    now = timezone.now()
    insert_projects(projects, now)
    insert_project_history(projects, user=None, reason="示例数据", now=now)
    return projects


def _create_projects(rng, rows, year, programs):
    projects = _insert_with_history([r["project"] for r in rows])
    # bulk_create returns pks on SQLite and PostgreSQL.
    plans, funds, lands, relocs, approvals, teams, assigns, links = [], [], [], [], [], [], [], []
    through = Project.programs.through
    sources = list(FundingSource)
    for row, project in zip(rows, projects, strict=True):
        plan_value, life = row["plan"], row["life"]
        sched = (
            lifecycle.schedule(rng, plan_value, life.first_month, life.last_month)
            if row["schedule"] and project.nature != Nature.PREPARATORY
            else [None] * 12
        )
        plans.append(
            dict(
                project_id=project.pk,
                year=year,
                planned_investment=plan_value,
                plan_start=life.plan_start,
                target_start=project.planned_start if life.plan_start else None,
                plan_finish=life.plan_finish,
                target_finish=project.planned_finish if life.plan_finish else None,
                **dict(zip(MONTH_FIELDS, sched, strict=True)),
            )
        )
        for source in rng.sample(sources, k=rng.choice([1, 2, 3])):
            planned = _money(project.total_investment * Decimal(str(rng.uniform(0.1, 0.4))))
            funds.append(
                dict(
                    project_id=project.pk,
                    source=source,
                    planned=planned,
                    in_place=_money(planned * Decimal(str(rng.uniform(0.2, 1.0)))),
                )
            )
        area = _money(rng.uniform(20, 600))
        lands.append(
            dict(
                project_id=project.pk,
                required_area=area,
                farmland_conversion=_money(area * Decimal(str(rng.uniform(0, 0.6)))),
                indicator_secured=_money(area * Decimal(str(rng.uniform(0.3, 1.0)))),
                approved_area=_money(area * Decimal(str(rng.uniform(0, 1.0)))),
                supply_status=rng.choice(list(LandSupply)),
            )
        )
        households = rng.choice([0, 0, 0, 12, 35, 80, 150])
        relocs.append(
            dict(
                project_id=project.pk,
                households_total=households,
                households_done=rng.randint(0, households),
                area_total=_money(households * 0.6),
                area_done=_money(households * 0.6 * rng.random()),
                deadline=datetime.date(year, rng.randint(3, 12), 30) if households else None,
                status=RelocationStatus.IN_PROGRESS if households else RelocationStatus.NOT_NEEDED,
            )
        )
        started = project.started_on is not None
        for item in ApprovalItem:
            status = (
                ApprovalStatus.DONE
                if started or rng.random() < 0.5
                else rng.choice([ApprovalStatus.IN_PROGRESS, ApprovalStatus.PENDING])
            )
            approvals.append(
                dict(
                    project_id=project.pk,
                    item=item,
                    status=status,
                    done_on=project.filed_on if status == ApprovalStatus.DONE else None,
                )
            )
        leader_name = project.leader.name if project.leader else _person(rng)
        teams += [
            dict(
                project_id=project.pk,
                name=leader_name,
                post=project.leader.post if project.leader else "",
                role=TeamRole.HEAD,
            ),
            dict(
                project_id=project.pk,
                name=_person(rng),
                post="局长",
                unit_name=project.unit.name,
                role=TeamRole.DEPUTY,
            ),
            dict(
                project_id=project.pk,
                name=_person(rng),
                post="科长",
                unit_name=project.unit.name,
                phone=f"138{rng.randrange(10**8):08d}",
                role=TeamRole.LIAISON,
            ),
        ]
        assigns.append(
            dict(
                project_id=project.pk,
                leader_id=project.leader_id,
                unit_id=project.unit_id,
                start_on=datetime.date(year, 1, 1),
                reason="年度重点项目计划下达",
            )
        )
        for k in row["programs"]:
            links.append(dict(project_id=project.pk, program_id=programs[k].pk))
    for model, objs in [
        (AnnualPlan, plans),
        (Funding, funds),
        (Land, lands),
        (Relocation, relocs),
        (Approval, approvals),
        (WorkTeamMember, teams),
        (ContractAssignment, assigns),
        (through, links),
    ]:
        fast_insert(model, objs)
    # Audited factors get their "created" row, so that a first edit on the web shows its diff.
    now = timezone.now()
    for model in (AnnualPlan, Funding, Land, Relocation, Approval):
        if hasattr(model, "history"):
            rows = model.objects.filter(project__year=year)
            insert_history_from(
                rows.exclude(pk__in=model.history.values("id")), reason="示例数据", now=now
            )


def _create_packages(year, projects, existing_codes):
    """Group 3 sub-projects of one county into a 打包项目 for every 30 projects."""
    by_county = {}
    for p in projects:
        county_code = p.region.code[:6]
        by_county.setdefault(county_code, []).append(p)
    abbr = {code: a for _n, code, a in COUNTIES}
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
    parents = _insert_with_history(parents)
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
