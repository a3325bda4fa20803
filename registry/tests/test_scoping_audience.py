"""`reporters_of` and `reviewers_of` are the scope rule read backwards: the people of a role
who see a project are exactly those `visible_projects` gives it to."""

import pytest

from registry.choices import Role
from registry.roles import has_role
from registry.scoping import reporters_of, reviewers_of, visible_projects

pytestmark = pytest.mark.django_db


def test_audience_is_the_scope_rule_backwards(city, users):
    people = [u for u in vars(users).values()]
    for project in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        for role, audience in ((Role.REPORTER, reporters_of), (Role.REVIEWER, reviewers_of)):
            expected = {
                u.username for u in people
                if has_role(u, role) and visible_projects(u).filter(pk=project.pk).exists()
            }  # fmt: skip
            got = set(audience(project).values_list("username", flat=True))
            assert got == expected, (project.name, role)


def test_a_task_given_to_another_unit_reaches_its_reporters(city, users):
    got = set(reporters_of(city.project_b, city.unit_city).values_list("username", flat=True))
    assert got == {"reporter_b", "unit_clerk"}
