"""The demo city can be built on any day of the year (other months, leap days, January)."""

import datetime
from io import StringIO

import pytest

from milestones import demo as milestones_demo
from milestones.models import ProgressReport
from registry.demo import seed_registry


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2027, 1, 3),
        datetime.date(2027, 2, 28),
        datetime.date(2026, 12, 31),
        datetime.date(2028, 2, 29),
    ],
)
def test_seed_on_other_days_reports_every_past_month_once(today):
    # given / when: the seed runs twice on that day
    for _ in range(2):
        seed_registry(projects=40, seed=1, today=today)
        milestones_demo.seed(seed=1, year=today.year, today=today, stdout=StringIO())
    # then the past months of that year have reports, no future month has, and none twice
    months = set(ProgressReport.objects.filter(year=today.year).values_list("month", flat=True))
    assert months == set(range(1, today.month))
    assert not ProgressReport.objects.filter(year__gt=today.year).exists()
