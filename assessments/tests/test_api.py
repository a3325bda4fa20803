"""Judgement API: the dashboard, statuses and scores come from the same functions
as the pages, scoped the same way."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.services import assess_month
from assessments.tests.helpers import leaf

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def judged(city):
    """Two county-A leaves and one county-B leaf judged for March 2026."""
    leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "100"), (2, "200"), (3, "300")])
    leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "10")])
    leaf(region=city.county_b, unit=city.unit_b, reports=[(1, "50"), (2, "90"), (3, "130")])
    assess_month(year=2026, month=3)
    return city


def test_dashboard_equals_the_home_page_for_the_same_user(client, judged, users):
    # given a county-A reviewer (a reporter's home is their work, not the figures)
    client.force_login(users.reviewer_a)
    home = client.get(reverse("portal:home"), {"year": 2026, "month": 3}).context["totals"]

    # when the dashboard endpoint is asked for the same year and month
    body = api(users.reviewer_a).get("/api/dashboard/", {"year": 2026, "month": 3}).json()

    # then every figure is the home page's, and only county A is counted
    t = body["totals"]
    assert (t["count"], t["split_count"]) == (home.count, home.split_count)
    assert Decimal(t["total_investment"]) == home.total_investment
    assert Decimal(t["ytd"]) == home.ytd == Decimal("310.00")  # the 2nd counts its January 10
    assert Decimal(t["completion_rate"]) == home.completion_rate
    assert t["status_counts"] == {str(k): v for k, v in home.status_counts.items()}
    assert [r["name"] for r in body["regions"]] == ["甲县"]
    assert body["paragraph"].startswith("今年")


def test_dashboard_region_filter_and_bad_month(judged, users):
    client = api(users.reviewer)
    whole = client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()
    only_b = client.get(
        "/api/dashboard/", {"year": 2026, "month": 3, "region": judged.county_b.pk}
    ).json()
    # county A: the fixture's two projects and two leaves; county B: two and one
    assert (whole["totals"]["split_count"], only_b["totals"]["split_count"]) == (7, 3)
    assert Decimal(only_b["totals"]["ytd"]) == Decimal("130.00")
    bad = client.get("/api/dashboard/", {"year": 2026, "month": 13})
    assert bad.status_code == 400
    assert "月" in str(bad.json())


def test_statuses_are_scoped_with_reasons(judged, users):
    rows = api(users.reporter_b).get("/api/project-statuses/", {"year": 2026, "month": 3}).json()
    codes = {r["project_code"] for r in rows["results"]}
    assert judged.project_b.code in codes and judged.project_a.code not in codes
    assert rows["count"] == 3  # county B's two fixture projects (未报) and its leaf
    assert all(r["reasons"] for r in rows["results"])
    assert api().get("/api/project-statuses/").status_code in (401, 403)


def test_scores_rank_regions_and_refuse_a_bad_period(judged, users):
    client = api(users.reviewer)
    rows = client.get("/api/scores/", {"period": "2026-03"}).json()
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert {r["name"] for r in rows} == {"甲县", "乙区"}
    bad = client.get("/api/scores/", {"period": "2026-13"})
    assert bad.status_code == 400


def test_status_list_queries_do_not_grow(city, users):
    def count(client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/project-statuses/", {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "10")])
    assess_month(year=2026, month=1)
    client = api(users.reviewer)
    count(client)  # roles are read once, then cached on the user
    small = count(client)
    for _ in range(95):
        leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "10")])
    assess_month(year=2026, month=1)
    assert count(client) == small
