"""五率 and start targets by hand; the score page is scoped and exportable."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessments.rates import five_rates, start_targets
from assessments.tests.helpers import leaf
from conftest import login
from core.periods import parse_period
from core.signals import changed
from registry.choices import ProjectLevel
from registry.models import AnnualPlan, Project

D = Decimal
pytestmark = pytest.mark.django_db
day = datetime.date


def test_five_rates_by_hand():
    # given 4 signed projects: 3 filed, 2 of those started, 1 completed and operating,
    # not yet at capacity; a 5th completed after the period counts nothing as completed
    kw = dict(signed_on=day(2025, 6, 1))
    leaf(**kw, filed_on=day(2025, 8, 1), started_on=day(2026, 2, 1), reports=[(6, "600")])
    leaf(
        **kw,
        filed_on=day(2025, 8, 1),
        started_on=day(2025, 3, 1),
        completed_on=day(2026, 4, 1),
        operating_on=day(2026, 5, 1),
        reports=[(6, "300")],
    )
    leaf(**kw, filed_on=day(2025, 9, 1), started_on=None)
    leaf(**kw, filed_on=None, started_on=None)
    leaf(started_on=day(2025, 1, 1), completed_on=day(2026, 9, 1), reports=[(6, "0")])
    rates = {r.label: r.value for r in five_rates(Project.objects.all(), parse_period("2026-06"))}
    assert rates == {
        "签约项目备案率": D("75.00"),  # 3 ÷ 4
        "备案项目开工率": D("66.67"),  # 2 ÷ 3
        "开工项目投资完成率": D("25.00"),  # (600 + 300 + 0) ÷ 3 × 1200
        "竣工项目投产率": D("100.00"),  # 1 ÷ 1
        "达效率": D("0.00"),  # 0 ÷ 1
    }


def test_start_targets_show_the_gap():
    # given 4 province-level planned starts, 3 started by 30 June
    for started in [day(2026, 3, 1), day(2026, 4, 1), day(2026, 6, 30), None]:
        leaf(level=ProjectLevel.PROVINCE, started_on=started, planned_start=day(2026, 3, 1))
    AnnualPlan.objects.update(plan_start=True)
    changed(Project.objects.values_list("pk", flat=True))  # a bulk update names its projects
    targets = {t.label: t for t in start_targets(Project.objects.all(), parse_period("2026-09"))}
    province = targets["省重点"]
    assert (province.planned, province.started, province.rate) == (4, 3, D("75.00"))
    assert province.gap == D("-10.00")  # target 85%
    assert targets["市重大产业项目"].rate is None  # none in that program


def test_score_page_is_scoped_and_exports(client, users, city):
    login(client, users.reporter_b)
    resp = client.get(reverse("assessments:scores"), {"period": "2026-Q2"})
    assert resp.status_code == 200
    # not 甲县; and within one county its towns rank (here only the county's own projects)
    assert [r.name for r in resp.context["rows"]] == ["乙区本级"]
    export = client.get(reverse("assessments:score_export"), {"period": "2026-Q2"})
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == ["乙区本级"]


def test_score_page_bad_period_is_a_chinese_400(client, users, city):
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:scores"), {"period": "2026-Q5"})
    assert resp.status_code == 400 and "期间格式不正确" in resp.text


def test_negative_list_needs_three_months_running():
    from assessments.records import negative_entries

    lag, ok = "lagging", "normal"
    assert negative_entries({1: lag, 2: lag, 3: ok, 4: lag}, 4, 3, False) == []
    assert negative_entries({2: lag, 3: lag, 4: lag}, 4, 3, False) == ["连续3个月滞后（2-4月）"]
    assert negative_entries({1: ok}, 12, 3, True) == ["年底仍应开未开"]


def test_negative_list_page_names_the_unit_and_exports(client, users, city):
    from assessments.services import assess_month

    # given project A 30 points behind in April, May and June (R 0)
    for m in (4, 5, 6):
        from milestones.tests.factories import ProgressReportFactory

        ProgressReportFactory(project=city.project_a, month=m, status="approved",
                              invested_month=D("0"), invested_ytd=D("0"))  # fmt: skip
        assess_month(year=2026, month=m)
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:records"), {"year": 2026})
    assert "甲县发改局" in resp.text
    assert f"项目“{city.project_a.name}”连续3个月滞后（4-6月）" in resp.text
    export = client.get(reverse("assessments:negative_export"), {"year": 2026})
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == ["甲县发改局"]
