"""Fresh figures for everyone (core.cache): after a change, whoever asks next, whatever they
did before (changed data, signed in, nothing), gets the figures that include it; signing in
changes no figure and invalidates nothing."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.services import assess_month
from assessments.tests.helpers import leaf
from core.cache import generation
from milestones.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.ASSESS_CACHE_SECONDS = 60
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production
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
    """Someone else corrects March's approved figure through a save (the generation moves on
    commit, the fact table in the same transaction)."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        report = ProgressReport.objects.get(project=project, month=3)
        report.invested_ytd = amount
        report.save()


def test_everyone_sees_a_change_at_once(
    cache_on, judged, users, django_capture_on_commit_callbacks
):
    leader, reviewer = api(users.leader_city), api(users.reviewer)
    assert ytd(leader) == ytd(reviewer) == "430.00"  # both computed and cached
    correct_march(judged, Decimal("320"), django_capture_on_commit_callbacks)
    # someone who changed nothing gets the new figure, not the last one
    assert ytd(leader) == "450.00"
    assert ytd(reviewer) == "450.00"


def test_signing_in_is_not_a_change(
    cache_on, judged, users, client, django_capture_on_commit_callbacks
):
    # given the city's figures computed and cached
    assert ytd(api(users.leader_city)) == "430.00"
    before = generation()

    # when the leader signs in on the login page (a POST) and opens the dashboard
    response = client.post(
        reverse("login"), {"username": users.leader_city.username, "password": "pw-test-123"}
    )
    assert response.status_code == 302

    # then nothing was invalidated, and the leader reads the same (fresh) figures
    assert generation() == before
    body = client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()
    assert body["totals"]["ytd"] == "430.00"
