"""Redis down: one log line per outage, not a traceback per request (26 in 8 s were seen)."""

import logging
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from core import cache as figure_cache
from core import outages
from core.queue import QueueUnavailableError, send
from core.tasks import refresh_figure


@pytest.fixture(autouse=True)
def fresh_state():
    outages._down.clear()
    yield
    outages._down.clear()


def warnings_of(caplog):
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_cache_down_logs_one_line_then_one_when_back(settings, caplog):
    settings.ASSESS_CACHE_SECONDS = 60
    dead = mock.Mock()
    dead.get_or_set.side_effect = ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    # when every page of an 8-second outage asks the cache for its figures
    with mock.patch.object(figure_cache, "cache", dead):
        values = [figure_cache.cached("k", None, 2026, 3, lambda: 42) for _ in range(26)]

    # then each still gets its figure, and the log has one line, without a traceback
    assert values == [42] * 26
    lines = warnings_of(caplog)
    assert [r.getMessage() for r in lines] == [
        "Redis (figure cache) unavailable (ConnectionError: Error 111 connecting to"
        " 127.0.0.1:6379.); further errors are not logged until it is back"
    ]
    assert not any(r.exc_info for r in caplog.records)

    # when Redis answers again, one line says so
    caplog.clear()
    for _ in range(3):
        figure_cache.generation()
    assert [r.getMessage() for r in warnings_of(caplog)] == ["Redis (figure cache) available again"]


def test_queue_down_logs_one_line_per_outage(caplog):
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(refresh_figure, "apply_async", side_effect=refused):
        for _ in range(5):
            with pytest.raises(QueueUnavailableError):
                send(refresh_figure, "key")
    assert len(warnings_of(caplog)) == 1
    assert not any(r.exc_info for r in caplog.records)
