"""Fixtures of the milestones tests. Time is frozen so that months and windows are stable."""

import datetime

import pytest
from django.utils import timezone

TODAY = datetime.date(2026, 4, 10)
NOW = timezone.make_aware(datetime.datetime(2026, 4, 10, 10, 0))
_real_localdate = timezone.localdate


@pytest.fixture
def today(monkeypatch):
    """Freeze timezone.localdate()/now() at 2026-04-10 10:00 (Asia/Shanghai)."""

    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return TODAY
