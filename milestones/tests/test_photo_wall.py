"""现场照片墙: a project's report photos by month (newest first) with what the camera recorded,
for everyone who may see the project and nobody else; thumbnails made once and kept."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import login
from milestones.models import ReportPhoto
from milestones.photo_wall import THUMB_PX
from milestones.photos import prepare
from milestones.tests.factories import ProgressReportFactory
from milestones.tests.photo_files import jpeg
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db


def _photo(report, caption, content):
    photo = prepare(SimpleUploadedFile("site.jpg", content, content_type="image/jpeg"))
    return ReportPhoto.objects.create(report=report, caption=caption, **photo.fields())


@pytest.fixture
def photos(city, private_media):
    march = ProgressReportFactory(project=city.project_a, month=3)
    april = ProgressReportFactory(project=city.project_a, month=4)
    hidden = ProgressReportFactory(project=city.project_b, month=4)
    return {
        "gps": _photo(march, "主体结构封顶", jpeg(size=(1200, 900))),
        "plain": _photo(april, "二次结构砌筑", jpeg(exif=False)),
        "hidden": _photo(hidden, "乙区现场", jpeg()),
    }


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_wall_groups_photos_by_month_newest_first_with_exif(client, city, users, photos):
    # given a leader of the county (who reads, never reports)
    login(client, users.leader_city)
    # when they open 甲县项目's photo wall from the project page
    detail = client.get(reverse("registry:project_detail", args=[city.project_a.pk]))
    wall_url = reverse("milestones:project_photos", args=[city.project_a.pk])
    assert wall_url in detail.content.decode()
    text = _text(client.get(wall_url))
    # then April comes before March, each photo with its caption and report month
    assert text.index("2026年4月") < text.index("2026年3月")
    assert text.index("二次结构砌筑") < text.index("主体结构封顶")
    assert "2026年3月月报" in text
    # and the camera's time and place where EXIF had them, else a plain note
    assert "拍摄于2026-03-28 10:21，北纬36.651200°，东经117.120000°" in text
    assert "无拍摄信息" in text
    # and nothing of the other county's project
    assert "乙区现场" not in text


def test_out_of_scope_wall_and_thumbnail_are_404(client, city, users, photos):
    login(client, users.reporter_a)
    wall = reverse("milestones:project_photos", args=[city.project_b.pk])
    thumb = reverse("milestones:photo_thumbnail", args=[photos["hidden"].pk])
    assert client.get(wall).status_code == 404
    assert client.get(thumb).status_code == 404


def test_thumbnail_is_small_made_once_and_kept(client, users, photos, private_media):
    login(client, users.reporter_a)
    url = reverse("milestones:photo_thumbnail", args=[photos["gps"].pk])
    # when the wall asks for a 1200×900 photo's thumbnail
    response = client.get(url)
    body = b"".join(response.streaming_content)
    # then it gets a small JPEG, shown inline, without the camera's metadata
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")
    image = Image.open(io.BytesIO(body))
    assert max(image.size) == THUMB_PX
    assert not image.getexif()
    # and the second request reads the kept file instead of making another
    thumbs = [f for f in stored_files(private_media) if f.startswith("report_photo_thumbs/")]
    assert len(thumbs) == 1
    assert b"".join(client.get(url).streaming_content) == body
    assert [f for f in stored_files(private_media) if f.startswith("report_photo_thumbs/")] == (
        thumbs
    )


def test_wall_without_photos_says_so(client, city, users, private_media):
    login(client, users.reviewer_a)
    text = _text(client.get(reverse("milestones:project_photos", args=[city.project_a.pk])))
    assert "还没有附调度图片" in text


def test_deleting_a_photo_removes_its_thumbnail(client, users, photos, private_media):
    # given the thumbnail of a draft report's photo was made for the wall
    login(client, users.reporter_a)
    photo = photos["plain"]
    b"".join(client.get(reverse("milestones:photo_thumbnail", args=[photo.pk])).streaming_content)
    assert any(f.startswith("report_photo_thumbs/") for f in stored_files(private_media))
    # when the reporter deletes the photo from the report
    client.post(reverse("milestones:photo_delete", args=[photo.pk]))
    # then neither the photo nor its thumbnail stays on disk
    assert not ReportPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(f.startswith("report_photo_thumbs/") for f in stored_files(private_media))
