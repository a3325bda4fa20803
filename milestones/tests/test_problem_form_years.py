"""The problem form lists the open year's projects first; an earlier year's project is
labelled with its year (a closed year's project used to head the list)."""

import datetime

import time_machine
from django.urls import reverse

from conftest import login
from registry.models import ListYear
from registry.tests.factories import ProjectFactory


@time_machine.travel(datetime.datetime(2026, 5, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_open_years_projects_come_first_and_older_ones_name_their_year(client, city, users):
    # given a closed 2025 project whose code sorts before every 2026 one
    ListYear.objects.create(year=2025, closed=True)
    old = ProjectFactory(year=2025, code="0000-OLD", name="去年项目", region=city.county_a,
                         unit=city.unit_a)  # fmt: skip
    login(client, users.reviewer)
    # when the city opens the new-problem form
    field = client.get(reverse("milestones:problem_create")).context["form"]["project"]
    choices = [(str(c.data["value"]), c.data["label"]) for c in field.subwidgets if c.data["value"]]
    # then every 2026 project comes before the 2025 one, which is labelled with its year
    assert choices[-1] == (str(old.pk), "0000-OLD 去年项目（2025年，已关闭）")
    first = choices[0]
    assert "（" not in first[1] and first[0] != str(old.pk)
    assert len(choices) > 1
