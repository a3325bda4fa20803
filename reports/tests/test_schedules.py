"""The report schedules of SPEC §3.4 (data migration) and the periods they cover."""

import datetime
import json

import pytest
from django_celery_beat.models import PeriodicTask

from reports.schedule import last_period

pytestmark = pytest.mark.django_db


def test_the_three_schedules_exist_and_are_editable_rows():
    rows = {
        t.name: (t.crontab.day_of_month, t.crontab.month_of_year, json.loads(t.kwargs)["kind"])
        for t in PeriodicTask.objects.filter(task="reports.scheduled_report")
    }
    assert rows == {
        "月度调度报表（每月6日，上月）": ("6", "*", "monthly"),
        "季度通报（季后8日，上季度）": ("8", "1,4,7,10", "quarterly"),
        "年度考评（1月15日，上年度）": ("15", "1", "yearly"),
    }
    assert {
        str(t.crontab.timezone)
        for t in PeriodicTask.objects.filter(task="reports.scheduled_report")
    } == {"Asia/Shanghai"}


@pytest.mark.parametrize(
    "kind,today,period",
    [
        ("monthly", datetime.date(2026, 11, 6), "2026-10"),
        ("monthly", datetime.date(2026, 1, 6), "2025-12"),
        ("quarterly", datetime.date(2026, 10, 8), "2026-Q3"),
        ("quarterly", datetime.date(2026, 1, 8), "2025-Q4"),
        ("yearly", datetime.date(2027, 1, 15), "2026"),
    ],
)
def test_a_scheduled_run_covers_the_period_just_closed(kind, today, period):
    assert last_period(kind, today) == period
