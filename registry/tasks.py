"""Celery tasks of the ledger: thin, by id, state on the ImportBatch row."""

import logging

from celery import shared_task

from core.jobs import heartbeat
from registry.choices import ImportStatus
from registry.import_batches import IMPORT_JOB, batch_fail_unexpected
from registry.ledger_import import ledger_import_batch

logger = logging.getLogger(__name__)


@shared_task(name="registry.import_ledger_task", bind=True)
def import_ledger_task(self, batch_id):
    try:
        with heartbeat(IMPORT_JOB, batch_id):
            batch = ledger_import_batch(batch_id=batch_id, task_id=self.request.id or "")
    except Exception as exc:
        # Whatever broke (reading the row, saving the result), the batch must not stay
        # 处理中: it ends 失败 with a Chinese reason; the traceback goes to the log.
        batch_fail_unexpected(batch_id=batch_id, exc=exc)
        return ImportStatus.FAILED
    return batch.status
