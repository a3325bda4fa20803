"""Exports built by a worker: the kinds of export, and the ExportJob lifecycle.

An export kind is two functions of (user, query): `rows` gives the scoped, filtered
queryset (the view counts it to choose between answering at once and queueing a job) and
`build` gives the workbook. The view's synchronous answer and the worker's job call the same
`build`, so both give the same bytes; the worker calls it for the job's user, so the job
holds what that user may see when it runs (registry.scoping, through the kind's selectors).

registry may not import the apps above it, so they register their kinds from their
`AppConfig.ready()` (milestones: problems; assessments: the ledger with its 合计 row).

Every job ends 已完成 with its whole file or 失败 with a Chinese reason and no file: the
workbook is built in memory and stored only once it is complete. A job whose worker died is
sent again by beat's sweep (core.jobs); one unmoved for EXPORT_STALE_MINUTES (no beat) is
marked 失败 the next time anyone looks at it.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from core import jobs
from core.choices import ExportStatus
from core.kinds import EXPORT_KINDS
from core.models import ExportJob
from core.replica import replica_reads

logger = logging.getLogger(__name__)

UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)
EXPORT_JOB = "export"
# Rows between two progress updates of a job (one UPDATE each).
PROGRESS_EVERY = 500

MSG_CRASHED = "导出出错（系统内部错误），未生成文件。请稍后重试或联系管理员（导出任务编号{pk}）"
MSG_INACTIVE = "导出人的账号已停用，未生成文件"
MSG_UNKNOWN_KIND = "系统不再支持这种导出，未生成文件"
MSG_STALE = "导出超过{minutes}分钟没有进展（处理进程可能已中断），已标记为失败，请重新导出"


@dataclass(frozen=True)
class Export:
    """A finished workbook and the name the user downloads it under."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class ExportSpec:
    rows: Callable  # (user, query) -> the scoped, filtered queryset
    build: Callable  # (user, query, *, progress=None) -> Export


_KINDS: dict[str, ExportSpec] = {}


def register_export(kind, *, rows, build, default=False):
    """Make `kind` exportable. A `default` registration (registry's own ledger, without the
    合计 row) never replaces one an app above registry made, whatever order apps load in."""
    EXPORT_KINDS.register([(kind.value, kind.label)])
    if default and kind in _KINDS:
        return
    _KINDS[kind] = ExportSpec(rows=rows, build=build)


def export_spec(kind) -> ExportSpec | None:
    return _KINDS.get(kind)


def progress_counter(callback, every=PROGRESS_EVERY):
    """A per-row tick for a writer: calls `callback(rows_so_far)` every `every` rows."""
    if callback is None:
        return None
    count = 0

    def tick():
        nonlocal count
        count += 1
        if count % every == 0:
            callback(count)

    return tick


def export_job_create(*, user, kind, params, rows_total) -> ExportJob:
    return ExportJob.objects.create(
        user=user, kind=kind, params=params, rows_total=rows_total, status=ExportStatus.QUEUED
    )


def export_job_fail(*, job_id, reason=""):
    """Mark a job 失败 with a Chinese reason, whatever state it was left in."""
    now = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED,
        error=reason or MSG_CRASHED.format(pk=job_id),
        finished_at=now,
        updated_at=now,
    )


def _set_progress(job_id, rows_done):
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
        rows_done=rows_done, updated_at=timezone.now()
    )


def _start(job_id, task_id):
    """Claim the job for this execution; None if it has finished, failed, or a live worker
    builds it (core.jobs.claim). A job whose worker was lost is rebuilt from scratch."""
    claimed = jobs.claim(EXPORT_JOB, job_id, task_id, rows_done=0)
    return ExportJob.objects.select_related("user").get(pk=job_id) if claimed else None


def export_job_run(*, job_id, task_id="") -> ExportJob | None:
    """Build the job's workbook as its user, store it and mark the job 已完成."""
    job = _start(job_id, task_id)
    if job is None:
        return None
    spec = export_spec(job.kind)
    if spec is None or not job.user.is_active:
        export_job_fail(job_id=job.pk, reason=MSG_INACTIVE if spec else MSG_UNKNOWN_KIND)
        return None
    query = QueryDict(job.params)
    with replica_reads():  # the rows; the job's own row stays on the primary
        export = spec.build(job.user, query, progress=lambda n: _set_progress(job.pk, n))
    job.file.save(export.filename, ContentFile(export.data), save=False)
    try:
        now = timezone.now()
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            file=job.file.name,
            file_name=export.filename[:255],
            status=ExportStatus.DONE,
            rows_done=F("rows_total"),
            finished_at=now,
            updated_at=now,
        )
    except Exception:
        job.file.delete(save=False)  # no stored file without a 已完成 row to offer it
        raise
    if not finished:  # marked 失败 meanwhile (stale): that outcome stands, without a file
        job.file.delete(save=False)
    job.refresh_from_db()
    return job


jobs.register_job_kind(
    jobs.JobKind(
        name=EXPORT_JOB,
        model=ExportJob,
        task="core.tasks.export_job_task",
        queued=ExportStatus.QUEUED,
        running=ExportStatus.RUNNING,
        failed=ExportStatus.FAILED,
    )
)


def export_job_fail_unexpected(*, job_id, exc):
    """Log the traceback (call from an except block) and fail the job with a Chinese reason."""
    logger.error("export job %s failed", job_id, exc_info=exc)
    export_job_fail(job_id=job_id)


def stale_minutes():
    return getattr(settings, "EXPORT_STALE_MINUTES", 30)


def export_jobs_expire_stale():
    """Fail every unfinished job that has not moved for the timeout; returns how many."""
    minutes = stale_minutes()
    return jobs.expire_unmoved(
        EXPORT_JOB, minutes=minutes, reason=MSG_STALE.format(minutes=minutes)
    )


def export_job_refresh_stale(job):
    """The job as it should be shown: failed if its worker is gone."""
    if job.running and export_jobs_expire_stale():
        job.refresh_from_db()
    return job


def export_jobs_purge(now=None) -> int:
    """Delete the files of exports finished more than EXPORT_KEEP_DAYS ago, so whole-city
    workbooks do not pile up in private storage. The rows stay, their page saying the file
    was cleared. Returns the number of files deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged
