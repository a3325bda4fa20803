"""Celery tasks of the ledger: thin, by id, state on the ImportBatch row."""

from celery import shared_task

from registry.choices import ImportStatus
from registry.import_batches import batch_fail_unexpected
from registry.ledger_import import ledger_import_batch


@shared_task(name="registry.import_ledger_task")
def import_ledger_task(batch_id):
    try:
        batch = ledger_import_batch(batch_id=batch_id)
    except Exception as exc:
        # Whatever broke (reading the row, saving the result), the batch must not stay
        # 处理中: it ends 失败 with a Chinese reason; the traceback goes to the log.
        batch_fail_unexpected(batch_id=batch_id, exc=exc)
        return ImportStatus.FAILED
    return batch.status
