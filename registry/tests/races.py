"""Helpers for race tests: run callables in real threads that start together.

Each thread has its own database connection (Django's are per thread), so on PostgreSQL the
threads are two real sessions racing on committed data (tests use `transactional_db`).
SQLite's in-memory test database is one shared cache: a second writer fails at once with
"database table is locked" instead of waiting, so the threaded tests run on PostgreSQL only
(CI runs the whole suite there with DATABASE_URL).
"""

import threading

import pytest
from django.db import connection, connections

SQLITE_REASON = (
    "needs PostgreSQL: two threads writing SQLite's shared in-memory test database get "
    "'database table is locked' instead of waiting (CI runs this with DATABASE_URL)"
)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason=SQLITE_REASON)
postgresql_processes_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a second process cannot open SQLite's in-memory test database "
    "(CI runs this with DATABASE_URL)",
)


def run_together(*jobs, timeout=60):
    """Start every job at the same instant (a Barrier); return [(result, exception)] in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [(None, None)] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=timeout)
            outcomes[i] = (job(), None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test, not swallowed
            outcomes[i] = (None, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread did not finish"
    return outcomes
