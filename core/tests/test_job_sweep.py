"""Jobs whose worker is gone (core.jobs): the minute's sweep re-queues a report run, an
export or an import batch once, then fails it with a Chinese reason; a live worker's job is
left alone; a duplicate message never builds a job twice. The clock is moved, the worker is
eager Celery (a re-queued job runs inside the sweep)."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core import jobs
from core.choices import ExportStatus
from core.export_jobs import EXPORT_JOB, export_job_create
from core.models import ExportJob
from registry.choices import ExportKind, ImportStatus
from registry.models import ImportBatch
from registry.tests.fixtures.workbooks import row, simple_ledger

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 4, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def later(clock, seconds):
    clock.move_to(T0 + datetime.timedelta(seconds=seconds))


def stuck_export(user, *, status=ExportStatus.RUNNING, task_id="lost-task"):
    job = export_job_create(user=user, kind=ExportKind.LEDGER, params="year=2026", rows_total=4)
    ExportJob.objects.filter(pk=job.pk).update(status=status, task_id=task_id)
    return job


def nothing_in_redis():
    return mock.patch("core.queue.pending_task_ids", return_value=frozenset())


def test_the_sweep_runs_every_minute_from_beat():
    task = PeriodicTask.objects.get(task="registry.sweep_jobs")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "minutes"


def test_an_export_whose_worker_died_is_requeued_once_and_completes(
    clock, city, users, private_media
):
    # given an export left 生成中 by a worker that was killed
    job = stuck_export(users.reviewer)

    # when a minute passes with a live heartbeat budget not yet spent, nothing is touched
    later(clock, 60)
    assert jobs.sweep()[EXPORT_JOB] == (0, 0)
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.RUNNING

    # when its heartbeat is stale, the sweep sends it again and it completes, once
    later(clock, 120)
    assert jobs.sweep()[EXPORT_JOB] == (1, 0)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.requeues == 1 and job.file
    assert job.rows_done == 4 and job.error == ""

    # and a later sweep leaves the finished job alone
    later(clock, 600)
    assert jobs.sweep()[EXPORT_JOB] == (0, 0)


def test_a_job_whose_worker_dies_again_is_failed_with_a_reason(clock, city, users):
    job = stuck_export(users.reviewer)
    ExportJob.objects.filter(pk=job.pk).update(requeues=1)
    later(clock, 120)
    assert jobs.sweep()[EXPORT_JOB] == (0, 1)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "后台任务中断（工作进程已停止），请重新提交"
    assert job.finished_at is not None


def test_a_queued_job_whose_message_redis_lost_is_requeued(clock, city, users, private_media):
    # given an export 排队中 whose message is not in Redis (Redis restarted without AOF)
    job = stuck_export(users.reviewer, status=ExportStatus.QUEUED)

    # when Redis cannot be read, or still holds the message, nothing is judged
    later(clock, 120)
    with mock.patch("core.queue.pending_task_ids", return_value=None):
        assert jobs.sweep()[EXPORT_JOB] == (0, 0)
    with mock.patch("core.queue.pending_task_ids", return_value=frozenset({"lost-task"})):
        assert jobs.sweep()[EXPORT_JOB] == (0, 0)
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED

    # when Redis answers without it, the job is sent again and completes
    with nothing_in_redis():
        assert jobs.sweep()[EXPORT_JOB] == (1, 0)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.requeues == 1


def test_a_young_queued_job_is_never_judged(clock, city, users):
    stuck_export(users.reviewer, status=ExportStatus.QUEUED)
    later(clock, 30)  # under JOB_QUEUED_GRACE_SECONDS: its message may be on its way
    with nothing_in_redis():
        assert jobs.sweep()[EXPORT_JOB] == (0, 0)


def test_a_duplicate_message_never_takes_a_live_workers_job(clock, city, users):
    job = stuck_export(users.reviewer, task_id="first")
    later(clock, 30)
    assert not jobs.claim(EXPORT_JOB, job.pk, "second")  # a copy while "first" is alive
    assert jobs.claim(EXPORT_JOB, job.pk, "first")  # the same message handed back
    later(clock, 200)
    assert jobs.claim(EXPORT_JOB, job.pk, "second")  # "first" went silent: taken over
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE)
    assert not jobs.claim(EXPORT_JOB, job.pk, "second")  # finished: never built again


def test_an_import_whose_worker_died_is_previewed_after_the_sweep(
    clock, city, users, private_media
):
    from django.core.files.base import ContentFile

    batch = ImportBatch(kind="ledger", file_name="台账.xlsx", year=2026, created_by=users.reviewer)
    batch.file.save("台账.xlsx", ContentFile(simple_ledger([row(code="S-1")])), save=False)
    batch.status, batch.task_id = ImportStatus.RUNNING, "lost-task"
    batch.save()
    later(clock, 120)
    assert jobs.sweep()["import"] == (1, 0)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.requeues == 1, batch.error


def test_a_requeue_refused_by_redis_fails_the_job_with_the_queue_reason(clock, city, users):
    from kombu.exceptions import OperationalError

    from core.queue import QUEUE_DOWN

    job = stuck_export(users.reviewer)
    later(clock, 120)
    with mock.patch("core.tasks.export_job_task.apply_async", side_effect=OperationalError("down")):
        jobs.sweep()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == QUEUE_DOWN
    assert timezone.now() == T0 + datetime.timedelta(seconds=120)
