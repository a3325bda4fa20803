"""The whole Celery worker killed mid-job, or Redis restarted without persistence while jobs
wait: every report run and export completes exactly once, soon after a worker is back,
through beat's sweep (core.jobs) — not 30 minutes later when someone opens the page.

Time is scaled down: a heartbeat every second, a job silent for 4 s has lost its worker, the
sweep runs every 2 s (in production: 15 s, 90 s and every minute); each build takes 6 s.
"""

import os
import signal
import subprocess

import pytest
from django.urls import reverse

from conftest import start_celery
from core.choices import ExportStatus
from core.models import ExportJob
from reports.models import ReportRun, RunStatus
from tests.faults.conftest import wait_for

pytestmark = pytest.mark.faults

FAST = {
    "JOB_HEARTBEAT_SECONDS": "1",
    "JOB_STALE_SECONDS": "4",
    "JOB_QUEUED_GRACE_SECONDS": "3",
    # Longer than JOB_STALE_SECONDS: only the heartbeat keeps a live build from being taken
    # for a dead one (and built twice).
    "FAULT_SLOW_SECONDS": "6",
}
# "within two minutes of a worker returning"
RECOVERY = 120


class Celery:
    """Workers and beat started by a test, each in its own process group."""

    def __init__(self, settings):
        self.settings = settings
        self.env = dict(FAST)
        self.procs = []

    def worker(self):
        proc = start_celery(
            self.settings, "worker", "--pool=prefork", "--concurrency=1", "--without-gossip",
            "--without-mingle", celery_app="tests.faults.slow_worker", extra_env=self.env, own_group=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def beat(self):
        proc = start_celery(self.settings, "beat", extra_env=self.env, own_group=True)
        self.procs.append(proc)
        return proc

    @staticmethod
    def kill(proc):
        """SIGKILL the whole worker: parent and pool children at once, nothing acknowledged."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.kill(proc)


@pytest.fixture
def celery(transactional_db, settings, tmp_path, private_redis):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    for name, value in FAST.items():
        setattr(settings, name, float(value) if name == "JOB_HEARTBEAT_SECONDS" else int(value))
    # The minute's sweep of the data migration, scaled to every 2 s (tests flush migrations'
    # rows, so it is written here).
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    PeriodicTask.objects.create(
        name="检查中断的后台任务", task="registry.sweep_jobs", interval=every
    )
    celery = Celery(settings)
    yield celery
    celery.stop_all()


def _files(root, folder):
    path = root / folder
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def _status(model, pk):
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_report_and_export_survive_the_whole_worker_killed(celery, city, users, client, settings):
    settings.EXPORT_ASYNC_ROWS = 1  # the city's 4 projects make a worker's export
    client.force_login(users.reviewer)
    worker = celery.worker()

    # given a report being built by the worker
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03"})
    run = ReportRun.objects.get()
    wait_for(lambda: _status(ReportRun, run.pk) == RunStatus.RUNNING, what="报表生成中")

    # when the whole worker is killed (parent and pool child, SIGKILL)
    celery.kill(worker)

    # and an export is asked for while no worker runs, then a worker and beat return
    client.get(reverse("registry:ledger_export"), {"year": "2026"})
    job = ExportJob.objects.get()
    celery.worker()
    celery.beat()

    # then the export is built, and the worker is killed again while it builds it
    wait_for(lambda: _status(ExportJob, job.pk) == ExportStatus.RUNNING, what="导出生成中")
    celery.kill(celery.procs[-2])
    celery.worker()

    # then both complete, exactly once, within two minutes of the worker's return
    wait_for(lambda: _status(ReportRun, run.pk) == RunStatus.DONE, timeout=RECOVERY,
             what="报表重新生成完成")  # fmt: skip
    wait_for(lambda: _status(ExportJob, job.pk) in (ExportStatus.DONE, ExportStatus.FAILED),
             timeout=RECOVERY, what="导出重新生成完成")  # fmt: skip
    run.refresh_from_db()
    job.refresh_from_db()
    assert (run.status, run.builds, run.requeues) == (RunStatus.DONE, 1, 1)
    assert (job.status, job.requeues) == (ExportStatus.DONE, 1), job.error
    assert _files(settings.MEDIA_ROOT, "reports") == [os.path.basename(run.file.name)]
    assert _files(settings.MEDIA_ROOT, "exports") == [os.path.basename(job.file.name)]
    assert client.get(reverse("reports:download", args=[run.pk])).status_code == 200


def test_jobs_queued_when_redis_restarts_without_persistence(
    celery, private_redis, city, users, client, settings
):
    settings.EXPORT_ASYNC_ROWS = 1
    client.force_login(users.reviewer)

    # given a report and an export queued while no worker runs
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03"})
    client.get(reverse("registry:ledger_export"), {"year": "2026"})
    run, job = ReportRun.objects.get(), ExportJob.objects.get()
    assert (run.status, job.status) == (RunStatus.QUEUED, ExportStatus.QUEUED)

    # when Redis restarts without persistence (their messages are gone), then a worker and
    # beat start
    private_redis.stop()
    private_redis.start()
    celery.worker()
    celery.beat()

    # then both are sent again and complete exactly once, within two minutes
    wait_for(lambda: _status(ReportRun, run.pk) == RunStatus.DONE, timeout=RECOVERY,
             what="报表重新排队并完成")  # fmt: skip
    wait_for(lambda: _status(ExportJob, job.pk) == ExportStatus.DONE, timeout=RECOVERY,
             what="导出重新排队并完成")  # fmt: skip
    run.refresh_from_db()
    job.refresh_from_db()
    assert (run.builds, run.requeues, job.requeues) == (1, 1, 1)

    # and asking for the report again now builds it again (a finished run is rebuilt in place)
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03"})
    wait_for(lambda: ReportRun.objects.get(pk=run.pk).builds == 2, timeout=RECOVERY,
             what="再次生成")  # fmt: skip


def test_a_job_lost_twice_is_failed_with_a_reason(celery, private_redis, city, users, client):
    # given the sweep may send a job again no more (JOB_MAX_REQUEUES=0 stands for "already
    # sent again once"), and a report queued when Redis restarts without persistence
    celery.env["JOB_MAX_REQUEUES"] = "0"
    client.force_login(users.reviewer)
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03"})
    run = ReportRun.objects.get()
    private_redis.stop()
    private_redis.start()

    # when a worker and beat return
    celery.worker()
    celery.beat()

    # then the run is failed with a Chinese reason, and asking again builds it
    wait_for(lambda: _status(ReportRun, run.pk) == RunStatus.FAILED, timeout=RECOVERY,
             what="标记为失败")  # fmt: skip
    run.refresh_from_db()
    assert run.error == "后台任务中断（工作进程已停止），请重新提交"
    assert "请重新提交" in client.get(reverse("reports:list")).content.decode()
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03"})
    wait_for(lambda: _status(ReportRun, run.pk) == RunStatus.DONE, timeout=RECOVERY,
             what="再次生成完成")  # fmt: skip


def test_the_sweep_reads_which_messages_redis_holds(private_redis):
    from core.queue import pending_task_ids, send
    from core.tasks import refresh_figure

    # given a message waiting in Redis (no worker runs)
    send(refresh_figure, "no-such-key", task_id="waiting-in-redis")

    # then the sweep sees it, and after a restart without persistence it is gone
    assert "waiting-in-redis" in pending_task_ids()
    private_redis.stop()
    assert pending_task_ids() is None  # Redis down: nothing is judged
    private_redis.start()
    assert pending_task_ids() == frozenset()
