"""The period on the pages and in the API (SPEC §3.8), and finished projects (竣工/投产 before
the month) described as such rather than judged."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.facts import load_facts
from assessments.models import ProjectMonthStatus, RuleSet
from assessments.services import assess_month
from assessments.status import judge
from assessments.tests.helpers import leaf
from conftest import login
from milestones.tests.factories import MilestoneFactory
from registry.choices import Stage

pytestmark = pytest.mark.django_db
DEC_8 = datetime.datetime(2026, 12, 8, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def judged(city):
    leaf(region=city.county_a, unit=city.unit_a, reports=[(m, str(100 * m)) for m in range(1, 12)])
    for month in range(1, 12):
        assess_month(year=2026, month=month)
    return city


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


PAGES = [
    ("portal:home", []),
    ("portal:dashboard", []),
    ("portal:dashboard_screen", []),
    ("assessments:list", ["warning"]),
    ("assessments:list", ["milestones"]),
    ("assessments:forecast", []),
    ("assessments:records", []),
    ("assessments:scores", []),
]


@time_machine.travel(DEC_8, tick=False)
@pytest.mark.parametrize("name, args", PAGES)
def test_every_page_has_the_picker_on_the_last_closed_month(client, users, judged, name, args):
    login(client, users.reviewer)
    resp = client.get(reverse(name, args=args))
    assert resp.status_code == 200
    assert 'id="period-picker"' in resp.text
    assert 'data-period="2026-11"' in resp.text
    assert "进行中（数据未截止）" not in resp.text.split('id="period-picker"')[1][:3000]
    # an open month can be chosen, and is marked as such
    resp = client.get(reverse(name, args=args), {"year": 2026, "month": 12})
    assert 'id="period-provisional"' in resp.text


@time_machine.travel(DEC_8, tick=False)
@pytest.mark.parametrize("name, args", PAGES)
@pytest.mark.parametrize("query", [{"month": "13"}, {"year": "20x6"}, {"period": "2026-13"}])
def test_bad_periods_are_a_chinese_400_page(client, users, judged, name, args, query):
    login(client, users.reviewer)
    resp = client.get(reverse(name, args=args), query)
    assert resp.status_code == 400
    assert "请求参数有误" in resp.text and ("月份" in resp.text or "年度" in resp.text)


@time_machine.travel(DEC_8, tick=False)
def test_scores_offer_month_ytd_quarter_and_year(client, users, judged):
    login(client, users.reviewer)
    for query, label in [
        ({"kind": "ytd", "year": 2026, "month": 11}, "2026年1-11月累计"),
        ({"period": "2026-01..11"}, "2026年1-11月累计"),
        ({"kind": "quarter", "year": 2026, "quarter": 3}, "2026年第3季度"),
        ({"kind": "year", "year": 2025}, "2025年"),
    ]:
        resp = client.get(reverse("assessments:scores"), query)
        assert resp.status_code == 200 and resp.context["period"].label == label, query
    resp = client.get(reverse("assessments:scores"), {"kind": "decade"})
    assert resp.status_code == 400


@time_machine.travel(DEC_8, tick=False)
@pytest.mark.parametrize(
    "url",
    [
        "/api/dashboard/",
        "/api/dashboard/charts/",
        "/api/dashboard/map/",
        "/api/forecast/",
        "/api/forecast/projects/",
    ],
)
def test_api_answers_say_which_period_they_answered(users, judged, url):
    body = api(users.reviewer).get(url).json()
    assert body["period"] == "2026-11" and body["period_label"] == "2026年11月"
    assert body["provisional"] is False and body["as_of"] == "2026-11-30"
    body = api(users.reviewer).get(url, {"year": 2026, "month": 12}).json()
    assert body["provisional"] is True and body["as_of"] == "2026-12-08"
    bad = api(users.reviewer).get(url, {"month": "13"})
    assert bad.status_code == 400 and "月份应在1到12之间" in bad.json()["detail"]


@time_machine.travel(DEC_8, tick=False)
@pytest.mark.parametrize("url", ["/api/scores/", "/api/forecast/at-risk/"])
def test_list_answers_carry_the_period_in_headers(users, judged, url):
    resp = api(users.reviewer).get(url)
    assert resp.status_code == 200
    assert resp["X-Period"] == "2026-11" and resp["X-Provisional"] == "false"
    assert resp["X-As-Of"] == "2026-11-30"


def test_a_finished_project_says_so_and_is_not_judged_on_what_it_left_open(city):
    # given a project that went into production in March with a 达产 milestone still ahead
    # of it and an overdue one it never closed
    p = leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "400"), (2, "900"), (3, "1200")])
    p.completed_on, p.stage = datetime.date(2026, 3, 20), Stage.OPERATING
    p.save()
    MilestoneFactory(project=p, kind="other", name="达产", planned_on=datetime.date(2026, 5, 1))
    # when June is judged
    (facts,) = load_facts(2026, 6, [p.pk])
    j = judge(facts, RuleSet(year=2026))
    # then it is described as finished, not as lagging, unreported or planless
    assert j.reasons == ["已于2026年3月投产，不再填报"]
    assert j.status == "normal" and j.milestone_overdue_days == 0
    # and it is on none of the overdue lists
    assert facts.milestones == [] and facts.problems == []


def test_a_planned_project_without_an_approved_figure_is_not_called_planless(city):
    p = leaf(region=city.county_a, unit=city.unit_a, reports=[])
    (facts,) = load_facts(2026, 6, [p.pk])
    facts.report_status, facts.should_report = None, False
    j = judge(facts, RuleSet(year=2026))
    assert "无年度计划投资" not in " ".join(j.reasons)
    assert "无6月已审核累计完成数" in " ".join(j.reasons)
    assert facts.plan == Decimal("1200")


def test_stored_status_of_a_finished_project(city):
    p = leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "400"), (2, "1200")])
    p.completed_on, p.stage = datetime.date(2026, 2, 27), Stage.COMPLETED
    p.save()
    assess_month(year=2026, month=4)
    stored = ProjectMonthStatus.objects.get(project=p, year=2026, month=4)
    assert stored.reason_text == "已于2026年2月竣工，不再填报"


@time_machine.travel(DEC_8, tick=False)
def test_the_ledger_judges_the_last_closed_month_and_refuses_a_bad_one(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(reverse("portal:project_list"), {"year": 2026})
    assert resp.context["status_period"] == "2026年11月"
    resp = client.get(reverse("portal:project_list"), {"year": 2026, "month": 12})
    assert resp.context["status_period"] == "2026年12月 进行中（数据未截止）"
    resp = client.get(reverse("portal:project_list"), {"month": "13"})
    assert resp.status_code == 400 and "月份应在1到12之间" in resp.text
