"""Table-driven boundary tests of the status rules (SPEC §3.3), on plain facts (no database).

Month 6 of 2026 with an annual plan of 1,200万元 and no schedule: T = 6/12 = 50%, so a
year-to-date of 480 gives R = 40% and G exactly −10 points.
"""

import datetime
from decimal import Decimal

import pytest

from assessments.choices import GapForm, RuleMode, Status
from assessments.facts import Overdue, ProjectFacts
from assessments.models import RuleSet
from assessments.status import judge, months_running

D = Decimal
JUNE_END = datetime.date(2026, 6, 30)


def facts(**kw):
    base = dict(
        project_id=1,
        code="2026-TS-0001",
        year=2026,
        month=6,
        report_status="approved",
        ytd=D("600"),
        plan=D("1200"),
        planned_start=datetime.date(2026, 1, 1),
        started_on=datetime.date(2026, 1, 10),
    )
    base.update(kw)
    return ProjectFacts(**base)


def milestone(days):
    due = JUNE_END - datetime.timedelta(days=days)
    return Overdue("主体封顶", due, days)


POINTS = RuleSet(year=2026)
RATIO = RuleSet(year=2026, gap_form=GapForm.RATIO)
LIGHTS = RuleSet(year=2026, mode=RuleMode.LIGHTS)

CASES = [
    # (id, rules, facts, status, reason fragment)
    ("G=-10 预警", POINTS, facts(ytd=D("480")), Status.WARNING, "G=-10.00个百分点（≤-10，预警）"),
    ("G=-9.99 正常", POINTS, facts(ytd=D("480.12")), Status.NORMAL, "G=-9.99个百分点"),
    ("G=-20 滞后", POINTS, facts(ytd=D("360")), Status.LAGGING, "G=-20.00个百分点（≤-20，滞后）"),
    ("G=-19.99 预警", POINTS, facts(ytd=D("360.12")), Status.WARNING, "G=-19.99个百分点（≤-10，预警）"),
    ("G=+10 较快", POINTS, facts(ytd=D("720")), Status.AHEAD, "G=+10.00个百分点（≥+10）"),
    ("G=+9.99 正常", POINTS, facts(ytd=D("719.88")), Status.NORMAL, "G=+9.99个百分点"),
    ("R÷T=80% 正常", RATIO, facts(ytd=D("480")), Status.NORMAL, "R÷T=80.00%"),
    ("R÷T<80% 预警", RATIO, facts(ytd=D("479.88")), Status.WARNING, "R÷T=79.98%（低于80%，预警）"),
    ("R÷T=60% 预警", RATIO, facts(ytd=D("360")), Status.WARNING, "R÷T=60.00%（低于80%，预警）"),
    ("R÷T<60% 滞后", RATIO, facts(ytd=D("359.88")), Status.LAGGING, "R÷T=59.98%（低于60%，滞后）"),
    ("节点逾期59天 预警", POINTS, facts(milestones=[milestone(59)]), Status.WARNING,
     "节点“主体封顶”逾期59天（计划2026-05-02）"),
    ("节点逾期60天 滞后", POINTS, facts(milestones=[milestone(60)]), Status.LAGGING,
     "节点“主体封顶”逾期60天（计划2026-05-01）"),
    # A schedule that starts after the planned start: T = 0, so only the start rule speaks.
    ("应开未开30天 预警", POINTS,
     facts(planned_start=datetime.date(2026, 5, 31), started_on=None, ytd=D("0"), planned_cum=D("0")),
     Status.WARNING, "应开未开30天（计划开工2026-05-31）"),
    ("应开未开31天 滞后", POINTS,
     facts(planned_start=datetime.date(2026, 5, 30), started_on=None, ytd=D("0"), planned_cum=D("0")),
     Status.LAGGING, "应开未开31天（计划开工2026-05-30）"),
    ("月度计划 T=计划÷年度", POINTS, facts(ytd=D("300"), planned_cum=D("300")), Status.NORMAL,
     "投资完成率R=25.00%，时间进度T=25.00%，G=0.00个百分点"),
    ("无月度计划 T=月份÷12", POINTS, facts(ytd=D("300")), Status.LAGGING,
     "投资完成率R=25.00%，时间进度T=50.00%，G=-25.00个百分点（≤-20，滞后）"),
    ("无月报 未报", POINTS, facts(report_status=None, ytd=None), Status.UNREPORTED, "6月月报未报送"),
    ("未审核 未报", POINTS, facts(report_status="submitted", ytd=None), Status.UNREPORTED,
     "6月月报未审核通过（当前：已提交）"),
    ("督办问题逾期 预警", POINTS,
     facts(problems=[Overdue("用地指标未落实", datetime.date(2026, 6, 25), 5, supervised=True)]),
     Status.WARNING, "督办问题“用地指标未落实”逾期5天（时限2026-06-25）"),
    ("非督办问题逾期 不预警也不较快", POINTS,
     facts(ytd=D("720"), problems=[Overdue("施工用电不足", datetime.date(2026, 6, 25), 5)]),
     Status.NORMAL, "虽超前于时间进度，但有逾期事项，不评为较快"),
    ("未到开工时间 不判投资", POINTS,
     facts(planned_start=datetime.date(2026, 9, 1), started_on=None, ytd=D("0")),
     Status.NORMAL, "尚未到计划开工时间，不判定投资进度"),
    ("应开未开连续3个月 红灯", LIGHTS,
     facts(planned_start=datetime.date(2026, 4, 15), started_on=None, ytd=D("0"), planned_cum=D("0")),
     Status.LAGGING, "开工灯：应开未开已连续3个月（计划开工2026-04-15）"),
    ("应开未开连续2个月 黄灯", LIGHTS,
     facts(planned_start=datetime.date(2026, 5, 15), started_on=None, ytd=D("0"), planned_cum=D("0")),
     Status.WARNING, "开工灯：应开未开已连续2个月（计划开工2026-05-15）"),
]  # fmt: skip


@pytest.mark.parametrize("rules,f,status,reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_status_boundaries(rules, f, status, reason):
    # when the facts are judged by the rule set
    j = judge(f, rules)
    # then the status and the reason text are as the table says
    assert j.status == status, j.reasons
    assert any(reason in r for r in j.reasons), j.reasons


def test_lights_are_reported_per_dimension():
    f = facts(
        planned_start=datetime.date(2026, 4, 15), started_on=None, ytd=D("0"), planned_cum=D("0")
    )
    f.funds_planned, f.funds_in_place = D("1000"), D("500")
    j = judge(f, LIGHTS)
    assert j.lights == {"开工": "red", "进度": "green", "资金到位": "yellow"}
    assert "资金到位灯：资金到位率50.00%（低于60%）" in j.reasons


def test_numbers_are_kept_with_the_status():
    j = judge(facts(ytd=D("480")), POINTS)
    assert (j.r, j.t, j.g) == (D("40.00"), D("50.00"), D("-10.00"))


def test_months_running_counts_the_latest_run():
    assert months_running(["lagging", "normal", "lagging", "lagging", "lagging"], "lagging") == 3
    assert months_running(["lagging", "lagging", "normal"], "lagging") == 0
