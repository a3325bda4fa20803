"""The admin speaks Chinese: every app and model heading an administrator sees, including
those of third-party apps (axes, celery results) that ship no Chinese names of their own."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django_celery_results.models import TaskResult

from conftest import login


@pytest.fixture
def superuser(users):
    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    return users.admin


# Text "in English" has a run of Latin letters; acronyms and product names are fine.
ENGLISH = re.compile(
    r"\b(?!(?:API|ID|IP|GET|POST|HTTP|UTC|Celery|Chord|sha256|Accept)\b)[A-Za-z]{3,}"
)


def _texts(pattern: str, html: str) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(pattern, html, re.S)]


def _english(texts):
    return [text for text in texts if ENGLISH.search(text)]


@pytest.mark.django_db
def test_admin_index_names_every_app_and_model_in_chinese(client, superuser):
    login(client, superuser)
    html = client.get(reverse("admin:index")).content.decode()
    apps = _texts(r'<caption>\s*<a[^>]*class="section"[^>]*>(.*?)</a>', html)
    models = _texts(r'<th scope="row"[^>]*>\s*<a[^>]*>(.*?)</a>', html)
    hidden = _texts(r'<th scope="col">(.*?)</th>', html)
    assert len(models) == len(admin.site._registry), "the index should list every model"
    assert not _english(apps + models + hidden)


@pytest.mark.django_db
def test_third_party_change_lists_have_chinese_titles_and_columns(client, superuser):
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    TaskResult.objects.create(task_id="t1", task_name="reports.build", status="SUCCESS")
    login(client, superuser)
    for name in ("axes_accessattempt", "django_celery_results_taskresult"):
        html = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        title = _texts(r"<h1>(.*?)</h1>", html)
        columns = _texts(r'<div class="text">(?:<a[^>]*>|<span>)?([^<]+)<', html)
        assert len(columns) >= 3, name
        assert not _english(title + columns), name
