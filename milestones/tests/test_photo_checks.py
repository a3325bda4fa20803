"""Site photos on their way in: only real images, bounded, re-encoded without EXIF, the camera's
time and place kept as evidence for the reviewer, and never lost to a validation error."""

import datetime
import io
import time
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import login
from milestones.models import PendingPhoto, ProgressReport, ReportPhoto
from milestones.photos import purge_pending
from milestones.tests.factories import ReportingWindowFactory
from milestones.tests.photo_files import (
    HOSTILE_HTML,
    LATITUDE,
    LONGITUDE,
    jpeg,
    png_header_only,
)
from milestones.tests.test_views import form_data
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EVIDENCE = f"拍摄于2026-03-28 10:21，北纬{LATITUDE}°，东经{LONGITUDE}°"


@pytest.fixture
def reporter(client, city, users, today, private_media):
    ReportingWindowFactory(year=2026, month=3, opens_on=datetime.date(2026, 4, 1))
    login(client, users.reporter_a)
    return client


def post_report(client, project, name, content, **fields):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    data = form_data(project, invested_ytd="120.50", **fields) | {"photos": upload}
    return client.post(reverse("milestones:report_new"), data)


def served(client, photo) -> bytes:
    response = client.get(reverse("milestones:photo", args=[photo.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_html_named_png_is_refused_with_a_message(reporter, city, private_media):
    response = post_report(reporter, city.project_a, "现场.png", HOSTILE_HTML)
    assert response.status_code == 200
    assert "“现场.png”不是图片文件，请上传 JPG/PNG 照片" in response.text
    assert not ReportPhoto.objects.exists() and not PendingPhoto.objects.exists()
    assert not ProgressReport.objects.exists()  # the whole form waits for a real photo
    assert stored_files(private_media) == []


@pytest.mark.parametrize(
    "width,height,message",
    [
        (20000, 20000, "“巨图.png”尺寸过大，单张不超过40百万像素"),
        (8000, 6000, "“巨图.png”尺寸过大（8000×6000像素），单张不超过40百万像素"),
    ],
    ids=["20000x20000", "8000x6000"],
)
def test_image_over_the_pixel_bound_is_refused_without_decoding(
    reporter, city, private_media, width, height, message
):
    content = png_header_only(width, height)
    assert len(content) < 100  # tiny on disk: the bound is on pixels, not bytes
    started = time.monotonic()
    response = post_report(reporter, city.project_a, "巨图.png", content)
    assert time.monotonic() - started < 3
    assert message in response.text
    assert stored_files(private_media) == []


def test_photo_over_the_byte_bound_is_refused(reporter, city, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    content = jpeg(trailer=b"\0" * (1024 * 1024))
    response = post_report(reporter, city.project_a, "大图.jpg", content)
    assert "“大图.jpg”超过1MB，请压缩后再上传" in response.text
    assert not ReportPhoto.objects.exists()


def test_exif_kept_as_data_and_stripped_from_the_served_file(reporter, city, users, client):
    response = post_report(
        reporter, city.project_a, "工地.jpg", jpeg(trailer=b"<script>x</script>")
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-03-28 10:21"
    assert (str(photo.latitude), str(photo.longitude)) == (LATITUDE, LONGITUDE)
    body = served(reporter, photo)
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert dict(image.getexif()) == {}
    for leaked in (b"Exif", b"secret description", b"<script>"):
        assert leaked not in body
    # the reviewer sees the camera's time and place beside the photo
    login(client, users.reviewer_a)
    page = client.get(reverse("milestones:report_detail", args=[photo.report_id])).text
    assert EVIDENCE in page


def test_photo_without_exif_says_so_to_the_reviewer(reporter, city, users, client):
    post_report(reporter, city.project_a, "工地.jpg", jpeg(exif=False))
    photo = ReportPhoto.objects.get()
    assert photo.taken_at is None and photo.latitude is None
    login(client, users.reviewer_a)
    page = client.get(reverse("milestones:report_detail", args=[photo.report_id])).text
    assert "照片无拍摄时间和位置信息" in page


def test_photo_kept_after_a_validation_error_elsewhere(reporter, city, private_media):
    # given a report form with a photo and a bad figure
    response = post_report(reporter, city.project_a, "工地.jpg", jpeg(), invested_month="-5")
    assert response.status_code == 200 and "金额不能为负数" in response.text
    pending = PendingPhoto.objects.get()
    # then the page shows it as attached and the reporter need not pick it again
    assert f'name="pending_photo" value="{pending.pk}"' in response.text
    assert "以下照片已暂存" in response.text
    assert reporter.get(reverse("milestones:pending_photo", args=[pending.pk])).status_code == 200
    # when the corrected form is sent with the kept photo and no new file
    data = form_data(city.project_a, invested_ytd="120.50") | {"pending_photo": str(pending.pk)}
    assert reporter.post(reverse("milestones:report_new"), data).status_code == 302
    # then the photo is on the report, with its evidence, and stored once
    photo = ReportPhoto.objects.get()
    assert photo.image.name == pending.image.name and photo.original_name == "工地.jpg"
    assert photo.latitude is not None
    assert not PendingPhoto.objects.exists()
    assert stored_files(private_media) == [photo.image.name]


def test_photo_kept_after_an_error_on_the_edit_page(reporter, city):
    reporter.post(
        reverse("milestones:report_new"), form_data(city.project_a, invested_ytd="120.50")
    )
    report = ProgressReport.objects.get()
    url = reverse("milestones:report_edit", args=[report.pk])
    upload = SimpleUploadedFile("二次.jpg", jpeg(), content_type="image/jpeg")
    data = form_data(invested_month="abc", invested_ytd="120.50", version=report.version)
    data |= {"photos": upload}
    assert "请输入数字" in reporter.post(url, data).text
    pending = PendingPhoto.objects.get()
    data = form_data(invested_ytd="120.50", version=report.version)
    data |= {"pending_photo": str(pending.pk)}
    assert reporter.post(url, data).status_code == 302
    assert list(report.photos.values_list("original_name", flat=True)) == ["二次.jpg"]


def test_someone_elses_pending_photo_is_neither_shown_nor_attached(
    reporter, city, users, client, today
):
    post_report(reporter, city.project_a, "工地.jpg", jpeg(), invested_month="-5")
    pending = PendingPhoto.objects.get()
    login(client, users.reviewer_a)
    assert client.get(reverse("milestones:pending_photo", args=[pending.pk])).status_code in (
        403,
        404,
    )
    login(client, users.admin)
    data = form_data(city.project_a, invested_ytd="1") | {"pending_photo": str(pending.pk)}
    client.post(reverse("milestones:report_new"), data)
    assert not ReportPhoto.objects.exists() and PendingPhoto.objects.count() == 1


def test_pending_photos_nobody_came_back_for_are_purged(reporter, city, private_media):
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI), tick=False):
        post_report(reporter, city.project_a, "工地.jpg", jpeg(), invested_month="-5")
    kept = PendingPhoto.objects.get()
    assert stored_files(private_media) == [kept.image.name]
    # kept for PHOTO_PENDING_KEEP_HOURS (72), then removed with its file
    assert purge_pending(now=datetime.datetime(2026, 4, 13, 8, tzinfo=SHANGHAI)) == 0
    assert purge_pending(now=datetime.datetime(2026, 4, 13, 10, tzinfo=SHANGHAI)) == 1
    assert not PendingPhoto.objects.exists() and stored_files(private_media) == []
