"""Demo pipeline (SPEC §3.9), called by `manage.py seed_demo` after milestones.

Every county gets a believable pipeline: 谋划 ideas, 储备 projects with studies done, 前期,
成熟; 招商引资 projects with signing (and most with 备案) dates; the list projects that
started this year or last appear as admitted pipeline projects (their 谋划→储备→开工 journey);
targets per county and size band a little above what the county holds; and one city batch of
集中开工 early in the year made of the list's projects planned to start in the first quarter.

Deterministic (one `random.Random` per county from `seed` and the county code), idempotent
(a county that already has pipeline projects is skipped; targets and the batch are matched by
their keys) and bulk-written, so it grows with `--projects` at the cost of a few queries.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from pipeline.choices import STAGE_DATE, STAGE_ORDER, PipelineStage, Source
from pipeline.models import DEFAULT_BANDS, PipelineProject, PipelineTarget, SizeBand, StartBatch
from registry.choices import Category, RegionLevel, Sector
from registry.models import Project, Region
from registry.selectors import year_list

IDEAS = ["新能源装备产业园", "冷链物流中心", "智慧农业示范园", "城市更新片区", "污水处理厂提标改造",
         "职业教育实训基地", "文旅康养综合体", "新材料产业化", "数字经济产业园", "农产品精深加工",
         "综合客运枢纽", "老旧小区改造", "生态修复工程", "医养结合中心", "储能电站"]  # fmt: skip
INVESTORS = ["华东能源集团", "江海物流股份", "远景科技", "中建投资", "新希望农业", "国润康养"]
CATEGORIES = [Category.INDUSTRY, Category.INDUSTRY, Category.INFRASTRUCTURE, Category.URBAN,
              Category.ECOLOGY, Category.SOCIAL]  # fmt: skip
BATCH_NAME = "{year}年第一批重大项目集中开工"
BIG = Decimal(500000)  # 50亿元, in 万元


def _months_before(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 - months
    return datetime.date(total // 12, total % 12 + 1, min(day.day, 28))


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    with transaction.atomic():
        if not SizeBand.objects.exists():  # a flushed database lost the migration's rows
            SizeBand.objects.bulk_create(
                SizeBand(label=name, min_amount=low) for name, low in DEFAULT_BANDS
            )
        made = sum(_county(seed, county, today) for county in counties)
        _targets(year, counties, today)
        batch = _batch(year, today)
    stdout.write(
        f"项目谋划库：新建谋划项目 {made} 个" + (f"，集中开工批次“{batch.name}”" if batch else "")
    )


def _county(seed: int, county: Region, today: datetime.date) -> int:
    if PipelineProject.objects.filter(region__path__startswith=county.path).exists():
        return 0
    rng = random.Random(f"{seed}-pipeline-{county.code}")
    listed = Project.objects.filter(region__path__startswith=county.path, is_package=False)
    started = list(
        listed.filter(started_on__year__gte=today.year - 1, started_on__lte=today)
        .order_by("code")
        .only("id", "name", "region_id", "unit_id", "category", "sector", "total_investment",
              "started_on", "year")[:4]
    )  # fmt: skip
    ideas = 6 + listed.count() // 4
    rows = [_admitted(rng, p, today) for p in started]
    rows += [_idea(rng, county, i, today) for i in range(ideas)]
    bulk_create_with_history(rows, PipelineProject, default_change_reason="示例数据")
    return len(rows)


def _admitted(rng, p: Project, today) -> PipelineProject:
    """A list project that came through the pipeline: its journey ends with its 开工."""
    mature = min(_months_before(p.started_on, rng.randint(1, 3)), datetime.date(p.year, 1, 1))
    reserve = _months_before(mature, rng.randint(2, 6))
    idea = _months_before(reserve, rng.randint(2, 8))
    return PipelineProject(
        name=p.name, region_id=p.region_id, unit_id=p.unit_id, category=p.category,
        sector=p.sector, total_investment=p.total_investment, stage=PipelineStage.MATURE,
        idea_on=idea, reserve_on=reserve, preparation_on=_months_before(mature, 1),
        mature_on=mature, project=p, admitted_on=max(mature, datetime.date(p.year, 1, 1)),
    )  # fmt: skip


def _idea(rng, county: Region, i: int, today) -> PipelineProject:
    stage = STAGE_ORDER[min(i % 5, 3)]  # twice as many 谋划 ideas as any later stage
    amount = (
        Decimal(rng.choice([3000, 8000, 15000, 30000, 60000, 120000, 250000]))
        * Decimal(rng.randint(8, 12))
        / 10
    )
    dates = {"idea_on": _months_before(today, rng.randint(8, 20))}
    for step, later in enumerate(STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1], start=1):
        dates[STAGE_DATE[later]] = min(_months_before(today, 8 - 2 * step), today)
        dates[STAGE_DATE[later]] = max(dates[STAGE_DATE[later]], dates["idea_on"])
    pp = PipelineProject(
        name=f"{county.name}{IDEAS[i % len(IDEAS)]}{'' if i < len(IDEAS) else i // len(IDEAS) + 1}",
        region=county, category=CATEGORIES[i % len(CATEGORIES)], sector=Sector.SECONDARY,
        total_investment=amount.quantize(Decimal("0.01")), stage=stage,
        scope="主要建设厂房、配套设施及相关附属工程", **dates,
    )  # fmt: skip
    if i % 3 == 0:
        pp.source = Source.INVESTMENT
        pp.investor = INVESTORS[i % len(INVESTORS)]
        pp.signed_on = max(_months_before(today, rng.randint(2, 7)), pp.idea_on)
        pp.contract_amount = pp.total_investment
        pp.funds_in_place = (pp.total_investment * Decimal(rng.randint(0, 40)) / 100).quantize(
            Decimal("0.01")
        )
        if i % 2 == 0:
            pp.filed_on = min(_months_before(pp.signed_on, -1), today)
    if stage == PipelineStage.MATURE:
        pp.expected_start = today + datetime.timedelta(days=30 + 7 * (i % 8))
    return pp


def _targets(year: int, counties, today) -> None:
    """Targets a little above what each county holds in each band."""
    from pipeline.selectors import band_of

    bands = list(SizeBand.objects.order_by("-min_amount"))
    have = {}
    for r in PipelineProject.objects.filter(project__isnull=True).values(
        "region__path", "total_investment"
    ):
        band = band_of(r["total_investment"], bands)
        code = (
            r["region__path"].strip("/").split("/")[1] if r["region__path"].count("/") > 2 else ""
        )
        cell = have.setdefault((code, band.pk), [0, Decimal(0)])
        cell[0] += 1
        cell[1] += r["total_investment"]
    existing = set(PipelineTarget.objects.filter(year=year).values_list("region_id", "band_id"))
    new = []
    for county in counties:
        for band in bands:
            if (county.pk, band.pk) in existing:
                continue
            count, amount = have.get((county.code, band.pk), (0, Decimal(0)))
            if not count and band.min_amount >= BIG:
                continue  # no county is asked for a 50亿 project it has not even thought of
            goal = max(amount * Decimal("1.2"), (count + 1) * band.min_amount)
            new.append(PipelineTarget(year=year, region=county, band=band, count=count + 1,
                                      amount=goal.quantize(Decimal(1))))  # fmt: skip
    PipelineTarget.objects.bulk_create(new)


def _batch(year: int, today: datetime.date):
    """The city's first batch: this year's new projects planned to start in January–March."""
    held_on = min(datetime.date(year, 2, 26), today)
    chosen = list(
        year_list(year, Project.objects.filter(is_package=False, planned_start__year=year,
                                               planned_start__month__lte=3)).order_by("code")
        .values_list("pk", flat=True)
    )  # fmt: skip
    if not chosen:
        return None
    batch, _created = StartBatch.objects.get_or_create(
        name=BATCH_NAME.format(year=year), region=None, defaults={"held_on": held_on}
    )
    batch.projects.set(chosen)
    return batch
