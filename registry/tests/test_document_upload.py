"""入库材料 uploaded on the project page: by the project's reporters and reviewers, accepted for
what the bytes are (PDF, image, Office file), refused in Chinese otherwise, kept private."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import login
from registry.models import Document
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>用地预审意见</w:document>")
    return out.getvalue()


def _png():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _post(client, project, name, content, kind="approval", title=""):
    upload = SimpleUploadedFile(name, content)
    url = reverse("registry:document_upload", args=[project.pk])
    return client.post(url, {"kind": kind, "title": title, "file": upload}, follow=True)


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_reporter_uploads_pdf_then_sees_and_downloads_it(client, city, users, private_media):
    login(client, users.reporter_a)
    # when 甲县's reporter uploads the 立项批复 on the project page
    response = _post(client, city.project_a, "甲县项目立项批复.pdf", PDF, title="市发改委立项批复")
    # then the page says so and lists it with its type
    text = _text(response)
    assert "入库材料“市发改委立项批复”已上传" in text
    assert "立项批复 市发改委立项批复" in text
    document = Document.objects.get()
    assert (document.uploaded_by, document.original_name) == (
        users.reporter_a,
        "甲县项目立项批复.pdf",
    )
    # and the download gives back the same bytes under the same name
    download = client.get(reverse("registry:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert "%E7%AB%8B%E9%A1%B9%E6%89%B9%E5%A4%8D.pdf" in download["Content-Disposition"]
    # and the upload is in the document's history, with who did it and why
    record = document.history.get()
    assert record.history_user == users.reporter_a
    assert record.history_change_reason == "上传入库材料：甲县项目立项批复.pdf"


def test_html_named_pdf_is_refused_and_nothing_kept(client, city, users, private_media):
    login(client, users.reviewer_a)
    text = _text(_post(client, city.project_a, "批复.pdf", HTML))
    assert (
        "“批复.pdf”不是PDF、图片（JPG/PNG）或Office文档（Word/Excel），请检查文件后重新上传" in text
    )
    assert not Document.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [("用地预审.docx", _docx(), ".docx"), ("现场.jpeg", _png(), ".png"), ("批复", PDF, ".pdf")],
)
def test_office_files_and_images_are_named_for_what_they_are(
    client, city, users, private_media, name, content, stored_as
):
    login(client, users.reviewer)
    _post(client, city.project_a, name, content, kind="land")
    document = Document.objects.get()
    assert document.file.name.endswith(stored_as)
    assert document.original_name.endswith(stored_as)
    assert document.get_kind_display() == "用地手续"


def test_zip_that_is_no_office_file_is_refused(client, city, users, private_media):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("index.html", HTML)
    login(client, users.reviewer)
    text = _text(_post(client, city.project_a, "材料.docx", out.getvalue()))
    assert "不是PDF" in text
    assert not Document.objects.exists()


def test_a_truncated_office_file_is_called_broken(client, city, users, private_media):
    # a .docx cut short in transfer: the zip signature, but no readable directory
    login(client, users.reviewer)
    text = _text(_post(client, city.project_a, "可研报告.docx", _docx()[:200]))
    assert "“可研报告.docx”已损坏或不完整，请重新保存后再上传" in text
    assert not Document.objects.exists()


def test_too_big_and_missing_type_are_refused_in_chinese(
    client, city, users, private_media, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    login(client, users.reporter_a)
    text = _text(_post(client, city.project_a, "扫描件.pdf", PDF + b"0" * (1024 * 1024)))
    assert "“扫描件.pdf”超过1MB，请压缩或拆分后再上传" in text
    text = _text(_post(client, city.project_a, "批复.pdf", PDF, kind=""))
    assert "请选择材料类型" in text
    assert not Document.objects.exists()


def test_who_may_upload(client, city, users, private_media):
    # a leader reads the list but gets no form and cannot post one
    login(client, users.leader_city)
    page = client.get(reverse("registry:project_detail", args=[city.project_a.pk]))
    assert 'id="document-upload"' not in page.content.decode()
    assert _post(client, city.project_a, "批复.pdf", PDF).status_code == 403
    # another county's reporter does not find the project
    login(client, users.reporter_b)
    assert _post(client, city.project_a, "批复.pdf", PDF).status_code == 404
    # the project's own reporter sees the form
    login(client, users.reporter_a)
    page = client.get(reverse("registry:project_detail", args=[city.project_a.pk]))
    assert 'id="document-upload"' in page.content.decode()
    assert not Document.objects.exists()
