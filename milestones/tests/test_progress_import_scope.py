"""Progress-sheet batches follow the scoping rule too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from milestones.choices import MilestonesImport
from milestones.models import ProgressReport
from milestones.tests.factories import ReportingWindowFactory
from milestones.tests.test_progress_import import sheet
from registry.choices import ImportStatus
from registry.models import ImportBatch
from registry.scoping import visible_import_batches

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def windows(today):
    return [ReportingWindowFactory(year=2026, month=m) for m in (1, 2, 3)]


def upload_progress(client, user, rows):
    login(client, user)
    data = sheet(rows)
    client.post(
        reverse("milestones:progress_import"),
        {"file": SimpleUploadedFile("进度.xlsx", data, content_type=XLSX)},
    )
    return ImportBatch.objects.filter(kind=MilestonesImport.PROGRESS).latest("pk")


def test_progress_batch_visible_to_covering_users_only(client, city, users, windows):
    batch = upload_progress(
        client, users.reporter_b, [[city.project_b.code, "2026-01", 100, None, "平整", ""]]
    )
    assert batch.status == ImportStatus.PREVIEWED and batch.scope_path == city.county_b.path
    seen = {
        name: visible_import_batches(getattr(users, name)).filter(pk=batch.pk).exists()
        for name in ("reporter_a", "reporter_b", "reviewer_a", "reviewer", "admin", "unit_clerk")
    }
    assert seen == {
        "reporter_a": False,
        "reporter_b": True,
        "reviewer_a": False,
        "reviewer": True,  # the city reviewer now sees reporters' uploads of the city
        "admin": True,
        "unit_clerk": False,
    }
    login(client, users.reviewer)
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert city.project_b.code in page


def test_progress_confirm_refused_when_a_row_left_the_uploaders_scope(client, city, users, windows):
    # given a 甲县 reporter's preview, then the project moves to 乙区
    batch = upload_progress(
        client, users.reporter_a, [[city.project_a.code, "2026-01", 100, None, "平整", ""]]
    )
    city.project_a.region = city.county_b
    city.project_a.save()

    # when the uploader confirms
    response = client.post(reverse("milestones:progress_import_confirm", args=[batch.pk]))

    # then refused, the batch untouched, no report written
    assert response.status_code == 403
    assert "涉及您管理范围以外的项目或地区" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and batch.dry_run
    assert not ProgressReport.objects.exists()
