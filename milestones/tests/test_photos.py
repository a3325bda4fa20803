"""调度图片 are private uploads (SPEC §5): a random name on disk, no /media/ route, and the
download view checks login and scope and names the file as the reporter did."""

import datetime
import importlib
import io
import re
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import login
from milestones.models import ReportPhoto
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory
from milestones.tests.photo_files import jpeg
from milestones.tests.test_views import form_data
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db

PHOTO_NAME = "甲县工地 3月.jpg"


@pytest.fixture
def photo(client, city, users, today, private_media):
    """A photo that reporter_a uploads with the March report of 甲县项目."""
    ReportingWindowFactory(year=2026, month=3, opens_on=datetime.date(2026, 4, 1))
    login(client, users.reporter_a)
    upload = SimpleUploadedFile(PHOTO_NAME, jpeg(), content_type="image/jpeg")
    data = form_data(city.project_a, invested_ytd="120.50") | {"photos": upload}
    response = client.post(reverse("milestones:report_new"), data)
    assert response.status_code == 302
    client.logout()
    return ReportPhoto.objects.get()


def test_photo_stored_under_random_name(photo, private_media):
    assert photo.original_name == PHOTO_NAME
    assert stored_files(private_media) == [photo.image.name]
    assert re.fullmatch(r"report_photos/[0-9a-f]{32}\.jpg", photo.image.name)
    assert "工地" not in photo.image.name


@pytest.mark.parametrize("who", ["reporter_a", "reviewer", "reviewer_a", "leader_city", "admin"])
def test_photo_download_in_scope(client, users, photo, who):
    login(client, getattr(users, who))
    response = client.get(reverse("milestones:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''" + quote(PHOTO_NAME)
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["reporter_b", "unit_clerk", "leader_b"])
def test_photo_download_out_of_scope_is_404(client, users, photo, who):
    login(client, getattr(users, who))
    assert client.get(reverse("milestones:photo", args=[photo.pk])).status_code == 404


def test_photo_download_anonymous_goes_to_login(client, photo):
    response = client.get(reverse("milestones:photo", args=[photo.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_photo_not_served_under_media_in_debug_mode(client, city, users, photo, debug_urls):
    # the stored path, and the path the old naming gave the same upload
    old = f"report_photos/{city.project_a.pk}/{photo.report_id}/{PHOTO_NAME}"
    paths = [f"/media/{photo.image.name}", f"/media/{old}"]
    assert [client.get(p).status_code for p in paths] == [404, 404]
    login(client, users.reviewer)
    assert [client.get(p).status_code for p in paths] == [404, 404]


def test_migration_keeps_the_names_of_earlier_photos(city):
    report = ProgressReportFactory(project=city.project_a, month=1)
    report.photos.create(image=f"report_photos/{city.project_a.pk}/{report.pk}/工地.jpg")
    migration = importlib.import_module("milestones.migrations.0004_private_upload_names")
    migration.keep_original_names(django_apps, None)
    assert ReportPhoto.objects.get().original_name == "工地.jpg"
