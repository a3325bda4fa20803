"""Import batches follow the scoping rule: who sees an upload, who may confirm it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from registry.choices import ImportKind, ImportStatus
from registry.models import ImportBatch
from registry.scoping import (
    _common_path,
    import_batch_within_scope,
    visible_import_batches,
)
from registry.tests.fixtures.workbooks import row, simple_ledger
from registry.tests.test_ledger_import import snapshot

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run the view's on_commit (the eager import task) at once."""

    def do(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return do


def renamed(project, new_name, region, unit):
    return row(code=project.code, name=new_name, region=region, unit=unit,
               leader=project.leader.name, 建设性质="续建", total=10000, plan=1200)  # fmt: skip


def upload_ledger(client, post, user, rows, name="台账.xlsx"):
    login(client, user)
    data = simple_ledger(rows)
    post(reverse("registry:ledger_upload"), {"file": SimpleUploadedFile(name, data, XLSX)})
    return ImportBatch.objects.get(file_name=name)


@pytest.fixture
def citywide(client, post, city, users):
    """The city reviewer's preview of a file touching 甲县 and 乙区 projects."""
    batch = upload_ledger(client, post, users.reviewer, [
        renamed(city.project_a, "甲县项目改名", "甲县", "甲县发改局"),
        renamed(city.project_b, "乙区项目改名", "乙区", "乙区住建局"),
    ], name="全市台账.xlsx")  # fmt: skip
    assert batch.status == ImportStatus.PREVIEWED and batch.rows_changed == 2
    return batch


def test_county_reviewer_cannot_list_open_or_confirm_a_citywide_upload(
    client, post, city, users, citywide
):
    # given the city reviewer's citywide preview
    before = snapshot()
    login(client, users.reviewer_a)

    # when the 甲县 reviewer lists, opens, polls and confirms it
    listing = client.get(reverse("registry:import_list")).content.decode()
    detail = client.get(reverse("registry:import_detail", args=[citywide.pk]))
    status = client.get(reverse("registry:import_status", args=[citywide.pk]))
    confirm = post(reverse("registry:import_confirm", args=[citywide.pk]))

    # then the upload is invisible and nothing changed
    assert "全市台账.xlsx" not in listing
    assert (detail.status_code, status.status_code, confirm.status_code) == (404, 404, 404)
    citywide.refresh_from_db()
    assert citywide.status == ImportStatus.PREVIEWED and citywide.dry_run
    assert snapshot() == before
    # while the city's own users still see it
    login(client, users.admin)
    assert (
        "乙区项目改名"
        in client.get(reverse("registry:import_detail", args=[citywide.pk])).content.decode()
    )


def test_upload_touching_one_county_is_confirmed_by_its_reviewer_in_their_name(
    client, post, city, users
):
    # given a city reviewer's file that only touches 甲县 (a change and a new project)
    batch = upload_ledger(client, post, users.reviewer, [
        renamed(city.project_a, "甲县项目改名", "甲县", "甲县发改局"),
        row(code="JX-NEW-1", name="甲县新项目", region="甲县城关镇", unit="甲县发改局"),
    ])  # fmt: skip
    assert batch.scope_path == city.county_a.path

    # when the 甲县 reviewer opens and confirms it
    login(client, users.reviewer_a)
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "确认导入" in page
    post(reverse("registry:import_confirm", args=[batch.pk]))

    # then it is applied, in the confirming reviewer's name
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.confirmed_by == users.reviewer_a
    city.project_a.refresh_from_db()
    assert city.project_a.name == "甲县项目改名"
    assert city.project_a.history.first().history_user == users.reviewer_a
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "确认人 reviewer_a" in page
    # and the 乙区 reporter never saw it
    login(client, users.reporter_b)
    assert client.get(reverse("registry:import_detail", args=[batch.pk])).status_code == 404


def test_confirm_rechecks_every_row_against_the_confirming_user(client, post, city, users):
    # given a 甲县-only preview, then the touched project moves to 乙区 before the confirm
    batch = upload_ledger(client, post, users.reviewer, [
        renamed(city.project_a, "甲县项目改名", "甲县", "甲县发改局"),
    ])  # fmt: skip
    city.project_a.region = city.county_b
    city.project_a.save()
    before = snapshot()

    # when the 甲县 reviewer (who still sees the batch) confirms it
    login(client, users.reviewer_a)
    response = post(reverse("registry:import_confirm", args=[batch.pk]))

    # then it is refused with a Chinese message and nothing changes
    assert response.status_code == 403
    assert "涉及您管理范围以外的项目或地区" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.dry_run and not batch.confirmed_by
    assert snapshot() == before


def test_uploader_whose_scope_shrank_cannot_confirm(client, post, city, users):
    batch = upload_ledger(client, post, users.reviewer, [
        renamed(city.project_b, "乙区项目改名", "乙区", "乙区住建局"),
    ])  # fmt: skip
    users.reviewer.profile.region = city.county_a
    users.reviewer.profile.save()
    before = snapshot()
    response = post(reverse("registry:import_confirm", args=[batch.pk]))
    assert response.status_code == 403
    assert snapshot() == before


def test_new_row_in_another_county_keeps_the_batch_citywide(client, post, city, users):
    # a new 乙区 row next to a 甲县 change: the batch needs the whole city
    batch = upload_ledger(client, post, users.reviewer, [
        renamed(city.project_a, "甲县项目改名", "甲县", "甲县发改局"),
        row(code="YQ-NEW-1", name="乙区新项目", region="乙区", unit="乙区住建局"),
    ])  # fmt: skip
    assert batch.scope_path == city.city.path
    assert not visible_import_batches(users.reviewer_a).filter(pk=batch.pk).exists()
    assert not import_batch_within_scope(users.reviewer_a, batch)
    assert import_batch_within_scope(users.reviewer, batch)


def test_rows_with_an_unknown_region_are_whole_city(client, post, city, users):
    batch = upload_ledger(client, post, users.reviewer_a, [
        row(code="X-1", name="无地区项目", region="不存在县"),
    ])  # fmt: skip
    assert batch.rows_error and batch.touched["unplaced"]
    assert batch.scope_path == city.city.path
    assert visible_import_batches(users.reviewer_a).filter(pk=batch.pk).exists()  # uploader
    assert not import_batch_within_scope(users.reviewer_a, batch)


def test_batch_without_recorded_rows_cannot_be_confirmed_by_a_reviewer(users, city):
    # e.g. a preview made before rows were recorded: only admins may confirm it
    batch = ImportBatch.objects.create(kind=ImportKind.LEDGER, file_name="旧.xlsx",
                                       status=ImportStatus.PREVIEWED, created_by=users.reviewer)  # fmt: skip
    assert not import_batch_within_scope(users.reviewer, batch)
    assert import_batch_within_scope(users.admin, batch)


def test_common_path():
    assert _common_path(["/1/2/", "/1/3/4/"]) == "/1/"
    assert _common_path(["/1/2/5/", "/1/2/"]) == "/1/2/"
    assert _common_path(["/1/2/", "/9/"]) == ""
    assert _common_path([]) == ""
