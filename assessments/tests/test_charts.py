"""Dashboard charts: the hand-computed city of test_metrics, through the API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.tests.helpers import leaf
from assessments.tests.test_metrics import hand_city  # noqa: F401 - the fixture
from registry.tests.factories import make_user

pytestmark = pytest.mark.django_db
D = Decimal


def charts(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/dashboard/charts/", {"year": 2026, "month": 3, **params}).json()


@pytest.fixture
def city_leader(hand_city):  # noqa: F811
    from registry.choices import Role
    from registry.models import Region

    return make_user("leader_hand", Role.LEADER, region=Region.objects.get(code="380100"))


def test_chart_figures_equal_the_hand_computation(hand_city, city_leader):  # noqa: F811
    data = charts(city_leader)
    # statuses: 2 滞后, 3 预警, 2 正常, 1 较快, 1 未报 (test_metrics' table)
    assert [(s["label"], s["count"]) for s in data["statuses"]] == [
        ("滞后", 2), ("预警", 3), ("正常", 2), ("较快", 1), ("未报", 1)
    ]  # fmt: skip
    # trend: 710, 1410 and 2105万元 done of a 9700万元 plan (B2's February counts in March)
    assert data["trend"]["months"] == ["1月", "2月", "3月"]
    assert [D(x) for x in data["trend"]["ytd"]] == [D("0.07"), D("0.14"), D("0.21")]
    assert [D(x) for x in data["trend"]["plan_due"]] == [D("0.08"), D("0.16"), D("0.24")]
    assert [D(x) for x in data["trend"]["rate"]] == [D("7.32"), D("14.54"), D("21.70")]
    assert D(data["time_progress"]) == D("25.00")
    regions = {r["name"]: D(r["completion_rate"]) for r in data["regions"]}
    assert regions == {"甲县": D("15.59"), "乙县": D("24.74"), "丙县": D("25.40")}
    assert [(r["rank"], r["name"]) for r in data["ranking"]][0] == (1, "乙县")


def test_the_same_queries_for_5_and_100_projects(city, users):
    def count():
        with CaptureQueriesContext(connection) as q:
            charts(users.leader_city)
        return len(q.captured_queries)

    for _ in range(5):
        leaf(region=city.county_a, unit=city.unit_a, reports=[(1, "10"), (2, "20"), (3, "30")])
    count()  # the first call also caches the user's roles on the user object
    few = count()
    for _ in range(95):
        leaf(region=city.county_b, unit=city.unit_b, reports=[(1, "10"), (2, "20"), (3, "30")])
    assert count() == few


def test_map_points_are_the_scope_s_located_leaves_with_their_status(city, users):

    from assessments.services import assess_month

    a = leaf(
        region=city.county_a, unit=city.unit_a, reports=[(3, "300")], lat=D("27.6"), lng=D("115.1")
    )
    b = leaf(
        region=city.county_b, unit=city.unit_b, reports=[(3, "300")], lat=D("27.4"), lng=D("114.9")
    )
    leaf(region=city.county_a, unit=city.unit_a, reports=[(3, "300")])  # no coordinates
    assess_month(year=2026, month=3)
    client = APIClient()
    client.force_authenticate(users.leader_b)
    body = client.get("/api/dashboard/map/", {"year": 2026, "month": 3}).json()
    assert [p["id"] for p in body["points"]] == [b.pk]
    assert body["points"][0]["lat"] == "27.400000" and body["points"][0]["status_label"]
    assert body["outline"].endswith(".geojson")
    client.force_authenticate(users.leader_city)
    ids = {
        p["id"]
        for p in client.get("/api/dashboard/map/", {"year": 2026, "month": 3}).json()["points"]
    }
    assert ids == {a.pk, b.pk}


def test_a_county_user_s_charts_break_down_by_town(city, users):
    from assessments.services import assess_month

    leaf(region=city.county_a, unit=city.unit_a, plan="1000", reports=[(3, "300")])
    leaf(region=city.town_a, unit=city.unit_a, plan="1000", reports=[(3, "100")])
    leaf(region=city.county_b, unit=city.unit_b, plan="1000", reports=[(3, "900")])
    assess_month(year=2026, month=3)
    towns = {t["name"]: D(t["completion_rate"]) for t in charts(users.reviewer_a)["towns"]}
    # county A's own projects (its fixture project plans 1200 with nothing done) and the town's
    assert towns == {"甲县本级": D("13.64"), "甲县城关镇": D("4.55")}
    assert charts(users.leader_city)["towns"] == []  # the whole city: by county instead
