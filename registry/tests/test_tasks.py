"""import_ledger_task: eagerly in the normal run, through a real worker when marked."""

import time

import pytest
from django.core.files.base import ContentFile

from registry.choices import ImportKind, ImportStatus
from registry.models import ImportBatch, Project
from registry.tasks import import_ledger_task
from registry.tests.fixtures.workbooks import row, simple_ledger


def _batch(user, data, dry_run=False):
    batch = ImportBatch(kind=ImportKind.LEDGER, file_name="任务.xlsx", dry_run=dry_run,
                        created_by=user)  # fmt: skip
    batch.file.save("任务.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


@pytest.mark.django_db
def test_task_eager_imports_and_marks_done(city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = _batch(users.reviewer, simple_ledger([row(code="T-1", name="任务导入")]))

    status = import_ledger_task.delay(batch.pk).get()

    batch.refresh_from_db()
    assert status == ImportStatus.DONE == batch.status
    assert batch.progress == 100 and batch.rows_new == 1 and batch.finished_at
    assert Project.objects.get(code="T-1").history.first().history_user == users.reviewer


@pytest.mark.django_db
def test_task_dry_run_previews(city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = _batch(users.reviewer, simple_ledger([row(code="T-2")]), dry_run=True)
    import_ledger_task.delay(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.report["new"][0]["code"] == "T-2"
    assert not Project.objects.filter(code="T-2").exists()


@pytest.mark.django_db
def test_task_with_errors_fails_and_writes_nothing(city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = _batch(users.reviewer, simple_ledger([row(code="T-3", start="某天")]))
    import_ledger_task.delay(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "Sheet1 第3行 计划开工时间: 不是有效日期 “某天”" in batch.error
    assert not Project.objects.filter(code="T-3").exists()


@pytest.mark.celery_worker
def test_task_through_real_worker(real_celery_worker, city, users, settings):
    # given a committed batch (the worker is another process on the same PostgreSQL)
    batch = _batch(users.reviewer, simple_ledger([row(code="T-W1", name="真实worker导入")]))

    # when queued through Redis
    async_result = import_ledger_task.delay(batch.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in (ImportStatus.DONE, ImportStatus.FAILED):
            break
        time.sleep(0.5)

    # then
    assert batch.status == ImportStatus.DONE, batch.error
    assert batch.get_status_display() == "已导入"
    assert async_result.get(timeout=10) == ImportStatus.DONE
    p = Project.objects.get(code="T-W1")
    assert p.name == "真实worker导入" and p.annual_plans.get(year=2026).planned_investment == 200
