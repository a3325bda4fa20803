"""Database locks that keep two runs of the same job from overlapping.

One ledger import per year at a time: two runs of the same change file must not both compute
their diff against the old data and both write it (duplicate history and contract records).
The lock lives in the database, so it holds across web workers, Celery workers and the
command line alike, and it is taken inside the import's transaction, before the diff is
computed: a run that gets it after another one committed sees that run's result.

- PostgreSQL: `pg_try_advisory_xact_lock(namespace, year)`. It never waits: a second run
  fails at once with IMPORT_BUSY. The lock is released by COMMIT or ROLLBACK, so a crashed
  run can never leave it behind.
- SQLite (the embedded default) has one writer for the whole database. The lock is a write
  as the transaction's first statement, which takes SQLite's write lock until COMMIT; a
  second run waits for it up to the connection's `timeout` (settings: 20 s) and then reads
  the first run's result, or gets IMPORT_BUSY if the first is still running.
"""

import zlib

from django.db import OperationalError, connection

IMPORT_BUSY = "另一个导入正在进行，请稍后再试"


class ImportBusyError(Exception):
    """Another run holds the lock; the message is for the user."""

    def __init__(self, message=IMPORT_BUSY):
        super().__init__(message)


def _namespace(name: str) -> int:
    """A stable 32-bit key per job name (the first half of the advisory lock key)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def lock_import_year(name: str, year: int) -> None:
    """Take the `name` lock of `year` for the current transaction, or raise ImportBusyError."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_import_year must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_namespace(name), year])
            if not cursor.fetchone()[0]:
                raise ImportBusyError
            return
        try:
            # Matches no row, yet starts the write transaction (SQLite's RESERVED lock).
            cursor.execute("UPDATE django_migrations SET id = id WHERE 1 = 0")
        except OperationalError as exc:  # "database is locked" after the timeout
            raise ImportBusyError from exc
