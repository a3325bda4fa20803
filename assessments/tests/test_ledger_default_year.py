"""The ledger list without a year shows the default period's list: on 3 January, while
December is still being reported, that is last year's list, not the new year's (empty) one."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import login

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2027, 1, 3, 10, 0), tick=False)
def test_on_3_january_the_ledger_opens_on_last_years_list(client, city, users):
    login(client, users.reviewer)
    page = client.get(reverse("portal:project_list"))
    assert page.status_code == 200
    shown = {p.pk for p in page.context["projects"]}
    assert city.project_a.pk in shown and city.project_b.pk in shown
    assert page.context["filter"].form["year"].value() == "2026"


@time_machine.travel(datetime.datetime(2027, 1, 3, 10, 0), tick=False)
def test_a_year_asked_for_is_kept(client, city, users):
    login(client, users.reviewer)
    page = client.get(reverse("portal:project_list"), {"year": "2027"})
    assert city.project_a.pk not in {p.pk for p in page.context["projects"]}
