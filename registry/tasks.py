"""Celery tasks of the ledger: thin, by id, state on the ImportBatch / ExportJob row."""

import logging

from celery import shared_task

from registry import cache
from registry.choices import ExportStatus, ImportStatus
from registry.export_jobs import (
    EXPORT_JOB,
    export_job_fail_unexpected,
    export_job_run,
    export_jobs_purge,
)
from registry.files import sweep_orphan_files
from registry.import_batches import IMPORT_JOB, batch_fail_unexpected
from registry.jobs import heartbeat, sweep
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


@shared_task(name="registry.export_job_task", bind=True)
def export_job_task(self, job_id):
    try:
        with heartbeat(EXPORT_JOB, job_id):
            job = export_job_run(job_id=job_id, task_id=self.request.id or "")
    except Exception as exc:
        # The job must not stay 生成中: it ends 失败 with a Chinese reason and no file.
        export_job_fail_unexpected(job_id=job_id, exc=exc)
        return ExportStatus.FAILED
    return job.status if job is not None else None


@shared_task(name="registry.purge_exports")
def purge_exports_task():
    """Nightly (beat): files of exports past EXPORT_KEEP_DAYS."""
    return export_jobs_purge()


@shared_task(name="registry.refresh_figure", ignore_result=True)
def refresh_figure(key: str) -> bool:
    """Recompute a figure pages are being served stale (registry.cache)."""
    return cache.refresh(key)


@shared_task(name="registry.sweep_jobs", ignore_result=True)
def sweep_jobs_task():
    """Every minute (beat): re-queue or fail the jobs whose worker is gone (registry.jobs)."""
    sweep()


@shared_task(name="registry.sweep_orphan_files", ignore_result=True)
def sweep_orphan_files_task():
    """Nightly (beat): stored files no row names any more (registry.files)."""
    deleted = sweep_orphan_files()
    if deleted:
        logger.warning("deleted %s orphan file(s)", len(deleted))
    return len(deleted)
