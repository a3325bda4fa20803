"""ImportBatch lifecycle services: every batch ends as 已预览, 已导入 or 失败.

An unexpected error inside an import marks its batch 失败 with a readable reason (the
traceback goes to the log, not to the user). A batch whose worker died (killed, out of
memory, redeployed) is sent again by beat's sweep (core.jobs); one unmoved for
IMPORT_STALE_MINUTES (no beat) is marked 失败 the next time anyone looks at it (list, detail
page, status poll).
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from core import jobs
from registry.choices import ImportStatus
from registry.models import ImportBatch

logger = logging.getLogger(__name__)

UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)
IMPORT_JOB = "import"
MSG_CRASHED = "导入出错（系统内部错误），未写入任何数据。请联系管理员并告知导入记录编号{pk}"
MSG_DB_LOST = (
    "导入过程中与数据库的连接中断，已全部撤销，未写入任何数据。请稍后重新导入（导入记录编号{pk}）"
)
MSG_STALE = (
    "导入超过{minutes}分钟没有进展（处理进程可能已中断），已标记为失败，未写入任何数据，请重新导入"
)


jobs.register_job_kind(
    jobs.JobKind(
        name=IMPORT_JOB,
        model=ImportBatch,
        task="registry.tasks.import_ledger_task",
        queued=ImportStatus.QUEUED,
        running=ImportStatus.RUNNING,
        failed=ImportStatus.FAILED,
        fail_extra={"progress": 100},
    )
)


def stale_minutes():
    return getattr(settings, "IMPORT_STALE_MINUTES", 30)


def batch_fail(*, batch_id, reason=""):
    """Mark a batch 失败 with a Chinese reason, whatever state it was left in."""
    now = timezone.now()
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.FAILED,
        error=reason or MSG_CRASHED.format(pk=batch_id),
        progress=100,
        finished_at=now,
        updated_at=now,
    )


def batch_unconfirm(*, batch_id):
    """Put a confirmed batch that never reached the queue back to its previewed state.

    Only a batch still 排队 is touched: if a worker did pick it up, its own outcome stands.
    """
    ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.QUEUED, dry_run=False).update(
        status=ImportStatus.PREVIEWED,
        dry_run=True,
        confirmed_by=None,
        progress=100,
        updated_at=timezone.now(),
    )


def batch_fail_unexpected(*, batch_id, exc, traceback=True):
    """Log the traceback of an unexpected error (call from an except block) and fail the batch.
    `traceback=False` logs one line instead (a command's operator reads the console).

    If the database connection itself was lost mid-import (server restarted, connection
    killed), the transaction is gone with it — nothing was written — and the broken
    connection is dropped so the failure can be recorded on a fresh one.
    """
    if traceback:
        logger.error("import batch %s failed", batch_id, exc_info=exc)
    else:
        logger.error("import batch %s failed: %s: %s", batch_id, type(exc).__name__, exc)
    lost = isinstance(exc, (OperationalError, InterfaceError))
    if connection.connection is not None and not connection.is_usable():
        lost = True
        connection.close()
    batch_fail(batch_id=batch_id, reason=MSG_DB_LOST.format(pk=batch_id) if lost else "")


def batches_expire_stale():
    """Fail every unfinished batch that has not moved for the timeout; returns how many."""
    minutes = stale_minutes()
    return jobs.expire_unmoved(
        IMPORT_JOB, minutes=minutes, reason=MSG_STALE.format(minutes=minutes)
    )


def batch_refresh_stale(batch):
    """The batch as it should be shown: failed if its worker is gone."""
    if batch.status in UNFINISHED and batches_expire_stale():
        batch.refresh_from_db()
    return batch
