"""Fixtures of the 领导批示 tests: the shared small city, a clock on 2026-04-10 (Shanghai)."""

import datetime
import zoneinfo

import pytest
import time_machine

from registry.tests.fixtures.media import private_media  # noqa: F401

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 4, 10)


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI), tick=False) as t:
        yield t
