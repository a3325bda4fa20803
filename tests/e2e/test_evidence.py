"""Evidence in a real browser: a reporter uploads a 入库材料 on the project page, sees it
listed and downloads it; an HTML page named .pdf is refused. The photo wall wraps on a phone."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from milestones.models import ReportPhoto
from milestones.photos import prepare
from milestones.tests.factories import ProgressReportFactory
from milestones.tests.photo_files import HOSTILE_HTML, jpeg
from registry.models import Document
from registry.tests.fixtures.media import private_media  # noqa: F401
from tests.e2e.test_progress_journey import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHONE = {"width": 390, "height": 844}


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.e2e
def test_reporter_uploads_a_document_then_downloads_it(
    live_server,
    city,
    users,
    page,
    shot,
    tmp_path,
    private_media,  # noqa: F811
):
    base = live_server.url
    project = city.project_a
    scan = tmp_path / "甲县项目立项批复.pdf"
    scan.write_bytes(PDF)
    # given 甲县's reporter on the project page
    _login(page, base, "reporter_a")
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.locator("#documents")).to_contain_text("暂无入库材料")
    # when they pick the type, name it and upload the scan
    form = page.locator("#document-upload")
    form.get_by_label("材料类型").select_option(label="立项批复")
    form.get_by_label("说明").fill("市发改委立项批复")
    form.get_by_label("文件").set_input_files(str(scan))
    shot("document_form")
    form.get_by_role("button", name="上传材料").click()
    # then the page says so and lists it
    expect(page.locator(".alert-success")).to_contain_text("入库材料“市发改委立项批复”已上传")
    expect(page.locator("#document-list")).to_contain_text("立项批复")
    shot("document_listed")
    # and the link downloads the same file under its own name
    with page.expect_download() as download:
        page.locator("#document-list").get_by_role("link", name="市发改委立项批复").click()
    assert download.value.suggested_filename == "甲县项目立项批复.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF

    # when an HTML page named .pdf is uploaded
    fake = tmp_path / "批复.pdf"
    fake.write_bytes(HOSTILE_HTML)
    form.get_by_label("材料类型").select_option(label="环评")
    form.get_by_label("文件").set_input_files(str(fake))
    form.get_by_role("button", name="上传材料").click()
    # then it is refused in Chinese and nothing is added
    expect(page.locator(".alert-danger")).to_contain_text("“批复.pdf”不是PDF")
    shot("document_refused")
    assert Document.objects.count() == 1
    # and on a phone the form stacks inside the screen
    page.set_viewport_size(PHONE)
    page.locator("#documents").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("document_form_390")


def _shot(page, name):
    """Like the `shot` fixture, for a page of our own context (a phone)."""
    if folder := os.environ.get("E2E_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _site_jpeg(exif, shade):
    """A drawn 800×600 site picture (sky, ground, a crane), with the test camera's EXIF."""
    image = Image.new("RGB", (800, 600), (135, 180, 220 - shade))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 400, 800, 600), fill=(150 - shade, 120, 80))
    draw.rectangle((180 + shade, 220, 420 + shade, 400), fill=(190, 190, 185))
    draw.line((600, 400, 600, 80, 330, 80), fill=(230, 170, 30), width=12)
    meta = Image.open(io.BytesIO(jpeg(exif=exif))).getexif()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=meta, quality=90)
    return out.getvalue()


def _photos(project):
    for month, caption, exif in ((3, "基坑支护", True), (4, "主体结构施工", False)):
        report = ProgressReportFactory(project=project, month=month)
        for n in range(2):
            content = _site_jpeg(exif, shade=60 * n + 20 * month)
            photo = prepare(SimpleUploadedFile("site.jpg", content))
            ReportPhoto.objects.create(report=report, caption=f"{caption}{n + 1}", **photo.fields())


@pytest.mark.e2e
def test_photo_wall_on_a_phone(live_server, city, users, browser, private_media):  # noqa: F811
    _photos(city.project_a)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # given a city leader on the project page, on a phone
        _login(page, live_server.url, "leader_city")
        page.goto(f"{live_server.url}/projects/{city.project_a.pk}/")
        # when they open the photo wall
        page.locator("#photo-wall-link").click()
        # then April comes first, March with the camera's place, thumbnails loaded
        headers = page.locator("section.card .card-header")
        expect(headers.first).to_contain_text("2026年4月")
        expect(headers.nth(1)).to_contain_text("2026年3月")
        expect(page.locator("body")).to_contain_text("北纬36.651200°，东经117.120000°")
        images = page.locator(".photo-wall img")
        expect(images).to_have_count(4)
        for i in range(4):
            images.nth(i).scroll_into_view_if_needed()
            expect(images.nth(i)).to_have_js_property("complete", True)
            assert images.nth(i).evaluate("img => img.naturalWidth") > 0
        # and the tiles wrap two to a row without sideways scrolling
        first, second = images.nth(0).bounding_box(), images.nth(1).bounding_box()
        assert first["y"] == second["y"] and second["x"] > first["x"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, "photo_wall_390")
        page.set_viewport_size({"width": 1366, "height": 768})
        _shot(page, "photo_wall_1366")
    finally:
        context.close()
