"""Report runs: request, build, fail, expire (SPEC §3.4).

- One row per kind, period and scope: asking again rebuilds that row's file in place.
- A run being built is claimed with a fresh token; only the execution holding the current
  token may store its file, so a task redelivered after its worker was killed (acks_late)
  takes over, and a late duplicate can never store a second file.
- Nothing stays 排队/生成中 for ever: a run whose worker died is sent again by beat's sweep
  (core.jobs); asking again for it sends it at once; a run unmoved for
  REPORTS_STALE_MINUTES (no beat) is 失败 the next time anyone looks.
"""

import logging
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.periods import PeriodError, parse_period
from core.queue import QueueUnavailableError
from core.replica import replica_reads
from registry.confirmations import ConfirmationNeededError
from reports.choices import ReportsNotice
from reports.models import CITY_SCOPE, ReportKind, ReportRun, RunStatus

log = logging.getLogger(__name__)

UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)
REPORT_JOB = "report"
MSG_CRASHED = "报表生成出错（系统内部错误），请稍后重新生成或联系管理员（记录编号{pk}）"
MSG_STALE = "报表超过{minutes}分钟未生成完成（处理进程可能已中断），已标记为失败，请重新生成"


def stale_minutes() -> int:
    return int(getattr(settings, "REPORTS_STALE_MINUTES", 30))


def check_period(kind: str, period: str) -> str:
    """The period written the canonical way; ValidationError (Chinese) when it is wrong."""
    from reports.build import PERIOD_KIND

    if kind not in ReportKind.values:
        raise ValidationError("报表类型只能是月度调度、季度通报或年度考评")
    try:
        return str(parse_period(period, allow=PERIOD_KIND[kind]))
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None


def request_run(
    *, kind: str, period: str, region=None, user=None, confirmed: bool = False
) -> ReportRun:
    """Queue (or re-queue) the run of `kind`/`period`/`region`.

    The yearly appraisal of a year that still lacks data (December not closed, months
    unreported) raises ConfirmationNeededError naming what is missing, unless `confirmed`.

    A run already waiting or being built is returned as it is, unless its worker or its
    message is gone (core.jobs.is_stuck): then it is sent again. If the queue refuses the
    message, the row goes back to what it was (or disappears if it was new) and
    QueueUnavailableError carries the Chinese message: nothing is left half-written.
    """
    period = check_period(kind, period)
    if kind == ReportKind.YEARLY and not confirmed:
        from milestones.completeness import missing_for_year

        lines = missing_for_year(int(period))
        if lines:
            raise ConfirmationNeededError(lines, f"生成{period}年度考评")
    expire_stale()
    scope = region.code if region is not None else CITY_SCOPE
    with transaction.atomic():
        run, created = ReportRun.objects.select_for_update().get_or_create(
            kind=kind, period=period, scope_key=scope, defaults={"region": region}
        )
        # A run whose worker (or message) is gone is sent again, not answered "已提交".
        if not created and run.status in UNFINISHED and not jobs.is_stuck(REPORT_JOB, run):
            return run
        before = {
            f: getattr(run, f) for f in ("status", "error", "requested_by_id", "requested_at")
        }
        run.status, run.error = RunStatus.QUEUED, ""
        run.requested_by, run.requested_at = user, timezone.now()
        run.save()
    try:
        jobs.dispatch(REPORT_JOB, run.pk)
    except QueueUnavailableError:
        if created:
            ReportRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).delete()
        else:
            ReportRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(**before)
        raise
    run.refresh_from_db()
    return run


def claim(run_id: int, task_id: str = "") -> str | None:
    """Mark the run 生成中 for this execution; its token, or None if there is nothing to do."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        rows = ReportRun.objects.select_for_update().filter(pk=run_id)
        run = rows.filter(jobs.claimable(jobs.job_kind(REPORT_JOB), task_id)).first()
        if run is None:
            return None  # finished already, built by a live worker (a duplicate), or gone
        run.status, run.started_at = RunStatus.RUNNING, timezone.now()
        run.attempts += 1
        run.task_id = task_id
        run.claim, run.error = token, ""
        run.save()
    return token


def finish(run_id: int, token: str, path: str, name: str) -> bool:
    """Store the built file if this execution still holds the claim; True if it did."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING or run.claim != token:
            return False
        old = run.file.name if run.file else ""
        with open(path, "rb") as fh:
            run.file.save(name, File(fh), save=False)
        run.file_name, run.status, run.error = name, RunStatus.DONE, ""
        run.finished_at = timezone.now()
        run.builds += 1
        run.save()
        if old and old != run.file.name:
            transaction.on_commit(lambda: run.file.storage.delete(old))
    on_run_finished(run)
    return True


def fail(run_id: int, reason: str = "", token: str | None = None):
    qs = ReportRun.objects.filter(pk=run_id, status__in=UNFINISHED)
    if token is not None:
        qs = qs.filter(claim=token)
    qs.update(
        status=RunStatus.FAILED,
        error=reason or MSG_CRASHED.format(pk=run_id),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def build(run_id: int, task_id: str = "") -> str:
    """Build the run (the Celery task's body); returns the run's final status."""
    from reports.build import build_workbook

    token = claim(run_id, task_id)
    if token is None:
        return "skipped"
    path = ""
    try:
        run = ReportRun.objects.select_related("region").get(pk=run_id)
        with replica_reads():  # the figures; the run's row stays on the primary
            path, name = build_workbook(run)
        finish(run_id, token, path, name)
    except Exception:
        log.exception("report run %s failed", run_id)
        fail(run_id, token=token)
    finally:
        if path and os.path.exists(path):
            os.unlink(path)
    return ReportRun.objects.get(pk=run_id).status


def expire_stale() -> int:
    minutes = stale_minutes()
    return jobs.expire_unmoved(
        REPORT_JOB, minutes=minutes, reason=MSG_STALE.format(minutes=minutes)
    )


def on_run_finished(run: ReportRun):
    """The person who asked hears that the report is ready (SPEC §3.7); a scheduled run has
    nobody to tell."""
    from django.urls import reverse

    from core.notices import notify

    if run.requested_by is None:
        return
    notify(
        [run.requested_by],
        kind=ReportsNotice.REPORT_RUN_DONE,
        event_key=f"report-run:{run.pk}:{run.builds}",
        title=f"报表已生成：{run}",
        body=f"{run}已生成，可在调度报表页下载。",
        url=reverse("reports:list"),
    )


def register_job_kind():
    """reports' runs join the watch on jobs whose worker is gone (core.jobs)."""
    jobs.register_job_kind(
        jobs.JobKind(
            name=REPORT_JOB,
            model=ReportRun,
            task="reports.tasks.build_report",
            queued=RunStatus.QUEUED,
            running=RunStatus.RUNNING,
            failed=RunStatus.FAILED,
        )
    )
