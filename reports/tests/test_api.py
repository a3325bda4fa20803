"""/api/report-runs/ and /api/notices/: the same number of queries for 5 and 100 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Notice
from milestones.choices import MilestonesNotice
from reports.models import ReportRun, RunStatus

pytestmark = pytest.mark.django_db


def queries(user, url):
    client = APIClient()
    client.force_authenticate(user)
    client.get(url)  # the first call caches the user's roles
    with CaptureQueriesContext(connection) as q:
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200
    return len(q.captured_queries), response.json()["count"]


def test_report_runs_list(city, users):
    def add(n, start):
        for i in range(start, start + n):
            ReportRun.objects.create(kind="monthly", period=f"{2000 + i}-01", region=city.county_a,
                                     scope_key=city.county_a.code, status=RunStatus.DONE,
                                     requested_by=users.reviewer)  # fmt: skip

    add(5, 0)
    few = queries(users.reviewer_a, "/api/report-runs/")
    add(95, 5)
    assert queries(users.reviewer_a, "/api/report-runs/") == (few[0], 100)


def test_notices_list(city, users):
    def add(n, start):
        Notice.objects.bulk_create(
            Notice(
                recipient=users.reporter_a,
                kind=MilestonesNotice.PROBLEM_OVERDUE,
                title=f"通知{i}",
                event_key=f"e{i}",
            )  # fmt: skip
            for i in range(start, start + n)
        )

    add(5, 0)
    few = queries(users.reporter_a, "/api/notices/")
    add(95, 5)
    assert queries(users.reporter_a, "/api/notices/") == (few[0], 100)
