"""One rule for what is overdue: the 应开未开, 节点逾期 and 问题逾期 lists colour a project as
its judgement does (`status.overdue_findings`), in either form of the rule set."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessments.choices import RuleMode, Status
from assessments.models import ProjectMonthStatus
from assessments.services import assess_month
from assessments.tests.helpers import rules_2026
from conftest import login
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db
JUNE_10 = datetime.datetime(2026, 6, 10, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def due_since_april(city):
    """B was due to start on 30 April and has not: 41 days by 10 June, over the overall form's
    30, but only two month-ends running (May, June), under the 3 of a red 开工 light."""
    for p in (city.project_a, city.project_town, city.project_city_unit):
        p.started_on = datetime.date(2026, 3, 1)
        p.save()
    city.project_b.planned_start = datetime.date(2026, 4, 30)
    city.project_b.save()
    ProgressReportFactory(project=city.project_b, month=6, status=ReportStatus.APPROVED,
                          invested_ytd=Decimal("0"))  # fmt: skip
    return city


@time_machine.travel(JUNE_10, tick=False)
@pytest.mark.parametrize(
    "mode, colour",
    [(RuleMode.OVERALL, "red"), (RuleMode.LIGHTS, "yellow")],
)
def test_unstarted_list_colours_a_project_as_its_judgement(
    client, users, due_since_april, mode, colour
):
    # given the rule set in the overall or the per-dimension form
    rules = rules_2026()
    rules.mode = mode
    rules.save()

    # when June is judged and the reviewer opens the 应开未开 list
    assess_month(year=2026, month=6)
    login(client, users.reviewer)
    url = reverse("assessments:list", args=["unstarted"])
    resp = client.get(url, {"year": 2026, "month": 6})

    # then the row has the colour the judgement gave 应开未开: red after 30 days in the
    # overall form, the 开工 light's yellow (two months running) in the per-dimension form
    (row,) = resp.context["rows"]
    assert row.project.pk == due_since_april.project_b.pk
    assert f"badge status-{colour} " in resp.text
    assert "应开未开41天（计划开工2026-04-30），已连续2个月" in resp.text
    stored = ProjectMonthStatus.objects.get(project=due_since_april.project_b, year=2026, month=6)
    if mode == RuleMode.LIGHTS:
        assert stored.lights["开工"] == colour
        assert row.level == Status.WARNING
        assert "开工灯：应开未开已连续2个月（计划开工2026-04-30）" in stored.reasons
    else:
        assert row.level == Status.LAGGING
        assert "应开未开41天（计划开工2026-04-30）" in stored.reasons[:2]
