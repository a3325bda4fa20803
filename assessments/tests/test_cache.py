"""The figure cache (core.cache): what a user sees changes as soon as the data does,
scopes never share figures, and a stopped cache server is only a slower page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.services import assess_month
from assessments.tests.helpers import leaf
from core.signals import changed
from milestones.choices import ReportStatus
from milestones.services import report_approve
from registry.models import AnnualPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    from django.core.cache import cache

    settings.ASSESS_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def dashboard(user):
    client = APIClient()
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as q:
        body = client.get("/api/dashboard/", {"year": 2026, "month": 3}).json()
    return body["totals"], len(q.captured_queries)


@pytest.fixture
def judged(city):
    a = leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "100"), (2, "200"), (3, "300")])
    b = leaf(region=city.county_b, unit=city.unit_b, reports=[(1, "50"), (2, "90"), (3, "130")])
    assess_month(year=2026, month=3)
    return a, b


def test_second_look_is_served_from_the_cache_with_the_same_figures(
    cache_on, judged, users, django_capture_on_commit_callbacks
):
    first, cold = dashboard(users.leader_city)
    again, warm = dashboard(users.leader_city)
    assert again == first and first["ytd"] == "430.00"
    assert warm < cold  # the leaves were not loaded again


def test_approving_a_report_changes_the_figures_at_once(
    cache_on, judged, users, django_capture_on_commit_callbacks
):
    a, _b = judged
    before, _ = dashboard(users.leader_city)
    # a March correction, approved through the reviewer's service
    march = a.progress_reports.get(month=3)
    march.status = ReportStatus.SUBMITTED
    march.invested_ytd = Decimal("320")
    with django_capture_on_commit_callbacks(execute=True):
        march.save()
        report_approve(report=march, user=users.reviewer)
    after, _ = dashboard(users.leader_city)
    assert (before["ytd"], after["ytd"]) == ("430.00", "450.00")


def test_bulk_writes_and_plan_edits_invalidate(
    cache_on, judged, users, django_capture_on_commit_callbacks
):
    a, _b = judged
    before, _ = dashboard(users.leader_city)
    with django_capture_on_commit_callbacks(execute=True):
        plan = AnnualPlan.objects.get(project=a)
        plan.planned_investment = Decimal("2400")
        plan.save()
    after_plan, _ = dashboard(users.leader_city)
    assert Decimal(after_plan["annual_plan"]) - Decimal(before["annual_plan"]) == 1200
    # assess writes its statuses with one bulk insert (no save signals)
    with django_capture_on_commit_callbacks(execute=True):
        AnnualPlan.objects.filter(project=a).update(planned_investment=Decimal("1200"))
        changed([a.pk])  # what every bulk writer says (for the monthly fact table)
        assess_month(year=2026, month=3)
    after_assess, _ = dashboard(users.leader_city)
    assert after_assess["annual_plan"] == before["annual_plan"]


def test_scopes_never_share_cached_figures(cache_on, judged, users):
    city_totals, _ = dashboard(users.leader_city)
    county_b, _ = dashboard(users.leader_b)
    assert (city_totals["ytd"], county_b["ytd"]) == ("430.00", "130.00")
    assert dashboard(users.leader_city)[0]["ytd"] == "430.00"


def test_a_stopped_cache_server_is_a_slower_page_not_an_error(settings, judged, users):
    settings.ASSESS_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    totals, _ = dashboard(users.leader_city)
    assert totals["ytd"] == "430.00"


def test_a_missing_figure_is_computed_once_while_other_workers_wait(cache_on, judged):
    # given eight workers asking at once for the same scope's figures, nothing cached yet
    import threading

    from core.cache import cached
    from registry.models import Project

    calls = []
    started = threading.Barrier(8)

    def slow():
        calls.append(1)
        threading.Event().wait(0.3)  # a recompute that takes a while, as at city scale
        return {"ytd": "430.00"}

    results = []

    def worker():
        started.wait()
        results.append(cached("stampede", Project.objects.all(), 2026, 3, slow))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one of them computed, and every one got the same figures
    assert len(calls) == 1
    assert results == [{"ytd": "430.00"}] * 8


def test_the_dashboard_api_serves_its_payload_from_the_cache(cache_on, judged, users):
    # the second call neither loads the leaves nor serializes again: only auth and scope
    first, cold = dashboard(users.leader_city)
    again, warm = dashboard(users.leader_city)
    assert again == first
    assert warm <= 6, warm


def test_the_ledger_list_counts_once_per_change(
    client, cache_on, judged, users, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from conftest import login
    from registry.tests.factories import AnnualPlanFactory, ProjectFactory

    def counted():
        """(rows the paginator says the list has, COUNT queries over projects it ran)"""
        with CaptureQueriesContext(connection) as q:
            resp = client.get(reverse("portal:project_list"), {"year": 2026})
        sql = [x["sql"] for x in q.captured_queries]
        return resp.context["paginator"].count, sum(
            'FROM "registry_project"' in x and "COUNT(*)" in x for x in sql
        )

    login(client, users.reviewer)
    rows, first = counted()
    assert first == 1
    # the same list again: the total comes from the cache
    assert counted() == (rows, 0)
    # a new project on the list moves the generation: counted afresh, and right
    with django_capture_on_commit_callbacks(execute=True):
        AnnualPlanFactory(project=ProjectFactory(region=users.reviewer.profile.region), year=2026)
    assert counted() == (rows + 1, 1)


@pytest.fixture
def cache_reads(monkeypatch):
    """The figure kinds each request reads from the cache (assess:<kind>:<digest>)."""
    from django.core.cache import cache

    read = []
    real = cache.get

    def get(key, *args, **kwargs):
        parts = key.split(":")  # assess:<code version>:<kind>:<digest>, assess:generation
        read.append(parts[2] if key.startswith("assess:") and len(parts) > 3 else key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return read


def test_a_forecast_api_page_reads_only_its_slice_of_a_city(cache_on, judged, users, cache_reads):
    from assessments import forecast
    from registry.selectors import year_list

    client = APIClient()
    client.force_authenticate(users.reviewer)
    params = {"year": 2026, "month": 3, "page_size": 1}
    # the second project's forecast, as page 2 of one
    body = client.get("/api/forecast/projects/", {**params, "page": 2}).json()
    expected = forecast.outlook(year_list(2026), 2026, 3).projects
    assert body["count"] == len(expected) > 2
    assert body["results"][0]["id"] == expected[1].id
    assert body["results"][0]["forecast"]["expected"] == str(expected[1].forecast.expected)
    # asked again, the page comes from its own slice: the whole outlook is not read
    cache_reads.clear()
    again = client.get("/api/forecast/projects/", {**params, "page": 2}).json()
    assert again == body
    assert "outlook" not in cache_reads and "forecast-projects-slice" in cache_reads


@pytest.mark.parametrize(
    "url, kind", [("/api/forecast/at-risk/", "at-risk"), ("/api/dashboard/map/", "map-points")]
)
def test_long_api_lists_are_kept_as_sent(cache_on, judged, users, cache_reads, url, kind):
    client = APIClient()
    client.force_authenticate(users.reviewer)
    first = client.get(url, {"year": 2026, "month": 3})
    assert first.status_code == 200
    cache_reads.clear()
    with CaptureQueriesContext(connection) as q:
        again = client.get(url, {"year": 2026, "month": 3})
    # the same payload, read as sent: neither the rows' projects nor the figures are loaded
    assert again.json() == first.json()
    assert f"api-{kind}" in cache_reads and kind not in cache_reads
    assert len(q.captured_queries) <= 6, [x["sql"] for x in q.captured_queries]


def test_the_status_list_counts_and_orders_once_per_assessment(
    cache_on, judged, users, django_capture_on_commit_callbacks
):
    client = APIClient()
    client.force_authenticate(users.reviewer)

    def listed():
        """(ids in order, total, queries over the statuses that count or order them)"""
        with CaptureQueriesContext(connection) as q:
            body = client.get("/api/project-statuses/", {"page_size": 1}).json()
        heavy = [
            x["sql"]
            for x in q.captured_queries
            if 'FROM "assessments_projectmonthstatus"' in x["sql"]
            and ("COUNT(*)" in x["sql"] or "LIMIT" in x["sql"])
        ]
        return [r["id"] for r in body["results"]], body["count"], len(heavy)

    from assessments.models import ProjectMonthStatus

    march = ProjectMonthStatus.objects.filter(year=2026, month=3).count()
    first, total, heavy = listed()
    assert total == march and heavy == 2
    assert listed() == (first, march, 0)
    # assessing another month moves the generation: the new month's statuses come first
    with django_capture_on_commit_callbacks(execute=True):
        assess_month(year=2026, month=4)
    ids, total, heavy = listed()
    assert total == 2 * march and heavy == 2
    assert ProjectMonthStatus.objects.get(pk=ids[0]).month == 4


@pytest.mark.parametrize("kind, status", [("lagging", "lagging"), ("warning", "warning")])
def test_a_stored_list_counts_once_per_assessment(client, cache_on, judged, users, kind, status):
    from django.urls import reverse

    from assessments.models import ProjectMonthStatus
    from conftest import login

    login(client, users.reviewer)
    url = reverse("assessments:list", args=[kind])

    def listed():
        with CaptureQueriesContext(connection) as q:
            resp = client.get(url, {"year": 2026, "month": 3})
        counts = [
            x["sql"]
            for x in q.captured_queries
            if 'FROM "assessments_projectmonthstatus"' in x["sql"] and "COUNT(*)" in x["sql"]
        ]
        return resp.context["total_count"], len(counts)

    expected = ProjectMonthStatus.objects.filter(year=2026, month=3, status=status).count()
    assert listed() == (expected, 1)
    assert listed() == (expected, 0)
