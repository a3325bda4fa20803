"""PostgreSQL cuts the import's connection mid-write: nothing half-written, the batch says
失败 with a clear reason, and the same file imports cleanly afterwards."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections

from registry.choices import ImportKind, ImportStatus
from registry.models import ImportBatch, Project
from registry.tasks import import_ledger_task
from registry.tests.fixtures.workbooks import row, simple_ledger
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROWS = 3000


def _batch(user, data):
    batch = ImportBatch(kind=ImportKind.LEDGER, file_name="断线.xlsx", dry_run=False, year=2026,
                        created_by=user, confirmed_by=user)  # fmt: skip
    batch.file.save("断线.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


def _writing(pid):
    """True once the import's backend is inside its write transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND xact_start IS NOT NULL"
            " AND (query ILIKE 'INSERT%%' OR query ILIKE 'COPY%%' OR query ILIKE 'UPDATE%%'"
            " OR query ILIKE 'SELECT%%registry_%%')",
            [pid],
        )
        return cursor.fetchone()[0] > 0


def test_connection_killed_mid_import(city, users, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("断线测试需要 PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    data = simple_ledger([row(code=f"DB-{i:05d}", name=f"断线项目{i}") for i in range(ROWS)])
    batch = _batch(users.reviewer, data)
    before = Project.objects.count()
    pid, done = {}, threading.Event()

    def worker():
        # the import runs on this thread's own connection, as it would in a worker process
        try:
            connections["default"].ensure_connection()
            pid["value"] = connections["default"].connection.info.backend_pid
            import_ledger_task(batch.pk)
        finally:
            connections["default"].close()
            done.set()

    # given an import running on its own connection
    thread = threading.Thread(target=worker)
    thread.start()
    wait_for(lambda: "value" in pid, what="导入连接建立")
    wait_for(lambda: _writing(pid["value"]), timeout=60, what="导入开始写库")

    # when PostgreSQL terminates that connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid["value"]])
    assert done.wait(120)
    thread.join()

    # then nothing was written and the batch says why
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "与数据库的连接中断" in batch.error and "未写入任何数据" in batch.error
    assert Project.objects.count() == before

    # and the same file imports cleanly afterwards
    again = _batch(users.reviewer, data)
    assert import_ledger_task(again.pk) == ImportStatus.DONE
    again.refresh_from_db()
    assert again.rows_new == ROWS and Project.objects.count() == before + ROWS
