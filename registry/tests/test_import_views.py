"""Web import: upload → preview → confirm (eager task), history, denied roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from milestones.choices import MilestonesImport
from registry.choices import ImportKind, ImportStatus
from registry.models import ImportBatch, Project
from registry.tests.fixtures.workbooks import row, simple_ledger
from registry.tests.test_ledger_import import snapshot

pytestmark = pytest.mark.django_db

_capture = None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run the view's on_commit (task queueing) at once."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def post(client, url, data=None):
    with _capture(execute=True):
        return client.post(url, data or {})


def upload(client, data, name="台账.xlsx", **extra):
    return post(
        client,
        reverse("registry:ledger_upload"),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX), **extra},
    )


def test_upload_preview_then_confirm(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.reviewer)
    a = city.project_a
    rows = [row(code="W-1", name="网页导入"), row(code=a.code, name="甲县项目改名", leader=a.leader.name,
                                                  建设性质="续建", total=10000, plan=1200)]  # fmt: skip
    before = snapshot()

    # when the file is uploaded: a dry run, nothing written
    resp = upload(client, simple_ledger(rows))
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302 and resp.url == reverse(
        "registry:import_detail", args=[batch.pk]
    )
    assert batch.status == ImportStatus.PREVIEWED and batch.dry_run
    assert (batch.rows_new, batch.rows_changed, batch.rows_error) == (1, 1, 0)
    assert batch.created_by == users.reviewer
    assert snapshot() == before

    page = client.get(resp.url).content.decode()
    assert "确认导入" in page and "W-1" in page
    assert "甲县项目" in page and "甲县项目改名" in page  # field-level difference

    # when confirmed: written, recorded as done, history attributed to the user
    resp = post(client, reverse("registry:import_confirm", args=[batch.pk]))
    assert resp.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and not batch.dry_run
    assert Project.objects.filter(code="W-1").exists()
    a.refresh_from_db()
    assert a.name == "甲县项目改名"
    assert a.history.first().history_user == users.reviewer
    assert "导入完成" in client.get(resp.url).content.decode()

    # a second confirm is refused
    post(client, reverse("registry:import_confirm", args=[batch.pk]))
    assert Project.objects.filter(code="W-1").count() == 1


def test_preview_with_errors_has_no_confirm(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.admin)
    upload(client, simple_ledger([row(code="W-2", total="约3亿")]))
    batch = ImportBatch.objects.get()
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "Sheet1 第3行 总投资(万元): 不是数字 “约3亿”" in page
    assert "确认导入" not in page
    resp = post(client, reverse("registry:import_confirm", args=[batch.pk]))
    assert resp.status_code == 302
    assert not Project.objects.filter(code="W-2").exists()


def test_bad_file_message_on_page(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.reviewer)
    resp = upload(client, b"%PDF-1.4", name="a.xlsx")
    # refused on the form at once: nothing recorded, nothing queued
    assert resp.status_code == 400
    assert "文件无法读取：不是Excel表格文件" in resp.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_over_size_limit_refused(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 100
    login(client, users.reviewer)
    resp = upload(client, simple_ledger([row()]))
    assert resp.status_code == 400
    assert "文件过大" in resp.content.decode()
    assert not ImportBatch.objects.exists()


def test_wrong_extension_refused(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.reviewer)
    resp = upload(client, b"a,b", name="a.csv")
    assert resp.status_code == 400 and "只支持" in resp.content.decode()


def test_create_missing_checkbox(client, city, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.admin)
    upload(client, simple_ledger([row(code="W-3", unit="全新单位")]), create_missing="on")
    batch = ImportBatch.objects.get()
    assert batch.create_missing and batch.rows_error == 0
    assert (
        "将新建" in client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    )
    post(client, reverse("registry:import_confirm", args=[batch.pk]))
    assert Project.objects.get(code="W-3").unit.name == "全新单位"


def test_status_partial_polls_then_refreshes(client, city, users):
    login(client, users.reviewer)
    batch = ImportBatch.objects.create(
        kind=ImportKind.LEDGER, file_name="x.xlsx", status=ImportStatus.RUNNING, progress=40,
        created_by=users.reviewer,
    )  # fmt: skip
    resp = client.get(reverse("registry:import_status", args=[batch.pk]))
    body = resp.content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body
    assert "HX-Refresh" not in resp.headers
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.PREVIEWED, progress=100)
    resp = client.get(reverse("registry:import_status", args=[batch.pk]))
    assert resp.headers["HX-Refresh"] == "true"
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "htmx" in page  # base.html loads the vendored htmx


@pytest.mark.parametrize("who", ["leader_city", "nobody", "reporter_a", "unit_clerk"])
def test_denied_roles_cannot_import_ledger(client, city, users, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, getattr(users, who))
    assert upload(client, simple_ledger([row(code="X-1")])).status_code == 403
    batch = ImportBatch.objects.create(kind=ImportKind.LEDGER, file_name="x.xlsx",
                                       status=ImportStatus.PREVIEWED, rows_new=1)  # fmt: skip
    assert post(client, reverse("registry:import_confirm", args=[batch.pk])).status_code == 403
    assert not Project.objects.filter(code="X-1").exists()


@pytest.mark.parametrize("who", ["leader_city", "nobody"])
def test_denied_roles_cannot_see_import_list(client, city, users, who):
    login(client, getattr(users, who))
    assert client.get(reverse("registry:import_list")).status_code == 403


def test_anonymous_redirected_to_login(client, city):
    resp = client.get(reverse("registry:import_list"))
    assert resp.status_code == 302 and "login" in resp.url


def test_reporter_sees_only_own_progress_imports(client, city, users):
    mine = ImportBatch.objects.create(kind=MilestonesImport.PROGRESS, file_name="我的进度.xlsx",
                                      created_by=users.reporter_a)  # fmt: skip
    ImportBatch.objects.create(kind=MilestonesImport.PROGRESS, file_name="别人的进度.xlsx",
                               created_by=users.reporter_b)  # fmt: skip
    other_ledger = ImportBatch.objects.create(kind=ImportKind.LEDGER, file_name="台账.xlsx",
                                              created_by=users.reviewer)  # fmt: skip
    login(client, users.reporter_a)
    page = client.get(reverse("registry:import_list")).content.decode()
    assert "我的进度.xlsx" in page
    assert "别人的进度.xlsx" not in page and "台账.xlsx" not in page
    assert "导入年度台账" not in page  # no ledger upload form for reporters
    assert client.get(reverse("registry:import_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("registry:import_detail", args=[other_ledger.pk])).status_code == 404


def test_reviewer_list_shows_upload_form_and_history(client, city, users):
    # an admin's citywide import (its rows span the city: scope_path is the city's)
    ImportBatch.objects.create(kind=ImportKind.LEDGER, file_name="旧台账.xlsx",
                               created_by=users.admin, status=ImportStatus.DONE,
                               scope_path=city.city.path)  # fmt: skip
    login(client, users.reviewer)
    page = client.get(reverse("registry:import_list")).content.decode()
    assert "导入年度台账" in page and "旧台账.xlsx" in page and "下载台账导入模板" in page
    login(client, users.reviewer_a)
    page = client.get(reverse("registry:import_list")).content.decode()
    assert "导入年度台账" in page and "旧台账.xlsx" not in page
