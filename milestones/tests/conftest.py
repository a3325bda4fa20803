"""Fixtures of the milestones tests. Time is frozen so that months and windows are stable."""

import datetime

import pytest
from django.utils import timezone

from registry.tests.fixtures.media import debug_urls, private_media  # noqa: F401

TODAY = datetime.date(2026, 4, 10)
_real_localdate = timezone.localdate


@pytest.fixture
def today(monkeypatch):
    """Freeze timezone.localdate() at 2026-04-10 (clock time stays real for ordering)."""

    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return TODAY
