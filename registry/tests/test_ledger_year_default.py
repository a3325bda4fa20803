"""The ledger list and its export default to the current year's list (SPEC §3.5); an empty
年度 shows every year (the demo's finished 2025 projects are not mixed into this year's)."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from registry.models import AnnualPlan
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(city):
    this_year = timezone.localdate().year
    old = ProjectFactory(
        name="去年已竣工项目", year=this_year - 1, region=city.county_a, unit=city.unit_a
    )
    AnnualPlanFactory(project=old, year=this_year - 1)
    for p in (city.project_a, city.project_b):
        AnnualPlan.objects.get_or_create(
            project=p, year=this_year, defaults={"planned_investment": "100.00"}
        )
    return this_year, old


def names_in_export(response):
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[2] for row in ws.iter_rows(min_row=3, values_only=True) if row[2]}


def test_list_and_export_default_to_this_years_list(client, city, users, two_years):
    this_year, old = two_years
    login(client, users.reviewer)

    page = client.get(reverse("portal:project_list")).content.decode()
    exported = names_in_export(client.get(reverse("portal:ledger_export")))

    assert city.project_a.name in page and old.name not in page
    assert f'<option value="{this_year}" selected>{this_year}年</option>' in page
    assert city.project_a.name in exported and old.name not in exported


def test_last_year_and_all_years_on_request(client, city, users, two_years):
    this_year, old = two_years
    login(client, users.reviewer)
    last = client.get(reverse("portal:project_list"), {"year": this_year - 1}).content.decode()
    every = client.get(reverse("portal:project_list") + "?year=").content.decode()
    assert old.name in last and city.project_a.name not in last
    assert old.name in every and city.project_a.name in every
