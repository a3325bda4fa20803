"""Celery tasks of the ledger: thin, by id, state on the ImportBatch row."""

from celery import shared_task

from registry.ledger_import import ledger_import_batch


@shared_task(name="registry.import_ledger_task")
def import_ledger_task(batch_id):
    batch = ledger_import_batch(batch_id=batch_id)
    return batch.status
