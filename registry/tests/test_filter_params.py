"""Query parameters: one answer on the page, its export and the API (registry.filter_fields).

An id outside the user's choices gives an empty list; a malformed value a 400 naming the
filter in Chinese; an unknown sort key is ignored; control characters leave free text.
"""

import io

import openpyxl
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from core.cache import figure_key
from registry.models import Project
from registry.tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db


def page(user, name, params):
    client = Client()
    client.force_login(user)
    return client.get(reverse(name), params)


def api(user, url, params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(url, params)


def xlsx_text(response):
    wb = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(
        str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v
    )


def api_codes(response):
    return {row["code"] for row in response.json()["results"]}


def test_another_countys_region_gives_an_empty_list_everywhere(city, users):
    query = {"region": city.county_b.pk}
    listing = page(users.reviewer_a, "portal:project_list", query)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "乙区项目" not in text and "甲县项目" not in text
    assert "所选所属地区不存在或不在您的范围内" in text
    export = page(users.reviewer_a, "portal:ledger_export", query)
    assert export.status_code == 200
    assert "乙区项目" not in xlsx_text(export) and "甲县项目" not in xlsx_text(export)
    assert api_codes(api(users.reviewer_a, "/api/projects/", query)) == set()


@override_settings(ASSESS_CACHE_SECONDS=60)
def test_dashboard_of_an_out_of_scope_filter_is_empty_not_an_error(city, users):
    # The figure cache keyed an empty scope by its SQL, which it has none of: a 500.
    for name in ("portal:dashboard", "portal:home"):
        response = page(users.reviewer_a, name, {"unit": city.unit_b.pk})
        assert response.status_code == 200, name
        assert "乙区住建局" not in response.content.decode()
    response = api(users.reviewer_a, "/api/dashboard/", {"leader": city.project_b.leader_id})
    assert response.status_code == 200
    assert response.json()["totals"]["count"] == 0


@pytest.mark.parametrize(
    "params,label",
    [
        ({"region": "abc"}, "所属地区"),
        ({"unit": "99999999999999999999"}, "责任单位"),
        ({"leader": "1.5"}, "分包领导"),
        ({"level": "<script>"}, "项目级别"),
        ({"q": "长" * 500}, "关键字"),
    ],
)
def test_malformed_parameter_is_a_400_naming_the_filter(city, users, params, label):
    listing = page(users.reviewer_a, "portal:project_list", params)
    assert listing.status_code == 400
    assert label in listing.content.decode()
    assert "<script>" not in listing.content.decode()
    export = page(users.reviewer_a, "portal:ledger_export", params)
    assert export.status_code == 400
    assert label in export.content.decode()
    listing_api = api(users.reviewer_a, "/api/projects/", params)
    assert listing_api.status_code == 400
    dashboard_api = api(users.reviewer_a, "/api/dashboard/", params)
    assert dashboard_api.status_code == 400
    assert label in dashboard_api.json()["detail"]


def test_unknown_sort_key_is_ignored(city, users):
    query = {"ordering": "project__unit__name,-name"}
    listing = page(users.reviewer_a, "portal:project_list", query).content.decode()
    # the known key still sorts: 甲县项目 before 甲县城关镇项目 by name, descending
    assert listing.index("甲县项目") < listing.index("甲县城关镇项目")
    assert page(users.reviewer_a, "portal:ledger_export", query).status_code == 200
    response = api(users.reviewer_a, "/api/projects/", query)
    assert response.status_code == 200
    assert api_codes(response) == {city.project_a.code, city.project_town.code}


def test_control_characters_are_dropped_from_the_search_text(city, users):
    listing = page(users.reviewer_a, "portal:project_list", {"q": "城关\x00镇\x07"})
    assert listing.status_code == 200
    assert "甲县城关镇项目" in listing.content.decode()
    response = api(users.reviewer_a, "/api/projects/", {"q": "城关\x00镇"})
    assert api_codes(response) == {city.project_town.code}


def test_unit_reporter_is_offered_and_may_pick_their_unit(city, users):
    listing = page(users.unit_clerk, "portal:project_list", {})
    form = listing.context["filter"].form
    assert city.unit_city in form.fields["unit"].queryset
    # the region of a project they report for may be picked too
    assert city.county_b in form.fields["region"].queryset
    assert city.county_a not in form.fields["region"].queryset
    picked = page(users.unit_clerk, "portal:project_list", {"unit": city.unit_city.pk})
    assert "市交通局乙区道路" in picked.content.decode()
    response = api(users.unit_clerk, "/api/units/", {})
    assert [row["name"] for row in response.json()["results"]] == ["市交通局"]


def test_county_reviewer_may_filter_by_the_mayor_contracting_a_county_project(city, users):
    mayor = LeaderFactory(name="张市长", region=city.city)
    Project.objects.filter(pk=city.project_a.pk).update(leader=mayor)
    listing = page(users.reviewer_a, "portal:project_list", {"leader": mayor.pk})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "甲县项目" in text and "甲县城关镇项目" not in text


def test_an_empty_scope_has_a_cache_key():
    key = figure_key("leaves", Project.objects.none(), 2026, 3)
    assert key == figure_key("leaves", Project.objects.filter(pk__in=[]), 2026, 3)
    assert key != figure_key("leaves", Project.objects.none(), 2026, 4)
    assert key != figure_key("leaves", Project.objects.all(), 2026, 3)
