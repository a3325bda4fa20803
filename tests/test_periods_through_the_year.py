"""SPEC §3.8 through a year of the demo: the clock moves, the figures hold still.

At each day the demo is seeded as `seed_demo` would seed it that day; then the default
period must be a closed month, nothing is judged as of a day still to come (time progress,
overdue milestones), the forecast does not say the year is over before it is, and approving
reports of the month still open does not move the default view.
"""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import forecast, selectors
from assessments.models import ProjectMonthStatus
from core.periods import Period, month_end
from milestones.choices import ReportStatus
from milestones.models import Milestone, ProgressReport, ReportingWindow
from milestones.periods import default_period, resolve
from milestones.signals import report_approved
from registry.selectors import year_list

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")

# day → the last closed month as the demo's windows (closed after the 5th) make it
DAYS = {
    D(2026, 1, 3): Period("month", 2025, 11),
    D(2026, 6, 30): Period("month", 2026, 5),
    D(2026, 12, 8): Period("month", 2026, 11),
    D(2026, 12, 31): Period("month", 2026, 11),
    D(2027, 1, 5): Period("month", 2026, 11),
}


def _seed():
    call_command("seed_demo", projects=40, stdout=StringIO())


def _client():
    client = APIClient()
    client.force_login(User.objects.get(username="drc"))
    return client


def _running_leaf(year, today):
    return (
        year_list(year)
        .filter(is_package=False, started_on__lt=today, completed_on__isnull=True)
        .order_by("code")
        .first()
    )


def _check_default(client, today, expected):
    period = default_period()
    assert period == expected
    assert month_end(period.year, period.index) < today  # a month that has ended
    window = ReportingWindow.objects.filter(year=period.year, month=period.index).first()
    assert window is None or not window.is_open or window.deadline < today
    # the home page shows it, not provisional, with time progress of the whole month
    home = client.get(reverse("registry:home"))
    assert (home.context["year"], home.context["month"]) == (period.year, period.index)
    assert 'id="period-provisional"' not in home.text
    assert home.context["totals"].time_progress == round(Decimal(period.index * 100) / 12, 2)
    body = client.get("/api/dashboard/").json()
    assert (body["period"], body["provisional"]) == (str(period), False)
    assert body["as_of"] == str(month_end(period.year, period.index))


def _check_open_month(client, today):
    """The month of today, asked for: provisional, judged as of today, never later."""
    q = {"year": today.year, "month": today.month}
    body = client.get("/api/dashboard/", q).json()
    assert body["provisional"] is True and body["as_of"] == str(today)
    gone = (today - D(today.year, 1, 1)).days + 1  # days of the year up to today
    days_in_year = (D(today.year, 12, 31) - D(today.year, 1, 1)).days + 1
    # never more than the share of the year gone by today (month-wise pro rata)
    assert Decimal(body["totals"]["time_progress"]) <= Decimal(gone * 100) / days_in_year + 1
    if today != month_end(today.year, today.month):
        assert Decimal(body["totals"]["time_progress"]) < Decimal(today.month * 100) / 12
    page = client.get(reverse("registry:home"), q)
    assert 'id="period-provisional"' in page.text and "进行中（数据未截止）" in page.text


def _check_overdue(today):
    """A milestone due in a week is not overdue today; one due three days ago is 3 days."""
    project = _running_leaf(today.year, today)
    soon = Milestone.objects.create(
        project=project,
        kind="other",
        name="一周后到期节点",
        planned_on=today + datetime.timedelta(7),
    )
    late = Milestone.objects.create(
        project=project,
        kind="other",
        name="三天前到期节点",
        planned_on=today - datetime.timedelta(3),
    )
    resolved = resolve({"year": str(today.year), "month": str(today.month)})
    projects = year_list(today.year)
    rows = selectors.milestone_rows(projects, today.year, today.month, resolved.as_of)
    by_name = {r.cells[0]: r for r in rows}
    assert soon.name not in by_name
    assert by_name[late.name].cells[2] == 3
    assert all(r.cells[1] < today for r in rows)
    # the stored status of the running month, once its report is approved, agrees
    _approve(project, today.year, today.month)
    stored = ProjectMonthStatus.objects.get(project=project, year=today.year, month=today.month)
    assert soon.name not in stored.reason_text
    assert "三天前到期节点”逾期3天" in stored.reason_text


def _approve(project, year, month):
    """An approved report for the month, as a reviewer's approval leaves it (the receiver
    recomputes the project's month)."""
    before = (
        ProgressReport.objects.filter(project=project, year=year, month__lt=month)
        .order_by("-month")
        .first()
    )
    ytd = (before.invested_ytd if before else Decimal(0)) + Decimal(10)
    ProgressReport.objects.update_or_create(
        project=project,
        year=year,
        month=month,
        defaults={"status": ReportStatus.APPROVED, "invested_month": 10, "invested_ytd": ytd},
    )
    report_approved.send(sender=ProgressReport, project_id=project.pk, year=year, month=month)


def _check_forecast(today):
    projects = year_list(today.year)
    basis = forecast.outlook_summary(projects, today.year, 12).total.forecast.basis
    assert "已到年末" not in basis  # the year of today has not ended
    last = year_list(today.year - 1)
    basis = forecast.outlook_summary(last, today.year - 1, 12).total.forecast.basis
    assert "已到年末" in basis  # last year has


@pytest.mark.parametrize("today", list(DAYS), ids=str)
def test_a_year_of_the_demo_never_judges_a_future_day(today):
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(10), SHANGHAI), tick=False
    ):
        _seed()
        client = _client()
        _check_default(client, today, DAYS[today])
        _check_open_month(client, today)
        _check_overdue(today)
        _check_forecast(today)


def test_approving_reports_of_the_open_month_does_not_move_the_default_view():
    today = D(2026, 12, 8)
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(10), SHANGHAI), tick=False
    ):
        _seed()
        client = _client()
        # when a county reviewer approves four December reports on 8 December
        leaves = list(year_list(2026).filter(is_package=False, started_on__isnull=False)[:4])
        for p in leaves:
            _approve(p, 2026, 12)
        assert ProjectMonthStatus.objects.filter(year=2026, month=12).count() == 4
        # then every default view still shows November, the last closed month
        home = client.get(reverse("registry:home"))
        assert home.context["month"] == 11
        assert "11月项目状态" in home.text
        dash = client.get(reverse("assessments:dashboard"))
        assert dash.context["month"] == 11
        assert client.get("/api/dashboard/").json()["period"] == "2026-11"
        warning = client.get(reverse("assessments:list", args=["warning"]))
        assert "2026年11月" in warning.text
        scores = client.get(reverse("assessments:scores"))
        assert scores.context["period"] == Period("month", 2026, 11)
        # and the status counts shown are November's stored statuses, counted here
        stored = Counter(
            ProjectMonthStatus.objects.filter(
                year=2026, month=11, project__in=year_list(2026).filter(is_package=False)
            ).values_list("status", flat=True)
        )
        shown = home.context["totals"].status_counts
        assert {k: v for k, v in shown.items() if v} == dict(stored)
