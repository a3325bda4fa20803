"""Reviewers' anomaly hints: spikes, over the plan or the total, cumulative going down."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from milestones.choices import ReportStatus
from milestones.hints import report_hints
from milestones.tests.factories import ProgressReportFactory
from registry.models import AnnualPlan
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def started(city):
    # Started projects: the 开工前填报投资 hint has its own tests (test_views).
    city.project_a.started_on = datetime.date(2025, 6, 1)
    city.project_a.save()


def _report(project, month, month_amount, ytd, total=None, status=ReportStatus.APPROVED):
    return ProgressReportFactory(
        project=project,
        month=month,
        status=status,
        invested_month=Decimal(month_amount),
        invested_ytd=Decimal(ytd),
        invested_total=Decimal(total if total is not None else ytd),
    )


def _shorts(report):
    return [h.short for h in report_hints([report])[report.pk]]


def _texts(report):
    return " ".join(h.text for h in report_hints([report])[report.pk])


def test_a_normal_month_has_no_hint(city):
    p = city.project_a
    _report(p, 1, "100", "100")
    _report(p, 2, "120", "220")
    march = _report(p, 3, "150", "370", status=ReportStatus.SUBMITTED)
    assert _shorts(march) == []


def test_month_over_three_times_the_average(city):
    p = city.project_a
    _report(p, 1, "100", "100")
    _report(p, 2, "100", "200")
    march = _report(p, 3, "350", "550", status=ReportStatus.SUBMITTED)
    assert _shorts(march) == ["本月异常偏高"]
    assert "是该项目以往月均 100.00万元的 3.5 倍" in _texts(march)
    # exactly three times is not flagged
    march.invested_month = Decimal("300")
    assert _shorts(march) == []


def test_one_earlier_month_is_not_enough_for_an_average(city):
    p = city.project_a
    _report(p, 1, "10", "10")
    february = _report(p, 2, "500", "510", status=ReportStatus.SUBMITTED)
    assert "本月异常偏高" not in _shorts(february)


def test_year_to_date_over_the_annual_plan_and_over_the_total(city):
    p = ProjectFactory(
        region=city.county_a,
        unit=city.unit_a,
        total_investment=Decimal("1000"),
        started_on=datetime.date(2025, 6, 1),
    )
    AnnualPlanFactory(project=p, planned_investment=Decimal("600"))
    over_plan = _report(p, 3, "650", "650", status=ReportStatus.SUBMITTED)
    assert _shorts(over_plan) == ["超年度计划"]
    assert "超过年度计划投资 600.00万元" in _texts(over_plan)
    over_plan.invested_total = Decimal("1200.50")
    assert _shorts(over_plan) == ["超年度计划", "超总投资"]
    assert "累计完成投资 1,200.50万元 超过项目总投资 1,000.00万元" in _texts(over_plan)


def test_cumulative_going_down(city):
    p = city.project_a
    _report(p, 2, "200", "400", total="900")
    march = _report(p, 3, "0", "380", total="880", status=ReportStatus.SUBMITTED)
    assert _shorts(march) == ["累计数减少"]
    assert "本年累计 380.00万元 少于上月的 400.00万元" in _texts(march)
    march.invested_ytd = Decimal("400")
    assert "自开工累计 880.00万元 少于上月的 900.00万元" in _texts(march)


def test_queue_shows_hints_with_a_constant_number_of_queries(client, city, users):
    login(client, users.reviewer)
    url = reverse("milestones:review_queue")

    def make(n):
        for _ in range(n):
            p = ProjectFactory(
                region=city.county_a, unit=city.unit_a, started_on=datetime.date(2025, 6, 1)
            )
            AnnualPlanFactory(project=p, planned_investment=Decimal("100"))
            _report(p, 2, "50", "50")
            _report(p, 3, "80", "130", status=ReportStatus.SUBMITTED)  # over the plan

    make(2)
    with CaptureQueriesContext(connection) as small:
        html = client.get(url).content.decode()
    assert len(re.findall(r'class="badge text-bg-danger report-hint"[^>]*>超年度计划', html)) == 2
    make(8)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(re.findall(r">超年度计划</span>", html)) == 10
    assert len(large) == len(small)


def test_report_page_lists_the_hints(client, city, users):
    p = city.project_a
    AnnualPlan.objects.filter(project=p).update(planned_investment=Decimal("100"))
    report = _report(p, 3, "150", "150", status=ReportStatus.SUBMITTED)
    html = login(client, users.reviewer).get(reverse("milestones:report_detail", args=[report.pk]))
    assert "本年累计完成投资 150.00万元 超过年度计划投资 100.00万元" in html.content.decode()
