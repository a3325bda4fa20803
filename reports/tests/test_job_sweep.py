"""Report runs whose worker is gone (core.jobs): the sweep rebuilds them, and asking
again for a stuck run sends it again instead of answering "已提交" with nothing happening."""

import datetime

import pytest
import time_machine

from core import jobs
from reports.models import ReportRun, RunStatus
from reports.services import REPORT_JOB, request_run

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 4, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def later(clock, seconds):
    clock.move_to(T0 + datetime.timedelta(seconds=seconds))


def test_a_report_run_whose_worker_died_is_rebuilt(clock, report_city):
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.RUNNING)
    later(clock, 120)
    assert jobs.sweep()[REPORT_JOB] == (1, 0)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.builds == 1 and run.requeues == 1


def test_asking_again_for_a_stuck_run_requeues_it(clock, report_city):
    # given a run left 生成中 by a dead worker, before the sweep came by
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.RUNNING)
    later(clock, 120)

    # when someone asks for the same report
    again = request_run(kind="monthly", period="2026-03")

    # then it is built (not answered "已提交" with nothing happening)
    assert again.pk == run.pk and again.status == RunStatus.DONE and again.builds == 1


def test_asking_again_for_a_run_a_live_worker_builds_leaves_it(clock, report_city):
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.RUNNING)
    later(clock, 30)
    again = request_run(kind="monthly", period="2026-03")
    assert again.pk == run.pk and again.status == RunStatus.RUNNING and again.builds == 0


def test_a_requeued_run_says_so_on_the_page(client, users):
    from django.urls import reverse

    ReportRun.objects.create(
        kind="monthly", period="2026-03", status=RunStatus.QUEUED, error=jobs.MSG_REQUEUED
    )
    client.force_login(users.reviewer)
    page = client.get(reverse("reports:list")).content.decode()
    assert "后台任务中断（工作进程已停止），已重新排队" in page
