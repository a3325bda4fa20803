"""Stale while revalidating (core.cache): after a change, people who changed
nothing get the last figures at once while a worker recomputes them; the person who made the
change, and any setup without a worker, get fresh figures."""

import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.services import assess_month
from assessments.tests.helpers import leaf
from conftest import login
from milestones.choices import ReportStatus
from milestones.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_on(settings):
    settings.ASSESS_CACHE_SECONDS = 60
    settings.ASSESS_STALE_SECONDS = 600
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: a worker recomputes
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def judged(city):
    a = leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "100"), (2, "200"), (3, "300")])
    leaf(region=city.county_b, unit=city.unit_b, reports=[(1, "50"), (2, "90"), (3, "130")])
    assess_month(year=2026, month=3)
    return a


def ytd(client):
    return client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()["totals"]["ytd"]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def correct_march(project, amount, django_capture_on_commit_callbacks):
    """Someone else corrects March's approved figure (the generation moves on commit)."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ProgressReport.objects.filter(project=project, month=3).update(invested_ytd=amount)
        ProgressReport.objects.get(project=project, month=3).save()


def test_others_get_the_last_figures_and_the_worker_refreshes_them(
    stale_on, judged, users, django_capture_on_commit_callbacks, monkeypatch
):
    leader = api(users.leader_city)
    assert ytd(leader) == "430.00"
    queued = []
    from core import tasks

    monkeypatch.setattr(tasks.refresh_figure, "delay", queued.append)  # no broker in this test
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)

    # when the leader looks again: the last figures at once, a refresh asked once
    assert ytd(leader) == "430.00"
    assert ytd(leader) == "430.00"
    assert len(set(queued)) == len(queued) and queued

    # then once the worker has run, the new figures
    for key in queued:
        tasks.refresh_figure(key)
    assert ytd(leader) == "450.00"


def test_the_person_who_changed_data_sees_it_at_once(
    stale_on, judged, users, client, django_capture_on_commit_callbacks
):
    # given the reviewer has seen the dashboard, and a March correction waits for review
    assert ytd(api(users.reviewer)) == "430.00"
    march = ProgressReport.objects.get(project=judged, month=3)
    with django_capture_on_commit_callbacks(execute=True):
        ProgressReport.objects.filter(pk=march.pk).update(
            status=ReportStatus.SUBMITTED, invested_ytd=Decimal("320")
        )
    cache.clear()
    login(client, users.reviewer)
    assert client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()["totals"]["ytd"] == (
        "330.00"
    )

    # when the reviewer approves it on the page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("milestones:report_approve", args=[march.pk]))
    assert response.status_code < 400

    # then the reviewer's next look shows it, though others may still see the last figures
    body = client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()
    assert body["totals"]["ytd"] == "450.00"


def test_without_a_worker_every_figure_is_fresh(
    stale_on, judged, users, django_capture_on_commit_callbacks
):
    # given Celery runs tasks in the request (the embedded `make run` setup)
    stale_on.CELERY_TASK_ALWAYS_EAGER = True
    leader = api(users.leader_city)
    assert ytd(leader) == "430.00"
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)
    assert ytd(leader) == "450.00"


def test_a_broker_that_is_down_leaves_the_last_figures_and_no_lock(
    stale_on, judged, users, django_capture_on_commit_callbacks, monkeypatch
):
    leader = api(users.leader_city)
    assert ytd(leader) == "430.00"
    from core import tasks

    def broker_down(_key):
        raise ConnectionError("Redis 6379 refused")

    monkeypatch.setattr(tasks.refresh_figure, "delay", broker_down)
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)
    assert ytd(leader) == "430.00"  # no error page
    monkeypatch.undo()
    stale_on.CELERY_TASK_ALWAYS_EAGER = True  # the next request computes it itself
    assert ytd(leader) == "450.00"


def test_figures_older_than_the_stale_limit_are_recomputed_in_the_request(
    stale_on, judged, users, django_capture_on_commit_callbacks, monkeypatch
):
    leader = api(users.leader_city)
    assert ytd(leader) == "430.00"
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)
    # a figure stored 11 minutes ago is past ASSESS_STALE_SECONDS (600)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 660)
    from core import tasks

    monkeypatch.setattr(tasks.refresh_figure, "delay", lambda _key: None)
    assert ytd(leader) == "450.00"


@pytest.mark.celery_worker
def test_a_real_worker_refreshes_what_pages_serve_stale(
    transactional_db, settings, users, city, django_capture_on_commit_callbacks
):
    """Through Redis to a worker process sharing the figure cache (PostgreSQL + Redis)."""
    import os

    from conftest import start_celery

    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/12"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.ASSESS_CACHE_SECONDS, settings.ASSESS_STALE_SECONDS = 60, 600
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    a = leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "100"), (2, "200"), (3, "300")])
    leaf(region=city.county_b, unit=city.unit_b, reports=[(1, "50"), (2, "90"), (3, "130")])
    assess_month(year=2026, month=3)
    worker = start_celery(settings, extra_env={"TEST_CACHE_URL": url})
    try:
        leader = api(users.leader_city)
        assert ytd(leader) == "430.00"
        # when March is corrected (committed: the worker's connection sees it)
        correct_march(a, Decimal("320"), django_capture_on_commit_callbacks)

        # then the leader at first sees the last figures, and soon the worker's new ones
        assert ytd(leader) == "430.00"
        deadline, seen = time.monotonic() + 60, "430.00"
        while seen == "430.00" and time.monotonic() < deadline:
            time.sleep(0.3)
            seen = ytd(leader)
        assert seen == "450.00"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        cache.clear()


def test_signing_in_is_not_a_change(
    stale_on, judged, users, client, django_capture_on_commit_callbacks, monkeypatch
):
    # given the city's figures computed, then changed by someone else
    assert ytd(api(users.leader_city)) == "430.00"
    queued = []
    from core import tasks

    monkeypatch.setattr(tasks.refresh_figure, "delay", queued.append)
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)

    # when the leader signs in on the login page (a POST) and opens the dashboard
    response = client.post(
        reverse("login"), {"username": users.leader_city.username, "password": "pw-test-123"}
    )
    assert response.status_code == 302
    body = client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()

    # then the leader gets the last figures at once and the worker is asked to refresh them,
    # as for anyone who changed nothing (not a recomputation in the request)
    assert body["totals"]["ytd"] == "430.00"
    assert queued
