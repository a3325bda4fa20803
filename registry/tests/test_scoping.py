"""The one scoping rule, role by role: own region, child region, other region."""

import pytest

from registry.models import AnnualPlan
from registry.scoping import scope_queryset, visible_projects, visible_regions


def names(user):
    return set(visible_projects(user).values_list("name", flat=True))


ALL = {"甲县项目", "甲县城关镇项目", "乙区项目", "市交通局乙区道路"}


@pytest.mark.django_db
class TestVisibleProjects:
    def test_county_reporter_sees_own_county_and_its_towns_only(self, users):
        assert names(users.reporter_a) == {"甲县项目", "甲县城关镇项目"}

    def test_other_county_reporter_sees_only_theirs(self, users):
        assert names(users.reporter_b) == {"乙区项目", "市交通局乙区道路"}

    def test_unit_clerk_sees_their_unit_projects_in_any_region(self, users):
        assert names(users.unit_clerk) == {"市交通局乙区道路"}

    def test_city_reviewer_sees_all(self, users):
        assert names(users.reviewer) == ALL

    def test_county_reviewer_sees_county_subtree(self, users):
        assert names(users.reviewer_a) == {"甲县项目", "甲县城关镇项目"}

    def test_city_leader_sees_all_county_leader_their_subtree(self, users):
        assert names(users.leader_city) == ALL
        assert names(users.leader_b) == {"乙区项目", "市交通局乙区道路"}

    def test_admin_sees_all(self, users):
        assert names(users.admin) == ALL

    def test_user_without_role_sees_nothing(self, users):
        assert names(users.nobody) == set()

    def test_anonymous_sees_nothing(self, city):
        from django.contrib.auth.models import AnonymousUser

        assert names(AnonymousUser()) == set()

    def test_soft_deleted_projects_are_invisible(self, users, city):
        city.project_a.soft_delete()
        assert "甲县项目" not in names(users.reporter_a)


@pytest.mark.django_db
def test_scope_queryset_filters_rows_through_project(users):
    plans = scope_queryset(users.reporter_a, AnnualPlan.objects.all())
    assert {p.project.name for p in plans} == {"甲县项目", "甲县城关镇项目"}


@pytest.mark.django_db
def test_visible_regions(users, city):
    assert set(visible_regions(users.reporter_a)) == {city.county_a, city.town_a}
    assert set(visible_regions(users.reviewer)) == {
        city.city,
        city.county_a,
        city.county_b,
        city.town_a,
    }
    assert not visible_regions(users.nobody).exists()
