"""A hand-computed fixture (SPEC §3.9): the pipeline page's counts and amounts by stage and
band against target, conversion with median months, the pool over time, the two 五率 from
signing dates, a batch's sentence and follow-up, and the 四比四看 parts read from the pipeline."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from assessments import metrics
from assessments.four_compare import four_compare
from assessments.rates import five_rates
from core.periods import Period
from pipeline import batches
from pipeline.models import PipelineProject, PipelineTarget, SizeBand, StartBatch
from pipeline.selectors import overview
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

D = datetime.date
DAY = D(2026, 6, 30)
pytestmark = pytest.mark.django_db


def _pp(region, name, amount, idea, **dates):
    return PipelineProject.objects.create(
        name=name, region=region, category="industry", total_investment=Decimal(amount),
        idea_on=idea, **dates,
    )  # fmt: skip


@pytest.fixture
def pipeline(city):
    """甲县: p1 谋划 1.2亿; p2 储备 6亿 signed (招商, 备案); p3 列入 15亿 (started 20 May); p4
    submitted after the day. 乙区: p5 前期 2亿 signed, not filed. Targets of 甲县 only."""
    a, b = city.county_a, city.county_b
    listed = ProjectFactory(
        name="甲县十五亿项目", region=a, unit=city.unit_a, total_investment=Decimal(150000),
        signed_on=D(2025, 10, 1), filed_on=D(2025, 11, 1), started_on=D(2026, 5, 20),
    )  # fmt: skip
    AnnualPlanFactory(project=listed, planned_investment=Decimal(30000))
    _pp(a, "p1", 12000, D(2026, 1, 10))
    _pp(a, "p2", 60000, D(2025, 11, 5), stage="reserve", reserve_on=D(2026, 2, 10),
        source="investment", signed_on=D(2026, 3, 1), filed_on=D(2026, 4, 1),
        contract_amount=Decimal(60000), funds_in_place=Decimal(30000))  # fmt: skip
    _pp(a, "p3", 150000, D(2025, 9, 1), stage="mature", reserve_on=D(2025, 12, 1),
        preparation_on=D(2026, 1, 15), mature_on=D(2026, 3, 1), project=listed,
        admitted_on=D(2026, 4, 1))  # fmt: skip
    _pp(a, "p4", 5000, D(2026, 7, 15))
    _pp(b, "p5", 20000, D(2025, 12, 1), stage="preparation", reserve_on=D(2026, 6, 1),
        preparation_on=D(2026, 6, 20), source="investment", signed_on=D(2026, 5, 1),
        contract_amount=Decimal(20000))  # fmt: skip
    band = {b.label: b for b in SizeBand.objects.all()}
    PipelineTarget.objects.create(
        year=2026, region=a, band=band["1亿—5亿元"], count=2, amount=30000
    )
    PipelineTarget.objects.create(
        year=2026, region=a, band=band["5亿—10亿元"], count=1, amount=50000
    )
    return listed, band


def test_overview_by_stage_band_target_and_conversion(city, users, pipeline):
    # given the fixture, when the city reviewer's page is read as of 30 June
    data = overview(users.reviewer, day=DAY)
    a, b, total = data.rows
    # then 甲县: one 谋划, one 储备, one 列入; p4 (submitted in July) is not counted
    assert (a.stages["idea"].count, a.stages["idea"].amount) == (1, Decimal(12000))
    assert (a.stages["reserve"].count, a.stages["admitted"].count) == (1, 1)
    assert (a.pool.count, a.pool.amount) == (2, Decimal(72000))
    assert (a.target.count, a.target.amount) == (3, Decimal(80000))
    assert (a.count_rate, a.amount_rate) == (Decimal("66.7"), Decimal("90.0"))
    _, band = pipeline
    small, mid = a.bands[band["1亿—5亿元"].pk], a.bands[band["5亿—10亿元"].pk]
    assert (small[0].count, small[0].amount, small[1].count) == (1, Decimal(12000), 2)
    assert (mid[0].count, mid[0].amount, mid[1].amount) == (1, Decimal(60000), Decimal(50000))
    assert (b.stages["preparation"].count, b.pool.amount, b.target.count) == (1, Decimal(20000), 0)
    assert (total.pool.count, total.pool.amount) == (3, Decimal(92000))
    # conversion: 4 submitted, 3 reached 储备 (3, 3 and 6 months), 1 started 5 months after
    conv = data.conversion
    assert (conv.ideas, conv.reserves, conv.started) == (4, 3, 1)
    assert conv.idea_to_reserve_months == Decimal("3.0")
    assert conv.reserve_to_start_months == Decimal("5.0")
    # the pool over time: in January p3 was still in it; from April (admitted) it is not
    assert data.timeline[0][1] == Decimal(242000) and data.timeline[3][1] == Decimal(92000)
    assert len(data.timeline) == 6 and data.timeline[0][2] == Decimal(80000)


def test_overview_is_scoped(city, users, pipeline):
    data = overview(users.reporter_b, day=DAY)
    assert [r.name for r in data.rows] == ["乙区", "合计"]
    assert data.rows[-1].pool.amount == Decimal(20000)


def test_two_of_the_five_rates_from_signing_dates(city, users, pipeline):
    # signed: the listed project, p2 and p5 (3); filed: the listed project and p2 (2)
    projects = metrics.scoped_projects(users.reviewer, 2026, {}, as_of=DAY)
    rates = {r.label: r for r in five_rates(projects, Period("month", 2026, 6))}
    filed = rates["签约项目备案率"]
    assert (filed.numerator, filed.denominator, filed.value) == (2, 3, Decimal("66.67"))
    started = rates["备案项目开工率"]
    assert (started.numerator, started.denominator, started.value) == (1, 2, Decimal("50.00"))
    # before p5 was signed (April) only two were signed, both filed by then
    april = {r.label: r for r in five_rates(projects, Period("month", 2026, 4))}
    assert (april["签约项目备案率"].numerator, april["签约项目备案率"].denominator) == (2, 2)


@time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC))
def test_batch_sentence_and_follow_up(city, users):
    on_time = ProjectFactory(name="按期项目", region=city.county_a, category="industry",
                             total_investment=Decimal(123400), started_on=D(2026, 3, 20))  # fmt: skip
    late = ProjectFactory(name="延后项目", region=city.county_a, category="infrastructure",
                          total_investment=Decimal(56700), started_on=D(2026, 5, 1))  # fmt: skip
    never = ProjectFactory(name="未开项目", region=city.county_b, category="infrastructure",
                           total_investment=Decimal(9900))  # fmt: skip
    for p, plan in ((on_time, 40000), (late, 25000), (never, 4400)):
        AnnualPlanFactory(project=p, planned_investment=Decimal(plan))
    batch = StartBatch.objects.create(name="一季度集中开工", held_on=D(2026, 3, 1))
    batch.projects.set([on_time, late, never])
    # 19.0亿 = 123400 + 56700 + 9900 万元; plan 6.94亿 → 6.9
    assert batches.sentence(batch) == (
        "3月1日，全市集中开工项目3项，投资总额19.0亿元，年度计划投资6.9亿元，涵盖产业、基础设施等领域。"
    )
    rows = dict((p.name, v) for p, v in batches.follow_rows(batch, users.reviewer))
    assert rows == {"按期项目": "on_time", "延后项目": "late", "未开项目": "pending"}
    # county A's reporter sees only county A's projects of the city batch
    assert {p.name for p, _v in batches.follow_rows(batch, users.reporter_a)} == {
        "按期项目",
        "延后项目",
    }


def test_follow_never_judges_a_future_day():
    held = D(2026, 3, 1)
    assert batches.follow(None, held, D(2026, 3, 20)) == "waiting"
    assert batches.follow(D(2026, 3, 31), held, D(2026, 4, 2)) == "on_time"
    assert batches.follow(D(2026, 4, 1), held, D(2026, 4, 2)) == "late"
    assert batches.follow(D(2026, 4, 10), held, D(2026, 4, 2)) == "pending"  # not yet


@time_machine.travel(datetime.datetime(2026, 7, 10, 12, tzinfo=datetime.UTC))
def test_four_compare_pipeline_parts(city, users, pipeline):
    projects = metrics.scoped_projects(users.reviewer, 2026, {}, as_of=DAY)
    rows = {r.name: r for r in four_compare(projects, Period("month", 2026, 6))}
    # 比谋划看储备 = 25 × (min(1, 2/3) + min(1, 72000/80000)) / 2 = 19.58
    assert rows["甲县"].parts["plan"] == Decimal("19.58")
    # 比招引看投资 = 25 × (60000/60000 + 30000/60000) / 2 = 18.75; 乙区 25 × (1/3 + 0) / 2
    assert rows["甲县"].parts["invest"] == Decimal("18.75")
    assert rows["乙区"].parts["invest"] == Decimal("4.17")
    # no targets for 乙区: the part is full
    assert rows["乙区"].parts["plan"] == Decimal("25.00")
    assert rows["甲县"].score == sum(rows["甲县"].parts.values())
