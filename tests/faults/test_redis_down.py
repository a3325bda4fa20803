"""Redis stops while people work: the page says so in Chinese, nothing is half-written, and
work resumes when Redis is back (a real worker, a real Redis process killed and restarted)."""

import pytest
from django.urls import reverse

from core.queue import QUEUE_DOWN
from projects_site.celery import app
from registry.choices import ImportStatus
from registry.models import ImportBatch, Project
from registry.tests.fixtures.workbooks import row, simple_ledger
from tests.faults.conftest import wait_for

pytestmark = pytest.mark.faults


def _upload(client, name):
    data = simple_ledger([row(code="F-R1", name=name)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("故障台账.xlsx", data)
    return client.post(
        reverse("registry:ledger_upload"), {"file": upload, "year": 2026}, follow=True
    )


def _finished(batch, *states):
    batch.refresh_from_db()
    return batch.status in states


def test_import_while_redis_is_down_then_back(
    private_redis, real_celery_worker, city, users, client
):
    client.force_login(users.reviewer)
    projects_before = Project.objects.count()

    # given Redis has stopped
    private_redis.stop()

    # when a reviewer uploads a ledger
    response = _upload(client, "故障期间上传")

    # then the page says the queue is unavailable, the batch is 失败 with that reason, no 500
    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    failed = ImportBatch.objects.get()
    assert failed.status == ImportStatus.FAILED and failed.error == QUEUE_DOWN
    assert Project.objects.count() == projects_before

    # when Redis is back, the same upload is previewed by the (reconnected) worker
    private_redis.start()
    wait_for(lambda: app.control.ping(timeout=1.0), what="worker 重新连上 Redis")
    _upload(client, "故障期间上传")
    batch = ImportBatch.objects.exclude(pk=failed.pk).get()
    wait_for(lambda: _finished(batch, ImportStatus.PREVIEWED, ImportStatus.FAILED), what="预览")
    assert batch.status == ImportStatus.PREVIEWED, batch.error

    # when Redis stops again and the reviewer confirms
    private_redis.stop()
    response = client.post(reverse("registry:import_confirm", args=[batch.pk]), follow=True)

    # then nothing was imported and the batch can be confirmed again
    assert response.status_code == 200 and QUEUE_DOWN in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.dry_run
    assert Project.objects.count() == projects_before

    # when Redis is back and the reviewer confirms again, the import lands exactly once
    private_redis.start()
    wait_for(lambda: app.control.ping(timeout=1.0), what="worker 重新连上 Redis")
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    wait_for(lambda: _finished(batch, ImportStatus.DONE, ImportStatus.FAILED), what="导入完成")
    assert batch.status == ImportStatus.DONE, batch.error
    assert Project.objects.filter(code="F-R1", name="故障期间上传").count() == 1


def test_report_asked_while_redis_is_down_then_back(
    private_redis, real_celery_worker, city, users, client
):
    from reports.models import ReportRun, RunStatus

    client.force_login(users.reviewer)
    ask = {"kind": "monthly", "period": "2026-03"}

    # given a finished report
    client.post(reverse("reports:list"), ask)
    done = ReportRun.objects.get()
    wait_for(lambda: ReportRun.objects.get(pk=done.pk).is_finished, what="报表完成")
    done.refresh_from_db()
    assert done.status == RunStatus.DONE, done.error

    # when Redis stops and the reviewer asks for it again, and for a new one
    private_redis.stop()
    again = client.post(reverse("reports:list"), ask)
    new = client.post(reverse("reports:list"), {"kind": "quarterly", "period": "2026-Q1"})

    # then the page says the queue is unavailable (503, no 500), the finished report is as it
    # was (its file still downloadable) and no new row was left behind
    for response in (again, new):
        assert response.status_code == 503 and QUEUE_DOWN in response.content.decode()
    assert list(ReportRun.objects.values_list("pk", "status", "builds")) == [
        (done.pk, RunStatus.DONE, 1)
    ]
    assert client.get(reverse("reports:download", args=[done.pk])).status_code == 200

    # when Redis is back, asking again rebuilds the same row through the worker
    private_redis.start()
    wait_for(lambda: app.control.ping(timeout=1.0), what="worker 重新连上 Redis")
    client.post(reverse("reports:list"), ask)
    wait_for(lambda: ReportRun.objects.get(pk=done.pk).builds == 2, what="重新生成完成")
    assert ReportRun.objects.get(pk=done.pk).status == RunStatus.DONE
