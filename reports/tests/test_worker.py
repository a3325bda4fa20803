"""Reports through a real Celery worker and beat on Redis (.ci/run: -m celery_worker, with
PostgreSQL and REDIS_URL)."""

import io
import json
import os
import signal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import make_user, start_celery
from registry.choices import Role
from registry.models import Region
from reports.models import ReportRun, RunStatus
from tests.faults import conftest as faults

pytestmark = pytest.mark.celery_worker


def wait_for(predicate, seconds, what):
    return faults.wait_for(predicate, timeout=seconds, what=what)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except Exception:
            proc.kill()


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--projects", "600", stdout=io.StringIO())
    return Region.objects.get(parent__isnull=True)


def test_report_requested_on_the_page_is_built_by_the_worker(
    seeded, real_celery_worker, client, settings
):
    # given the city DRC on the reports page
    client.force_login(make_user("drc_w", Role.REVIEWER, region=seeded))
    # when they ask for last month's report
    client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-10"})
    run = ReportRun.objects.get()
    # then the row polls until the worker has built it, and the file opens
    wait_for(lambda: ReportRun.objects.get(pk=run.pk).is_finished, 120, "报表完成")
    row = client.get(reverse("reports:status", args=[run.pk])).content.decode()
    assert "完成" in row and "hx-get" not in row
    response = client.get(reverse("reports:download", args=[run.pk]))
    done = ReportRun.objects.get(pk=run.pk)
    assert response.status_code == 200, (
        done.status,
        done.error,
        done.file.name,
        os.listdir(settings.MEDIA_ROOT),
    )
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[0] == "汇总" and "2026年10月" in wb["汇总"]["A1"].value


def test_a_worker_killed_mid_report_is_replaced_and_the_report_completes_once(seeded, settings):
    # a short visibility timeout, so the killed worker's message comes back within the test
    fast = {"CELERY_VISIBILITY_TIMEOUT": "8"}
    first = start_celery(settings, extra_env=fast)
    second = None
    try:
        from reports.services import request_run

        run = request_run(kind="monthly", period="2026-10")
        wait_for(lambda: ReportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING, 60, "生成中")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert ReportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        second = start_celery(settings, extra_env=fast)
        done = wait_for(
            lambda: (r := ReportRun.objects.get(pk=run.pk)).is_finished and r, 120, "报表完成"
        )
        assert done.status == RunStatus.DONE, done.error
        assert (done.builds, done.attempts) == (1, 2)
        files = os.listdir(settings.MEDIA_ROOT / "reports")
        assert files == [os.path.basename(done.file.name)]
        assert openpyxl.load_workbook(done.file.path).sheetnames[-1] == "项目明细"
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_beat_sends_the_scheduled_report_to_the_worker(seeded, settings, real_celery_worker):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # (the data migration's three schedules are checked in test_schedules.py: an earlier
    # transactional test's flush removes migration rows)
    # an extra one due every few seconds shows beat → Redis → worker → a finished run
    every = IntervalSchedule.objects.create(every=3, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="测试：月报", task="reports.scheduled_report", interval=every,
        kwargs=json.dumps({"kind": "monthly"}),
    )  # fmt: skip
    beat = start_celery(settings, "beat", "--scheduler",
                        "django_celery_beat.schedulers:DatabaseScheduler",
                        "-s", str(settings.MEDIA_ROOT.parent / "beat-schedule"))  # fmt: skip
    try:
        run = wait_for(
            lambda: ReportRun.objects.filter(status=RunStatus.DONE).first(), 120, "定时报表完成"
        )
        assert run.requested_by is None and run.kind == "monthly"
    finally:
        stop(beat)
    assert ReportRun.objects.filter(kind="monthly").count() == 1  # asked again: the same row
