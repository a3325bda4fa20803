"""Private uploads (SPEC §5): random names on disk, no public /media/ route in any mode,
downloads only through views that check login and scope, under the original name."""

import importlib
import re
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.checks import Error
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from core.checks import media_root_is_private
from core.files import random_name
from registry.models import Document, ImportBatch
from registry.tests.fixtures.media import stored_files
from registry.tests.fixtures.workbooks import row, simple_ledger

pytestmark = pytest.mark.django_db

DOC_NAME = "甲县 立项批复 (2026).pdf"
DOC_BYTES = b"%PDF-1.4 approval"


def _admin_upload(client, project):
    """Upload a 入库材料 the way it is done: in the Django admin."""
    client.force_login(_superuser())
    upload = SimpleUploadedFile(DOC_NAME, DOC_BYTES, content_type="application/pdf")
    data = {"project": project.pk, "kind": "approval", "title": "立项批复", "file": upload}
    response = client.post(reverse("admin:registry_document_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Document.objects.get()


def _superuser():
    users = get_user_model().objects
    return users.filter(username="root").first() or users.create_superuser(
        "root", "root@example.com", "pw-root-123"
    )


def _disposition(name):
    return "attachment; filename*=UTF-8''" + quote(name, safe="")


def test_document_stored_under_random_name_original_kept(client, city, private_media):
    # when a document is uploaded
    document = _admin_upload(client, city.project_a)

    # then the disk holds a random name only; the database keeps the user's name
    assert document.original_name == DOC_NAME
    assert stored_files(private_media) == [document.file.name]
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", document.file.name)
    assert "立项" not in document.file.name and "甲县" not in document.file.name


@pytest.mark.parametrize("who", ["reviewer", "reviewer_a", "reporter_a", "leader_city", "admin"])
def test_document_download_in_scope_has_original_name(client, city, users, private_media, who):
    document = _admin_upload(client, city.project_a)
    login(client, getattr(users, who))

    response = client.get(reverse("registry:document", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOC_BYTES
    assert response["Content-Disposition"] == _disposition(DOC_NAME)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["reporter_b", "unit_clerk", "leader_b"])
def test_document_download_out_of_scope_is_404(client, city, users, private_media, who):
    document = _admin_upload(client, city.project_a)
    login(client, getattr(users, who))
    assert client.get(reverse("registry:document", args=[document.pk])).status_code == 404


def test_document_download_anonymous_goes_to_login(client, city, private_media):
    document = _admin_upload(client, city.project_a)
    response = client.get(reverse("registry:document", args=[document.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_document_of_deleted_project_is_404(client, city, users, private_media):
    document = _admin_upload(client, city.project_a)
    city.project_a.__class__.all_objects.filter(pk=city.project_a.pk).update(is_deleted=True)
    login(client, users.reviewer)
    assert client.get(reverse("registry:document", args=[document.pk])).status_code == 404


def test_document_links_lead_through_the_scoped_view(client, city, users, private_media):
    # given an uploaded document
    document = _admin_upload(client, city.project_a)
    url = reverse("registry:document", args=[document.pk])

    # then the project page and the admin link to the scoped view, never to /media/
    assert document.file.url == url
    login(client, users.reviewer)
    page = client.get(reverse("registry:project_detail", args=[city.project_a.pk])).text
    assert url in page
    client.force_login(_superuser())
    admin_page = client.get(reverse("admin:registry_document_change", args=[document.pk])).text
    assert url in admin_page and "/media/" not in admin_page


def test_old_media_paths_are_not_served_in_debug_mode(
    client, city, users, private_media, debug_urls
):
    # given an upload, and a file stored the old way under its own name
    document = _admin_upload(client, city.project_a)
    old = private_media / "documents" / str(city.project_a.pk) / DOC_NAME
    old.parent.mkdir(parents=True)
    old.write_bytes(DOC_BYTES)

    # when anyone asks for them under /media/ (DEBUG=true, as under `make run`)
    paths = [f"/media/{document.file.name}", f"/media/documents/{city.project_a.pk}/{DOC_NAME}"]
    anonymous = [client.get(p).status_code for p in paths]
    login(client, users.admin)
    admin = [client.get(p).status_code for p in paths]

    # then nothing is served
    assert anonymous == [404, 404] and admin == [404, 404]


# ------------------------------------------------------------------ uploaded ledgers


def _upload_ledger(client, user, name="甲县 2026 台账.xlsx"):
    login(client, user)
    upload = SimpleUploadedFile(name, simple_ledger([row(name="新项目")]))
    response = client.post(reverse("registry:ledger_upload"), {"file": upload, "year": 2026})
    assert response.status_code == 302
    return ImportBatch.objects.get()


def test_uploaded_ledger_stored_under_random_name(client, city, users, private_media):
    batch = _upload_ledger(client, users.reviewer)
    assert batch.file_name == "甲县 2026 台账.xlsx"
    assert stored_files(private_media) == [batch.file.name]
    assert re.fullmatch(r"imports/[0-9a-f]{32}\.xlsx", batch.file.name)


def test_uploaded_ledger_download(client, city, users, private_media):
    # given a reviewer's upload
    batch = _upload_ledger(client, users.reviewer)
    url = reverse("registry:import_file", args=[batch.pk])

    # the uploader gets it back under its own name
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == _disposition("甲县 2026 台账.xlsx")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")

    # a reporter who cannot see the batch gets 404; anonymous goes to the login page
    login(client, users.reporter_a)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# ------------------------------------------------------------------ helpers and settings


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("现场.JPG", r"report_photos/[0-9a-f]{32}\.jpg"),
        ("../../etc/passwd", r"report_photos/[0-9a-f]{32}"),
        ('a".<script>', r"report_photos/[0-9a-f]{32}"),
        ("no_extension", r"report_photos/[0-9a-f]{32}"),
    ],
)
def test_random_name(name, pattern):
    assert re.fullmatch(pattern, random_name("report_photos", name))


def test_hostile_original_name_is_encoded_in_the_header(client, city, users, private_media):
    document = _admin_upload(client, city.project_a)
    Document.objects.filter(pk=document.pk).update(original_name='x";\r\nSet-Cookie: a=1.pdf')
    login(client, users.reviewer)
    response = client.get(reverse("registry:document", args=[document.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''x%22%3B%0D%0ASet-Cookie%3A%20a%3D1.pdf"
    )


def test_media_root_inside_static_dirs_is_refused(settings):
    assert media_root_is_private(None) == []
    settings.MEDIA_ROOT = settings.STATIC_ROOT / "uploads"
    errors = media_root_is_private(None)
    assert [type(e) for e in errors] == [Error] and errors[0].id == "registry.E001"
    settings.MEDIA_ROOT = settings.STATICFILES_DIRS[0]
    assert [e.id for e in media_root_is_private(None)] == ["registry.E001"]


def test_migration_keeps_the_names_of_earlier_uploads(city):
    # given a document stored before this migration, under the uploader's own name
    Document.objects.create(project=city.project_a, kind="approval", title="批复",
                            file=f"documents/{city.project_a.pk}/甲县 立项批复.pdf")  # fmt: skip

    # when the migration's data step runs
    migration = importlib.import_module("registry.migrations.0004_private_upload_names")
    migration.keep_original_names(django_apps, None)

    # then the download will carry that name
    assert Document.objects.get().original_name == "甲县 立项批复.pdf"
