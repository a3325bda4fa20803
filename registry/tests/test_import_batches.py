"""The one result type and the one batch life cycle both imports (ledger, progress) share."""

import pytest

from registry.choices import ImportKind, ImportStatus
from registry.import_batches import (
    MSG_CRASHED,
    PROGRESS_COUNTING,
    ImportResult,
    batch_run,
)
from registry.models import ImportBatch


def test_summary_counts_projects_for_a_ledger_and_reports_for_a_progress_sheet():
    rows = dict(rows_total=5, new=[{}, {}], changed=[{}], unchanged=1, errors=["x"])
    ledger = ImportResult(**rows)
    progress = ImportResult(**rows, counting=PROGRESS_COUNTING)
    assert ledger.summary() == "共5行：新增2项，变更1项，未变1项，错误1处"
    assert progress.summary() == "共5行：新增2份月报，更新1份，未变1份，错误1处"
    ledger.created["units"] = ["新单位"]
    assert ledger.summary().endswith("；将新建单位1个")


@pytest.mark.django_db
def test_a_batch_ends_previewed_with_its_errors_or_failed_in_chinese(city, users):
    # given a preview whose rows have errors
    batch = ImportBatch(kind=ImportKind.LEDGER, file_name="a.xlsx", created_by=users.reviewer)
    result = batch_run(batch, lambda: ImportResult(rows_total=1, errors=["第2行 错误"]))
    batch.refresh_from_db()
    assert result.errors and batch.status == ImportStatus.PREVIEWED
    assert batch.error == "第2行 错误" and batch.rows_error == 1 and batch.progress == 100

    # given an import that breaks (a bug): the batch is recorded, failed, in Chinese
    def broken():
        raise RuntimeError("boom")

    batch = ImportBatch(kind=ImportKind.LEDGER, file_name="b.xlsx", dry_run=False)
    assert batch_run(batch, broken, traceback=False) is None
    assert batch.pk and batch.status == ImportStatus.FAILED
    assert batch.error == MSG_CRASHED.format(pk=batch.pk) and batch.finished_at
