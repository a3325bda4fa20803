"""Without a year, every page, export and year selector shows the default period's year
(SPEC §3.5, §3.8): on 3 January, while December is still being reported, last year's list,
not the new year's. registry asks milestones' period rule through the hook it registers."""

import datetime
import io
from urllib.parse import unquote

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from conftest import login
from registry import selectors, years
from registry.tests.factories import AnnualPlanFactory, ProjectFactory
from reports import bulletin

pytestmark = pytest.mark.django_db

JAN_3 = datetime.datetime(2027, 1, 3, 10, 0)


@pytest.fixture
def new_year_started(city):
    """The 2027 list already holds one new project (its plan entered on the web)."""
    fresh = ProjectFactory(
        name="二〇二七新开工项目", year=2027, region=city.county_a, unit=city.unit_a
    )
    AnnualPlanFactory(project=fresh, year=2027)
    return fresh


def exported_names(response):
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = ws.iter_rows(min_row=3, values_only=True)
    return {row[2] for row in rows if row[2] and not str(row[2]).startswith("合计")}


@time_machine.travel(JAN_3, tick=False)
def test_on_3_january_the_default_year_is_last_years():
    assert years.current_year() == 2027  # the calendar: what is written, whether 2026 may close
    assert years.default_year() == 2026  # the default period (November 2026) decides the rest
    assert selectors.ledger_query(None)["year"] == "2026"
    assert selectors.ledger_query(None, default_year=2025)["year"] == "2025"


@time_machine.travel(datetime.datetime(2027, 2, 6, 10, 0), tick=False)
def test_once_january_is_closed_the_new_year_is_the_default():
    assert years.default_year() == 2027


@time_machine.travel(JAN_3, tick=False)
def test_the_ledger_export_without_a_year_is_last_years_list(client, city, users, new_year_started):
    login(client, users.reviewer)
    names = exported_names(client.get(reverse("portal:ledger_export")))
    assert city.project_a.name in names and new_year_started.name not in names
    # as the list shows it
    page = client.get(reverse("portal:project_list")).content.decode()
    assert city.project_a.name in page and new_year_started.name not in page
    assert '<option value="2026" selected>2026年</option>' in page


@time_machine.travel(JAN_3, tick=False)
def test_templates_and_selectors_default_to_the_periods_year(client, city, users):
    login(client, users.reviewer)
    for name, stem in (
        ("registry:ledger_template", "台账导入模板"),
        ("milestones:progress_template", "月度进度导入模板"),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert f"{stem}-2026.xlsx" in unquote(response["Content-Disposition"]), name
    # no 2027 list yet: the selectors offer the years with a list, the default one included
    assert years.list_years() == [2026]
    assert bulletin.years() == [2026]


@time_machine.travel(JAN_3, tick=False)
def test_a_year_asked_for_is_kept(client, city, users, new_year_started):
    login(client, users.reviewer)
    names = exported_names(client.get(reverse("portal:ledger_export"), {"year": "2027"}))
    assert names == {new_year_started.name}
    response = client.get(reverse("registry:ledger_template"), {"year": "2027"})
    assert "台账导入模板-2027.xlsx" in unquote(response["Content-Disposition"])
