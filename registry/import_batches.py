"""The result every import returns and the one ImportBatch life cycle that records it: the
ledger (web task and command) and the progress sheet run through `batch_run`, and every batch
ends as 已预览, 已导入 or 失败.

An unexpected error inside an import marks its batch 失败 with a readable reason (the
traceback goes to the log, not to the user). A batch whose worker died (killed, out of
memory, redeployed) is sent again by beat's sweep (core.jobs); one unmoved for
IMPORT_STALE_MINUTES (no beat) is marked 失败 the next time anyone looks at it (list, detail
page, status poll).
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from core import jobs
from registry.choices import ImportStatus
from registry.models import ImportBatch
from registry.scoping import set_import_footprint

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
MAX_REPORT_ITEMS = 500


@dataclass(frozen=True)
class Counting:
    """How a summary counts rows: the ledger's projects (项), the progress sheet's reports."""

    new_unit: str = "项"
    changed_verb: str = "变更"
    unit: str = "项"


LEDGER_COUNTING = Counting()
PROGRESS_COUNTING = Counting(new_unit="份月报", changed_verb="更新", unit="份")


@dataclass
class ImportResult:
    """What an import read, would change (dry run) or changed, and why it stopped."""

    file_name: str = ""
    year: int | None = None
    dry_run: bool = True
    applied: bool = False
    busy: bool = False  # another import of the year was running: nothing was read or written
    rows_total: int = 0
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    errors: list = field(default_factory=list)
    skipped_sheets: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    created: dict = field(default_factory=lambda: {"regions": [], "units": [], "leaders": []})
    # What the rows touch (errors included), for the batch's scope: see registry.scoping.
    touched_projects: set = field(default_factory=set)
    touched_regions: set = field(default_factory=set)
    unplaced: bool = False
    counting: Counting = LEDGER_COUNTING

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        c = self.counting
        text = (
            f"共{self.rows_total}行：新增{len(self.new)}{c.new_unit}，"
            f"{c.changed_verb}{len(self.changed)}{c.unit}，"
            f"未变{self.unchanged}{c.unit}，错误{len(self.errors)}处"
        )
        made = [
            f"{label}{len(self.created[k])}个"
            for k, label in (("regions", "地区"), ("units", "单位"), ("leaders", "领导"))
            if self.created[k]
        ]
        if made:
            text += ("；已新建" if self.applied else "；将新建") + "、".join(made)
        return text

    def to_report(self):
        """JSON for ImportBatch.report (lists capped so a huge file stays a small row)."""
        return {
            "year": self.year,
            "sheets": self.sheets,
            "skipped_sheets": self.skipped_sheets,
            "new": self.new[:MAX_REPORT_ITEMS],
            "changed": self.changed[:MAX_REPORT_ITEMS],
            "errors": self.errors[: MAX_REPORT_ITEMS * 2],
            "created": self.created,
            "truncated": max(len(self.new), len(self.changed)) > MAX_REPORT_ITEMS
            or len(self.errors) > MAX_REPORT_ITEMS * 2,
            "summary": self.summary(),
        }


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


# --------------------------------------------------------------------------- one run


def batch_new(*, kind, upload, user, **fields) -> ImportBatch:
    """An unsaved batch for an uploaded file, its file stored under a private name."""
    batch = ImportBatch(kind=kind, file_name=upload.name[:255], created_by=user, **fields)
    batch.file.save(upload.name, upload, save=False)
    return batch


def batch_bytes(batch) -> bytes:
    with batch.file.open("rb") as fh:
        return fh.read()


def batch_progress(batch):
    """A progress callback for `batch`'s bar: the row moves every 5% (and so is not stale)."""
    last = [0]

    def progress(fraction, text=""):
        pct = min(99, int(fraction * 100))
        if pct >= last[0] + 5:
            last[0] = pct
            ImportBatch.objects.filter(pk=batch.pk).update(progress=pct, updated_at=timezone.now())

    return progress


def batch_apply_result(batch, result: ImportResult):
    """Copy a result onto its (unsaved) ImportBatch row: counts, report, scope and status."""
    batch.year = result.year or batch.year
    batch.rows_total = result.rows_total
    batch.rows_new = len(result.new)
    batch.rows_changed = len(result.changed)
    batch.rows_unchanged = result.unchanged
    batch.rows_error = len(result.errors)
    batch.report = result.to_report()
    set_import_footprint(
        batch,
        project_ids=result.touched_projects,
        region_ids=result.touched_regions,
        unplaced=result.unplaced,
    )
    batch.finished_at = timezone.now()
    batch.progress = 100
    if result.applied:
        batch.status = ImportStatus.DONE
        batch.error = ""
    elif batch.dry_run:
        batch.status = ImportStatus.PREVIEWED
        batch.error = "\n".join(result.errors[:20])
    else:
        batch.status = ImportStatus.FAILED
        batch.error = "\n".join(result.errors[:20]) or "导入未完成"


def batch_run(batch, run, *, record=batch_apply_result, traceback=True) -> ImportResult | None:
    """Run one import for `batch` and record how it ended: the life cycle of every import
    (the progress sheet's view, the ledger's task, the command).

    `run()` is the import and returns its ImportResult, which `record` copies onto the batch
    before it is saved. An unexpected error instead fails the batch with a Chinese reason (the
    traceback to the log; one line with `traceback=False`) and returns None. A batch not yet
    saved (the command's) is saved only once it has ended, so no one sees it 处理中.
    """
    try:
        result = run()
    except Exception as exc:
        if batch.pk is None:
            batch.status, batch.finished_at = ImportStatus.FAILED, timezone.now()
            batch.save()
        batch_fail_unexpected(batch_id=batch.pk, exc=exc, traceback=traceback)
        batch.refresh_from_db()
        return None
    record(batch, result)
    batch.save()
    return result
