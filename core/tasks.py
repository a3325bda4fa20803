"""Celery tasks of the platform: thin, by id, state on the job's own row.

Task names keep their first spelling ("registry.…"): beat rows and messages already queued
name them, and a rename would strand those."""

import logging

from celery import shared_task

from core.choices import ExportStatus
from core.export_jobs import (
    EXPORT_JOB,
    export_job_fail_unexpected,
    export_job_run,
    export_jobs_purge,
)
from core.files import sweep_orphan_files
from core.jobs import heartbeat, sweep

logger = logging.getLogger(__name__)


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
    """Retired: figures are no longer served stale (core.cache). Kept so that a message
    queued before the upgrade is consumed, not reported as an unknown task."""
    return False


@shared_task(name="registry.sweep_jobs", ignore_result=True)
def sweep_jobs_task():
    """Every minute (beat): re-queue or fail the jobs whose worker is gone (core.jobs)."""
    sweep()


@shared_task(name="registry.sweep_orphan_files", ignore_result=True)
def sweep_orphan_files_task():
    """Nightly (beat): stored files no row names any more (core.files)."""
    deleted = sweep_orphan_files()
    if deleted:
        logger.warning("deleted %s orphan file(s)", len(deleted))
    return len(deleted)
