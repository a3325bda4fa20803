"""Data migrations: role groups on a real install; plan/land history has a starting point."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from registry.choices import Role
from registry.models import AnnualPlan, Land, Region
from registry.tests.factories import ProjectFactory, make_user


@pytest.mark.django_db
def test_a_migrated_database_has_the_four_role_groups():
    # given only the migrations (the test database), no seed_demo
    # then the role groups exist, and only 管理员 holds model permissions
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(r.value for r in Role)
    admin = Group.objects.get(name=Role.ADMIN.value)
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in admin.permissions.all()}
    assert {
        "registry.add_region",
        "registry.change_project",
        "registry.view_historicalannualplan",
        "milestones.change_problem",
        "assessments.change_ruleset",
        "auth.change_user",
        "auth.add_group",
        "axes.delete_accessattempt",
    } <= codes
    assert not any(c.startswith("sessions.") for c in codes)
    for role in (Role.REPORTER, Role.REVIEWER, Role.LEADER):
        assert not Group.objects.get(name=role.value).permissions.exists()


@pytest.mark.django_db
def test_a_staff_admin_who_is_not_superuser_can_manage_regions(client):
    # given an administrator account made on a real install: staff, in 管理员, no superuser
    user = make_user("it_admin", Role.ADMIN, is_staff=True)
    client.force_login(user)
    # when they open the admin and add a county
    assert client.get(reverse("admin:registry_region_changelist")).status_code == 200
    resp = client.post(
        reverse("admin:registry_region_add"),
        {"name": "新设县", "code": "379901", "level": "county", "parent": ""},
    )
    # then it is saved
    assert resp.status_code == 302, resp.text[:2000]
    assert Region.objects.filter(name="新设县").exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_a_reviewer_in_staff_without_admin_role_cannot_use_the_admin(client):
    user = make_user("staff_reviewer", Role.REVIEWER, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:registry_region_changelist")).status_code == 403


@pytest.mark.django_db
def test_seed_demo_reuses_the_groups(capsys):
    call_command("seed_demo", "--projects", "10")
    assert Group.objects.count() == 4
    assert Group.objects.get(name=Role.ADMIN.value).user_set.filter(username="admin").exists()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _models_at(executor, node):
    """Models as they were at a migration (today's models may have columns not there yet)."""
    return executor.loader.project_state(node).apps


def _without_fact_table(make):
    """Today's model saved at an old schema: the fact table it would refresh is not there yet
    (migrations' own models never send these signals)."""
    from assessments.apps import _refresh_rows
    from core.signals import projects_changed

    projects_changed.disconnect(dispatch_uid="project-months-refresh")
    try:
        return make()
    finally:
        projects_changed.connect(_refresh_rows, dispatch_uid="project-months-refresh")


@pytest.mark.django_db(transaction=True)
def test_migrations_run_again_without_duplicates_and_give_old_rows_a_baseline():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # given a database from before plan/land history, holding a plan and a land row
        node = ("registry", "0007_project_statistics_registration")
        old = _models_at(_migrate([node]), node)
        project = _without_fact_table(ProjectFactory)
        old.get_model("registry", "AnnualPlan").objects.create(
            project_id=project.pk, year=2026, planned_investment=Decimal("800.00")
        )
        old.get_model("registry", "Land").objects.create(
            project_id=project.pk, required_area=Decimal("5.00")
        )
        # when it is migrated forward, and the role-group step is run a second time
        _migrate(latest)
        perms = Group.objects.get(name=Role.ADMIN.value).permissions.count()
        _migrate([("registry", "0008_plan_land_history")])
        _migrate(latest)
    finally:
        _migrate(latest)
    # then the groups are not duplicated and keep their permissions
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(r.value for r in Role)
    assert Group.objects.get(name=Role.ADMIN.value).permissions.count() == perms > 100
    assert Permission.objects.filter(codename="add_region").count() == 1
    # and the existing plan and land each have one "created" record to compare changes with
    (plan_rec,) = AnnualPlan.history.all()
    (land_rec,) = Land.history.all()
    assert plan_rec.planned_investment == Decimal("800.00") and plan_rec.history_type == "+"
    assert land_rec.required_area == Decimal("5.00") and land_rec.project_id == project.pk
