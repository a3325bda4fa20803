"""Background jobs whose worker may vanish: report runs, export jobs, import batches.

The three kinds share one lifecycle: a row is 排队 while its message waits in Redis, 生成中
while a worker builds it, then finished (done, previewed, failed). This module holds the
rules that keep a row from staying unfinished once its worker is gone:

- Heartbeat. `updated_at` is the row's sign of life: set when the message is sent, at the
  claim, at every progress step, and every JOB_HEARTBEAT_SECONDS by a thread beside the
  running task (`heartbeat`), so a step that takes minutes still shows a live worker.
- Claim. One execution builds a row (`claim`): a queued row, a running row whose heartbeat
  is stale (its worker died), or a running row of the very same message (Redis handed back
  a message whose worker was lost). A duplicate message while a live worker builds the row
  is skipped, so a run completes once however many copies of its message arrive.
- Sweep. A beat job every minute (`sweep`) finds rows whose worker is gone — running with a
  stale heartbeat, or queued while their message is in neither Redis's queue nor its
  unacknowledged set (Redis restarted without persistence) — and sends them again once
  (JOB_MAX_REQUEUES), then marks them failed with a Chinese reason.

registry may not import the apps above it, so reports registers its kind from its
AppConfig.ready(); registry registers exports and imports itself.
"""

import datetime
import logging
import threading
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MSG_REQUEUED = "后台任务中断（工作进程已停止），已重新排队"
MSG_GAVE_UP = "后台任务中断（工作进程已停止），请重新提交"


@dataclass(frozen=True)
class JobKind:
    name: str
    model: type
    task: str  # dotted path of the Celery task taking the row's pk
    queued: str
    running: str
    failed: str
    # Extra columns written when a row is failed (e.g. progress=100 on an import batch).
    fail_extra: dict = field(default_factory=dict)


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind):
    _KINDS[kind.name] = kind


def job_kind(name) -> JobKind:
    return _KINDS[name]


def job_kinds():
    return list(_KINDS.values())


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 15))


def stale_after() -> datetime.timedelta:
    """A running row unmoved this long has lost its worker."""
    return datetime.timedelta(seconds=getattr(settings, "JOB_STALE_SECONDS", 90))


def queued_grace() -> datetime.timedelta:
    """A queued row younger than this may not have reached Redis yet: never judged lost."""
    return datetime.timedelta(seconds=getattr(settings, "JOB_QUEUED_GRACE_SECONDS", 60))


def max_requeues() -> int:
    return int(getattr(settings, "JOB_MAX_REQUEUES", 1))


def claimable(kind: JobKind, task_id: str, now=None) -> Q:
    """The rows an execution of message `task_id` may take over (see the module's doc)."""
    now = now or timezone.now()
    running = Q(status=kind.running) & (Q(task_id=task_id) | Q(updated_at__lt=now - stale_after()))
    return Q(status=kind.queued) | running


def claim(kind_name, pk, task_id="", **extra) -> bool:
    """Mark the row running for this execution; False if it is finished or a live worker has
    it (the caller then does nothing: the message was a duplicate)."""
    kind = job_kind(kind_name)
    now = timezone.now()
    return bool(
        kind.model.objects.filter(claimable(kind, task_id, now), pk=pk).update(
            status=kind.running, task_id=task_id, error="", updated_at=now, **extra
        )
    )


def beat(kind_name, pk):
    """One heartbeat: the row's worker is alive."""
    kind = job_kind(kind_name)
    kind.model.objects.filter(pk=pk, status=kind.running).update(updated_at=timezone.now())


class heartbeat:  # noqa: N801  (used as a context manager, like a function)
    """`with heartbeat(kind, pk):` beats every JOB_HEARTBEAT_SECONDS while the block runs.

    Not in eager mode: there the request is the worker, and SQLite would see a second writer.
    """

    def __init__(self, kind_name, pk):
        self.kind_name, self.pk = kind_name, pk
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self):
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            self.thread = threading.Thread(target=self._run, daemon=True, name="job-heartbeat")
            self.thread.start()
        return self

    def _run(self):
        try:
            while not self.stop.wait(heartbeat_seconds()):
                try:
                    beat(self.kind_name, self.pk)
                except Exception as exc:  # the database may be cut; the task decides
                    logger.warning("heartbeat of %s %s failed: %s", self.kind_name, self.pk, exc)
                    close_old_connections()
        finally:
            connection.close()

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=heartbeat_seconds() + 5)
        return False


def dispatch(kind_name, pk):
    """Send the row's message with a fresh task id recorded on the row (the sweep looks for
    it in Redis). Raises core.queue.QueueUnavailableError if Redis refuses it."""
    from core.queue import send

    kind = job_kind(kind_name)
    task_id = uuid.uuid4().hex
    kind.model.objects.filter(pk=pk).update(task_id=task_id, updated_at=timezone.now())
    return send(import_string(kind.task), pk, task_id=task_id)


def fail(kind_name, pk, reason, *, only_unfinished=True):
    kind = job_kind(kind_name)
    now = timezone.now()
    rows = kind.model.objects.filter(pk=pk)
    if only_unfinished:
        rows = rows.filter(status__in=(kind.queued, kind.running))
    return rows.update(
        status=kind.failed, error=reason, finished_at=now, updated_at=now, **kind.fail_extra
    )


def requeue(kind_name, pk, *, reason=MSG_REQUEUED, count=True) -> bool:
    """Put an unfinished row back in the queue and send it again; True if it was sent.

    If Redis refuses, the row is failed with the queue's own reason (nothing stays 排队)."""
    from core.queue import QueueUnavailableError

    kind = job_kind(kind_name)
    extra = {"requeues": F("requeues") + 1} if count else {}
    kind.model.objects.filter(pk=pk).update(
        status=kind.queued, error=reason, updated_at=timezone.now(), **extra
    )
    try:
        dispatch(kind_name, pk)
    except QueueUnavailableError as exc:
        fail(kind_name, pk, exc.message)
        return False
    return True


def expire_unmoved(kind_name, *, minutes, reason) -> int:
    """The last resort, checked when someone looks at a list: fail every unfinished row
    unmoved for `minutes` (the sweep should have recovered it long before, unless beat is
    not running). Returns how many."""
    kind = job_kind(kind_name)
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    now = timezone.now()
    count = kind.model.objects.filter(
        status__in=(kind.queued, kind.running), updated_at__lt=cutoff
    ).update(status=kind.failed, error=reason, finished_at=now, updated_at=now, **kind.fail_extra)
    if count:
        logger.warning("%s: marked %s unmoved job(s) as failed", kind_name, count)
    return count


def is_stuck(kind_name, row, now=None, pending=None) -> bool:
    """Has this unfinished row lost its worker (or its message)?"""
    kind = job_kind(kind_name)
    now = now or timezone.now()
    if row.status == kind.running:
        return row.updated_at < now - stale_after()
    if row.status == kind.queued and row.updated_at < now - queued_grace():
        if pending is None:
            from core.queue import pending_task_ids

            pending = pending_task_ids()
        return pending is not None and bool(row.task_id) and row.task_id not in pending
    return False


class _Everything:
    def __contains__(self, item):
        return True


_EVERYTHING = _Everything()


def sweep(now=None) -> dict:
    """The beat job: recover every row whose worker is gone. Returns {kind: (requeued,
    failed)}. Rows are recovered one at a time under a conditional update, so two sweeps
    running at once never send a row twice."""
    from core.queue import pending_task_ids

    now = now or timezone.now()
    pending = None
    counts = {}
    for kind in job_kinds():
        rows = kind.model.objects.filter(
            Q(status=kind.running, updated_at__lt=now - stale_after())
            | Q(status=kind.queued, updated_at__lt=now - queued_grace())
        ).only("pk", "status", "updated_at", "task_id", "requeues")
        requeued = failed = 0
        for row in rows:
            if row.status == kind.queued and pending is None:
                # Redis cannot be read (down, or no broker): no queued row is judged lost.
                pending = pending_task_ids()
                pending = _EVERYTHING if pending is None else pending
            if not is_stuck(kind.name, row, now, pending):
                continue
            # Take the row only if nobody moved it since it was read.
            taken = kind.model.objects.filter(
                pk=row.pk, status=row.status, updated_at=row.updated_at
            ).update(updated_at=timezone.now())
            if not taken:
                continue
            if row.requeues < max_requeues():
                requeued += requeue(kind.name, row.pk)
            else:
                failed += fail(kind.name, row.pk, MSG_GAVE_UP)
        if requeued or failed:
            logger.warning("%s: %s re-queued, %s failed (worker gone)", kind.name, requeued, failed)
        counts[kind.name] = (requeued, failed)
    return counts
