"""Ledger API (SPEC §4.2): same scope, rules and Chinese messages as the pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from registry.models import Project
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def codes(response):
    return {row["code"] for row in response.json()["results"]}


def test_anonymous_gets_nothing(city):
    response = api().get("/api/projects/")
    assert response.status_code in (401, 403)
    assert "身份认证信息未提供" in response.json()["detail"]
    assert "results" not in response.json()


def test_token_authentication(city, users):
    token = Token.objects.create(user=users.reporter_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/projects/")
    assert response.status_code == 200
    assert codes(response) == {city.project_a.code, city.project_town.code}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("reporter_a", {"project_a", "project_town"}),
        ("unit_clerk", {"project_city_unit"}),
        ("reviewer_a", {"project_a", "project_town"}),
        ("leader_b", {"project_b", "project_city_unit"}),
        ("reviewer", {"project_a", "project_town", "project_b", "project_city_unit"}),
    ],
)
def test_project_list_is_scoped_like_the_pages(city, users, who, expected):
    response = api(getattr(users, who)).get("/api/projects/")
    assert response.status_code == 200
    assert codes(response) == {getattr(city, name).code for name in expected}


def test_out_of_scope_detail_is_404_and_detail_nests_the_dossier(city, users):
    client = api(users.reporter_a)
    assert client.get(f"/api/projects/{city.project_b.pk}/").status_code == 404
    body = client.get(f"/api/projects/{city.project_a.pk}/").json()
    assert body["code"] == city.project_a.code
    assert body["annual_plans"][0]["planned_investment"] == "1200.00"
    assert {"fundings", "land", "relocation", "approvals", "team_members", "assignments"} <= set(
        body
    )


def test_filters_are_the_pages_filtersets(city, users):
    response = api(users.reviewer).get("/api/projects/", {"region": city.county_a.pk})
    assert codes(response) == {city.project_a.code, city.project_town.code}
    # a region outside the user's scope gives nothing, as on the page and its export
    response = api(users.reviewer_a).get("/api/projects/", {"region": city.county_b.pk})
    assert response.status_code == 200
    assert codes(response) == set()
    # a region that is not an id is refused, with the filter named
    response = api(users.reviewer_a).get("/api/projects/", {"region": "abc"})
    assert response.status_code == 400
    assert "应为编号" in str(response.json()["region"])


def test_reviewer_patches_with_version_stale_is_409(city, users):
    client = api(users.reviewer)
    url = f"/api/projects/{city.project_a.pk}/"
    ok = client.patch(url, {"total_investment": "12345.67", "version": 1}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2
    assert Project.objects.get(pk=city.project_a.pk).total_investment == Decimal("12345.67")
    stale = client.patch(url, {"total_investment": "1.00", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "您看到的是旧版本" in stale.json()["detail"]
    assert Project.objects.get(pk=city.project_a.pk).total_investment == Decimal("12345.67")


def test_model_rules_come_back_in_chinese(city, users):
    url = f"/api/projects/{city.project_a.pk}/"
    response = api(users.reviewer).patch(
        url,
        {"planned_start": "2027-01-01", "planned_finish": "2026-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "计划竣工时间不能早于计划开工时间" in str(response.json())


@pytest.mark.parametrize("who", ["reporter_a", "leader_city"])
def test_reporters_and_leaders_cannot_write_the_ledger(city, users, who):
    url = f"/api/projects/{city.project_a.pk}/"
    response = api(getattr(users, who)).patch(url, {"name": "改名", "version": 1}, format="json")
    assert response.status_code == 403
    assert Project.objects.get(pk=city.project_a.pk).name == "甲县项目"


def test_county_reviewer_cannot_move_a_project_out_of_scope(city, users):
    url = f"/api/projects/{city.project_a.pk}/"
    response = api(users.reviewer_a).patch(
        url, {"region": city.county_b.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=city.project_a.pk).region == city.county_a


LIST_ENDPOINTS = ["/api/projects/", "/api/annual-plans/", "/api/regions/", "/api/units/",
                  "/api/leaders/"]  # fmt: skip


def grow(city, n):
    for _ in range(n):
        p = ProjectFactory(region=city.county_a, unit=city.unit_a)
        AnnualPlanFactory(project=p)


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_queries_do_not_grow_with_rows(city, users, endpoint):
    client = api(users.reviewer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(endpoint, {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    grow(city, 1)  # 5 projects
    count()  # the user's roles are read once, then cached on the user
    small = count()
    grow(city, 95)  # 100 projects, each with its own region, unit and leader
    assert count() == small


def test_patch_naming_read_only_fields_is_a_400_naming_them(city, users):
    project = city.project_a
    before = Project.objects.values().get(pk=project.pk)
    response = api(users.reviewer).patch(
        f"/api/projects/{project.pk}/",
        {"name": "改名", "code": "HACKED", "status_display": "x", "version": project.version},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"code", "status_display"}
    assert "“项目编号”（code）不能通过此接口修改" in errors["code"][0]
    # nothing was written, not even the writable field sent beside them
    assert Project.objects.values().get(pk=project.pk) == before
