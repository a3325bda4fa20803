"""A hand-computed city: 3 counties, 10 projects (one package of two), January–March 2026.

Without a schedule T = month/12, so March's T is 25%. Plans and year-to-date amounts
(万元) are chosen so every figure below can be checked by hand:

| project | county | plan | Jan/Feb/Mar YTD | March status                       |
|---------|--------|------|-----------------|------------------------------------|
| A1      | A      | 1200 | 100/200/300     | 正常 (G 0)                          |
| A2      | A      | 1200 | 60/120/180      | 预警 (G −10)                        |
| A3      | A      | 1000 | 20/30/50        | 滞后 (G −20); Jan 正常, Feb 预警      |
| B1      | B      | 2400 | 280/560/840     | 较快 (G +10), a new start, early     |
| B2      | B      | 600  | 50/100/—        | 未报 (no March report)              |
| B3      | B      | 800  | 0/0/0           | 滞后 (应开未开 49 days), a new start  |
| P       | C      | —    | package of C1+C2 |                                    |
| C1      | C      | 1000 | 80/160/250      | 正常                                |
| C2      | C      | 1000 | 80/160/260      | 预警 (milestone overdue 20 days)     |
| C3      | C      | 500  | 40/80/125       | 预警 (督办 problem overdue 10 days)   |
"""

import datetime
from decimal import Decimal

import pytest

from assessments import metrics
from assessments.choices import Status
from assessments.models import ProjectMonthStatus
from assessments.services import assess_month
from assessments.tests.helpers import leaf
from core.signals import changed
from milestones.tests.factories import MilestoneFactory, ProblemFactory
from registry.choices import Nature, RegionLevel
from registry.models import AnnualPlan, Project
from registry.tests.factories import ProjectFactory, RegionFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_city():
    city = RegionFactory(name="手算市", code="380100", level=RegionLevel.CITY)
    a, b, c = (
        RegionFactory(name=n, code=code, level=RegionLevel.COUNTY, parent=city)
        for n, code in [("甲县", "380101"), ("乙县", "380102"), ("丙县", "380103")]
    )
    p = {}
    p["A1"] = leaf(region=a, plan="1200", reports=[(1, "100"), (2, "200"), (3, "300")])
    p["A2"] = leaf(region=a, plan="1200", reports=[(1, "60"), (2, "120"), (3, "180")])
    p["A3"] = leaf(region=a, plan="1000", reports=[(1, "20"), (2, "30"), (3, "50")])
    p["B1"] = leaf(
        region=b,
        plan="2400",
        reports=[(1, "280"), (2, "560"), (3, "840")],
        nature=Nature.NEW,
        planned_start=datetime.date(2026, 1, 15),
    )
    p["B2"] = leaf(region=b, plan="600", reports=[(1, "50"), (2, "100")])
    p["B3"] = leaf(
        region=b,
        plan="800",
        reports=[(1, "0"), (2, "0"), (3, "0")],
        nature=Nature.NEW,
        planned_start=datetime.date(2026, 2, 10),
        started_on=None,
    )
    AnnualPlan.objects.filter(project__in=[p["B1"], p["B3"]]).update(plan_start=True)
    # B3's schedule starts in April: T = 0 in March, only the start rule speaks.
    schedule = dict(m01=0, m02=0, m03=0, m04=100, m05=200, m06=300, m07=400, m08=500)
    AnnualPlan.objects.filter(project=p["B3"]).update(
        **schedule, m09=600, m10=700, m11=750, m12=800
    )
    changed([p["B1"].pk, p["B3"].pk])  # bulk updates say which projects they touched
    p["P"] = ProjectFactory(region=c, is_package=True, name="丙县打包项目")
    p["C1"] = leaf(
        region=c, plan="1000", reports=[(1, "80"), (2, "160"), (3, "250")], package=p["P"]
    )
    p["C2"] = leaf(
        region=c, plan="1000", reports=[(1, "80"), (2, "160"), (3, "260")], package=p["P"]
    )
    p["C3"] = leaf(region=c, plan="500", reports=[(1, "40"), (2, "80"), (3, "125")])
    MilestoneFactory(
        project=p["C2"], kind="topping", name="主体封顶", planned_on=datetime.date(2026, 3, 11)
    )
    ProblemFactory(project=p["C3"], description="专项债资金未到位", is_supervised=True,
                   deadline=datetime.date(2026, 3, 21))  # fmt: skip
    for month in (1, 2, 3):
        assess_month(year=2026, month=month)
    return p


def status_of(project, month=3):
    return ProjectMonthStatus.objects.get(project=project, year=2026, month=month)


EXPECTED_MARCH = {
    "A1": (Status.NORMAL, "G=0.00个百分点"),
    "A2": (Status.WARNING, "G=-10.00个百分点（≤-10，预警）"),
    "A3": (Status.LAGGING, "G=-20.00个百分点（≤-20，滞后）"),
    "B1": (Status.AHEAD, "G=+10.00个百分点（≥+10）"),
    "B2": (Status.UNREPORTED, "3月月报未报送"),
    "B3": (Status.LAGGING, "应开未开49天（计划开工2026-02-10）"),
    "C1": (Status.NORMAL, "G=0.00个百分点"),
    "C2": (Status.WARNING, "节点“主体封顶”逾期20天（计划2026-03-11）"),
    "C3": (Status.WARNING, "督办问题“专项债资金未到位”逾期10天（时限2026-03-21）"),
}


def test_march_statuses_and_reasons(hand_city):
    for name, (status, reason) in EXPECTED_MARCH.items():
        row = status_of(hand_city[name])
        assert row.status == status, (name, row.reasons)
        assert reason in row.reason_text, (name, row.reasons)
    assert not ProjectMonthStatus.objects.filter(project=hand_city["P"]).exists()


def test_a3_slides_month_by_month(hand_city):
    trend = [status_of(hand_city["A3"], m).status for m in (1, 2, 3)]
    assert trend == [Status.NORMAL, Status.WARNING, Status.LAGGING]
    assert status_of(hand_city["A3"], 2).g == D("-13.67")


def test_city_figures_by_hand(hand_city):
    leaves = metrics.load_leaves(Project.objects.all(), 2026, 3)
    f = metrics.figures(leaves, 2026, 3)
    assert (f.count, f.split_count) == (8, 9)  # the package once; its two sub-projects
    assert f.total_investment == D("90000.00")  # 9 leaves × 10,000; the package not again
    assert f.annual_plan == D("9700.00")
    assert f.ytd == D("2105.00")  # B2 missed March: its February 100 still counts
    assert (f.completion_rate, f.time_progress, f.gap) == (D("21.70"), D("25.00"), D("-3.30"))
    assert (f.planned_starts, f.planned_starts_to_date, f.started) == (2, 2, 1)
    assert (f.started_early, f.missed, f.start_rate) == (1, 1, D("50.00"))
    assert f.status_counts == {
        Status.LAGGING: 2,
        Status.WARNING: 3,
        Status.NORMAL: 2,
        Status.AHEAD: 1,
        Status.UNREPORTED: 1,
    }
    # 开复工率 over 项 (the package once): 2 新开工 + 6 续建 of 8, B1 started → 1 of 8
    assert (f.new_projects, f.new_started, f.resumption_rate) == (2, 1, D("12.50"))


def test_region_figures_by_hand(hand_city):
    dash = metrics.dashboard(Project.objects.all(), 2026, 3)
    rows = {
        r["region"].name: (
            r["figures"].count,
            r["figures"].split_count,
            r["figures"].annual_plan,
            r["figures"].ytd,
            r["figures"].completion_rate,
        )
        for r in dash.regions
    }
    assert rows == {
        "甲县": (3, 3, D("3400.00"), D("530.00"), D("15.59")),
        "乙县": (3, 3, D("3800.00"), D("940.00"), D("24.74")),
        "丙县": (2, 3, D("2500.00"), D("635.00"), D("25.40")),
    }
    # every total is the sum of its rows
    assert sum(r["figures"].annual_plan for r in dash.regions) == dash.totals.annual_plan
    assert sum(r["figures"].count for r in dash.regions) == dash.totals.count


def test_summary_paragraph(hand_city):
    dash = metrics.dashboard(Project.objects.all(), 2026, 3)
    assert dash.paragraph == (
        "今年重点建设项目8项（打包项目拆分后共9项），项目总投资9.0亿元，年度投资计划1.0亿元。"
        "1-3月累计完成投资0.2亿元，占年度投资计划的21.7%，低于时间进度3.3个百分点。"
        "本年度计划开工项目2项（其中1-3月计划开工2项），实际已开工1项，完成年度计划开工的50.0%。"
    )


def test_region_scores_and_ranks_by_hand(hand_city):
    # March 2026, T = 25%:
    # 甲县 R 530/3400 → 40×0.6235=24.94, +20 +20 +10 +10, −2 (A3 滞后) = 82.94
    # 乙县 R 940/3800 (B2's February 100 counts though March is missing) → 40×0.9895=39.58,
    #      starts 1 of 2 → 10, +20, reports 2 of 3 → 6.67, +10, −2 (B3 滞后) = 84.25
    # 丙县 R 635/2500 ≥ T → 40, +20, milestone missed → 0, +10, problem overdue → 0 = 70.00
    from assessments.scoring import scores
    from core.periods import parse_period

    rows = scores(Project.objects.all(), parse_period("2026-03"))
    got = {r.name: (r.rank, r.score, r.penalty, r.components) for r in rows}
    assert got["乙县"][:3] == (1, D("84.25"), D("2.00"))
    assert got["甲县"][:3] == (2, D("82.94"), D("2.00"))
    assert got["丙县"][:3] == (3, D("70.00"), D("0.00"))
    assert got["乙县"][3] == {
        "investment": D("39.58"),
        "start": D("10.00"),
        "milestone": D("20.00"),
        "report": D("6.67"),
        "problem": D("10.00"),
    }
    assert got["丙县"][3]["milestone"] == D("0.00") and got["丙县"][3]["problem"] == D("0.00")


def test_scores_command_names_the_first_and_the_last(hand_city, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    path = tmp_path / "q1.csv"
    call_command("scores", "--period", "2026-Q1", "--csv", str(path), stdout=out)
    text = out.getvalue()
    assert "2026年第1季度县区得分（共3个）" in text
    assert "红榜：乙县；黑榜：丙县" in text
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("排名,名称,投资完成")
