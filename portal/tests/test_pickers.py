"""Every pick list and filter choice of units and leaders comes from registry.scoping: a
unit's reporter is offered their unit, a county reviewer their county's units and leaders
(and, in a filter, those of the projects they see), and a stored value outside the pick list
is kept when a form is saved unchanged."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import login
from milestones.forms import LetterForm, ProblemForm
from milestones.tests.factories import ProblemFactory
from registry.forms import ProjectForm
from registry.forms_project import ProjectCreateForm
from registry.models import Leader
from registry.scoping import OUTSIDE_PICK_LIST
from registry.tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(city):
    a = LeaderFactory(name="甲县副县长", region=city.county_a)
    b = LeaderFactory(name="乙区副区长", region=city.county_b)
    mayor = LeaderFactory(name="市长", region=city.city)
    city.project_a.leader = mayor  # a county project contracted by the mayor
    city.project_a.save()
    city.project_b.leader = b
    city.project_b.save()
    return a, b, mayor


def ledger_filter(client, user):
    login(client, user)
    page = client.get(reverse("portal:project_list"))
    assert page.status_code == 200
    form = page.context["filter"].form
    return (
        {u.name for u in form.fields["unit"].queryset},
        {ld.name for ld in form.fields["leader"].queryset},
    )


def test_a_units_reporter_is_offered_exactly_its_unit_in_the_ledger_filter(client, users):
    units, _leaders = ledger_filter(client, users.unit_clerk)
    assert units == {"市交通局"}
    page = client.get(reverse("portal:project_list"))
    assert "<option value" in page.content.decode().split('name="unit"')[1].split("</select>")[0]


def county_leaders(region) -> set[str]:
    return set(
        Leader.objects.filter(region__path__startswith=region.path).values_list("name", flat=True)
    )


def test_a_county_reviewer_filters_by_its_countys_units_and_leaders(client, city, users, leaders):
    units, names = ledger_filter(client, users.reviewer_a)
    assert units == {"甲县发改局"}
    # the mayor contracts one of the county's projects: a filter may pick him, county B's not
    assert names == county_leaders(city.county_a) | {"市长"}
    assert "乙区副区长" not in names


def test_a_county_reviewer_picks_its_countys_units_and_leaders_in_the_forms(users, city, leaders):
    create = ProjectCreateForm(user=users.reviewer_a)
    assert {u.name for u in create.fields["unit"].queryset} == {"甲县发改局"}
    assert {ld.name for ld in create.fields["leader"].queryset} == county_leaders(city.county_a)
    edit = ProjectForm(instance=city.project_town, user=users.reviewer_a)
    assert {u.name for u in edit.fields["unit"].queryset} == {"甲县发改局"}
    assert {ld.name for ld in edit.fields["leader"].queryset} == county_leaders(city.county_a)


def test_a_stored_value_outside_the_pick_list_is_kept_and_labelled(users, city, leaders):
    # county A's reviewer edits the project the mayor contracts
    form = ProjectForm(instance=city.project_a, user=users.reviewer_a)
    field = form.fields["leader"]
    assert {ld.name for ld in field.queryset} == county_leaders(city.county_a) | {"市长"}
    label = field.label_from_instance(leaders[2])
    assert label.startswith("市长") and label.endswith(OUTSIDE_PICK_LIST)
    assert not field.label_from_instance(leaders[0]).endswith(OUTSIDE_PICK_LIST)
    assert "乙区副区长" not in {ld.name for ld in field.queryset}


def test_the_api_keeps_the_stored_leader_and_refuses_another_countys(users, city, leaders):
    api = APIClient()
    api.force_authenticate(users.reviewer_a)
    url = f"/api/projects/{city.project_a.pk}/"
    project = api.get(url).json()
    same = api.patch(url, {"leader": project["leader"], "version": project["version"]})
    assert same.status_code == 200, same.content
    other = api.patch(url, {"leader": leaders[1].pk, "version": same.json()["version"]})
    assert other.status_code == 400


def test_a_problems_unit_and_its_projects_stay_offered(users, city):
    # a problem of county A's project assigned (by the city) to the city's unit
    problem = ProblemFactory(project=city.project_a, responsible_unit=city.unit_city)
    form = ProblemForm(instance=problem, user=users.reporter_a, can_supervise=False)
    assert {u.name for u in form.fields["responsible_unit"].queryset} == {"甲县发改局", "市交通局"}


def test_a_letter_goes_to_the_units_of_what_the_reviewer_sees(users, city):
    ProblemFactory(project=city.project_a, responsible_unit=city.unit_city)
    form = LetterForm(user=users.reviewer_a)
    assert {u.name for u in form.fields["recipient"].queryset} == {"甲县发改局", "市交通局"}
    everyone = LetterForm(user=users.reviewer)
    assert {"甲县发改局", "乙区住建局", "市交通局"} <= {
        u.name for u in everyone.fields["recipient"].queryset
    }
