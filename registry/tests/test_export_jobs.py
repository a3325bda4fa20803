"""Big exports run as an ExportJob: same workbook as the page's download, built
for the job's user, seen only by its owner and admins, never left 排队中 or half written."""

import datetime
import io
import time
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from conftest import login
from core.choices import ExportStatus
from core.export_jobs import export_job_create, export_job_run, progress_counter
from core.models import ExportJob
from core.tasks import export_job_task
from registry.choices import ExportKind
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db

LEDGER = {"year": "2026"}


def cells(content):
    """Every sheet's cell values, in order."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def download(client, job):
    response = client.get(reverse("portal:export_file", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_big_ledger_export_is_a_job_with_the_same_workbook(client, city, users, settings,
                                                           private_media):  # fmt: skip
    # given the synchronous export of the city reviewer (4 projects, under the threshold)
    login(client, users.reviewer)
    direct = client.get(reverse("registry:ledger_export"), LEDGER)
    assert direct.status_code == 200 and direct["Content-Type"].startswith("application/vnd")

    # when the threshold is below the row count
    settings.EXPORT_ASYNC_ROWS = 2
    response = client.get(reverse("registry:ledger_export"), LEDGER)

    # then a job was queued, ran (eager Celery) and its page offers the download
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:export_detail", args=[job.pk])
    assert (job.user, job.kind, job.status) == (users.reviewer, ExportKind.LEDGER, "done")
    assert job.rows_total == job.rows_done == 4 and job.finished_at and job.params == "year=2026"
    page = client.get(response.url).text
    assert "已完成" in page and "下载" in page and 'hx-get="' not in page
    # and its workbook is the synchronous one, cell for cell, 合计 row included
    sync, queued = cells(direct.content), cells(download(client, job))
    assert queued == sync
    totals = [r for r in sync["台账"] if r[0] == "合计"]
    assert len(totals) == 1 and "合计：4项（打包项目拆分后共4项）" in totals[0]
    # stored under a random name in the private media
    assert [p.split("/")[0] for p in stored_files(private_media)] == ["exports"]
    assert job.file.name.startswith("exports/") and job.file.url.endswith("/file/")


def test_reporters_job_holds_only_their_scope(client, city, users, settings, private_media):
    settings.EXPORT_ASYNC_ROWS = 1
    login(client, users.reporter_a)
    client.get(reverse("registry:ledger_export"), LEDGER)
    job = ExportJob.objects.get(user=users.reporter_a)
    text = str(cells(download(client, job)))
    assert job.rows_total == 2
    assert city.project_a.name in text and city.project_town.name in text
    assert city.project_b.name not in text and city.project_city_unit.name not in text


def _done_job(user):
    job = export_job_create(user=user, kind=ExportKind.LEDGER, params="year=2026", rows_total=2)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    return job


@pytest.mark.parametrize("route", ["export_detail", "export_status", "export_file"])
def test_only_the_owner_and_admins_see_a_job(client, city, users, private_media, route):
    job = _done_job(users.reporter_a)
    url = reverse(f"portal:{route}", args=[job.pk])
    # a reviewer above the owner, another county's reporter: 404, as if it did not exist
    for other in (users.reporter_b, users.reviewer, users.leader_city):
        assert login(client, other).get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url
    for allowed in (users.reporter_a, users.admin):
        assert login(client, allowed).get(url).status_code == 200


def test_my_exports_lists_only_my_jobs(client, city, users, private_media):
    mine, theirs = _done_job(users.reporter_a), _done_job(users.reporter_b)
    page = login(client, users.reporter_a).get(reverse("portal:export_list")).text
    assert reverse("portal:export_detail", args=[mine.pk]) in page
    assert reverse("portal:export_detail", args=[theirs.pk]) not in page


def test_broker_down_fails_the_job_with_a_chinese_message(client, city, users, settings,
                                                          private_media):  # fmt: skip
    # given Redis refusing the message
    settings.EXPORT_ASYNC_ROWS = 1
    login(client, users.reviewer)
    down = OperationalError("Error 111 connecting to redis")
    with mock.patch.object(export_job_task, "apply_async", side_effect=down):
        response = client.get(reverse("registry:ledger_export"), LEDGER, follow=True)

    # then no 500: the job's page says why, and the job is 失败 (kept, not left 排队中)
    assert response.status_code == 200
    assert "任务队列暂时不可用" in response.text
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and "任务队列暂时不可用" in job.error
    assert not job.file and stored_files(private_media) == []


def test_a_failed_build_offers_no_file(client, city, users, settings, private_media):
    settings.EXPORT_ASYNC_ROWS = 1
    login(client, users.reviewer)
    with mock.patch("registry.excel.writer.write_ledger", side_effect=MemoryError):
        response = client.get(reverse("registry:ledger_export"), LEDGER, follow=True)
    job = ExportJob.objects.get()
    assert response.status_code == 200 and "导出失败" in response.text
    assert job.status == ExportStatus.FAILED and "导出出错" in job.error
    assert not job.file and stored_files(private_media) == []
    assert client.get(reverse("portal:export_file", args=[job.pk])).status_code == 404


def test_running_job_polls_and_a_finished_one_refreshes(client, city, users, private_media):
    job = export_job_create(user=users.reviewer, kind=ExportKind.LEDGER, params="", rows_total=4)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, rows_done=2)
    login(client, users.reviewer)
    status_url = reverse("portal:export_status", args=[job.pk])
    running = client.get(status_url)
    assert f'hx-get="{status_url}"' in running.text and "50%" in running.text
    assert "HX-Refresh" not in running
    assert client.get(reverse("portal:export_file", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE)
    assert client.get(status_url)["HX-Refresh"] == "true"


def test_a_job_whose_worker_died_is_failed_when_looked_at(client, city, users, private_media):
    job = export_job_create(user=users.reviewer, kind=ExportKind.LEDGER, params="", rows_total=4)
    old = timezone.now() - datetime.timedelta(hours=2)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, updated_at=old)
    page = login(client, users.reviewer).get(reverse("portal:export_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "没有进展" in page.text
    # a late worker does not rebuild it
    assert export_job_run(job_id=job.pk) is None


def test_progress_counter_reports_every_n_rows():
    seen = []
    tick = progress_counter(seen.append, every=2)
    for _ in range(5):
        tick()
    assert seen == [2, 4] and progress_counter(None) is None


@pytest.mark.celery_worker
def test_export_job_through_real_worker(real_celery_worker, client, city, users, settings):
    # given the synchronous export, then a threshold below the row count
    login(client, users.reviewer)
    direct = client.get(reverse("registry:ledger_export"), LEDGER)
    settings.EXPORT_ASYNC_ROWS = 2

    # when the job goes through Redis to a worker process
    response = client.get(reverse("registry:ledger_export"), LEDGER)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    deadline = time.monotonic() + 60
    while job.running and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()

    # then it is 已完成 with the synchronous workbook
    assert job.status == ExportStatus.DONE, job.error
    assert cells(download(client, job)) == cells(direct.content)


def test_a_redelivered_job_is_rebuilt_once_finished_never(city, users, private_media):
    # given a job left 生成中 by a lost worker (late ack: the message comes back)
    job = export_job_create(user=users.reviewer, kind=ExportKind.LEDGER, params="", rows_total=4)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, rows_done=3)

    # when the next worker runs it, it is built; when run again after that, nothing happens
    assert export_job_run(job_id=job.pk).status == ExportStatus.DONE
    assert export_job_run(job_id=job.pk) is None
    assert len(stored_files(private_media)) == 1


def test_old_export_files_are_cleared_and_the_job_says_so(client, city, users, private_media):
    # given two finished exports, one from 8 days ago and one from today
    old, new = _done_job(users.reporter_a), _done_job(users.reporter_a)
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    old_name = old.file.name
    assert old.file.storage.exists(old_name)
    # when the nightly job runs (7 days kept by default)
    from core.tasks import purge_exports_task

    assert purge_exports_task() == 1
    # then the old file is gone from storage, the row stays, the new one is untouched
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.file and not new.file.storage.exists(old_name)
    assert new.file and new.file.storage.exists(new.file.name)
    login(client, users.reporter_a)
    page = client.get(reverse("portal:export_detail", args=[old.pk])).content.decode()
    assert "导出文件已超过保留期（7天）被清理，请重新导出" in page
    assert client.get(reverse("portal:export_file", args=[old.pk])).status_code == 404
    listing = client.get(reverse("portal:export_list")).content.decode()
    assert "已过保留期" in listing and "文件保留7天" in listing
    assert client.get(reverse("portal:export_file", args=[new.pk])).status_code == 200
    # and a second run finds nothing more to do
    assert purge_exports_task() == 0


def test_the_clean_up_is_scheduled_nightly():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="registry.purge_exports")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("3", "0")
