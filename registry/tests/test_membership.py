"""Dated list membership (SPEC §3.8): a period counts the list as it stood at its end."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from registry import services
from registry.choices import Pool
from registry.models import AnnualPlan, Project
from registry.selectors import year_list
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NOV_END, DEC_END = datetime.date(2026, 11, 30), datetime.date(2026, 12, 31)
DEC_3 = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def on_list(project, as_of):
    return year_list(2026, as_of=as_of).filter(pk=project.pk).exists()


def set_pool(project, pool, users, reason="原因"):
    project.refresh_from_db()
    services.project_set_pool(
        project=project, pool=pool, reason=reason, version=project.version, user=users.reviewer
    )


def test_withdrawn_on_3_december_counts_for_november_not_december(city, users):
    p = city.project_a
    with time_machine.travel(DEC_3, tick=False):
        set_pool(p, Pool.WITHDRAWN, users, "资金未落实")
    assert AnnualPlan.objects.get(project=p, year=2026).withdrawn_on == datetime.date(2026, 12, 3)
    assert on_list(p, NOV_END) and not on_list(p, DEC_END)
    assert not on_list(p, None)  # the list as it stands now


def test_added_on_3_december_counts_for_december_not_november(city, users):
    p = city.project_b
    with time_machine.travel(DEC_3, tick=False):
        set_pool(p, Pool.ADDED, users, "市政府常务会议增补")
    assert not on_list(p, NOV_END) and on_list(p, DEC_END)


def test_restored_project_is_a_full_member_again(city, users):
    p = city.project_a
    with time_machine.travel(DEC_3, tick=False):
        set_pool(p, Pool.WITHDRAWN, users, "误操作")
        set_pool(p, Pool.LISTED, users, "")
    plan = AnnualPlan.objects.get(project=p, year=2026)
    assert (plan.listed_on, plan.withdrawn_on) == (None, None)
    assert on_list(p, NOV_END) and on_list(p, DEC_END)
    # the dates are audited on the plan too
    assert plan.history.filter(history_change_reason="已恢复为正式项目（2026-12-03）").exists()


def test_an_earlier_year_keeps_a_project_withdrawn_the_year_after(city, users):
    p = city.project_a
    AnnualPlanFactory(project=p, year=2025)
    with time_machine.travel(DEC_3, tick=False):
        set_pool(p, Pool.WITHDRAWN, users, "项目终止")
    assert year_list(2025, as_of=datetime.date(2025, 12, 31)).filter(pk=p.pk).exists()


def test_a_withdrawn_package_leaves_with_its_sub_projects_from_its_date(city, users):
    package = ProjectFactory(
        name="打包项目", region=city.county_a, unit=city.unit_a, is_package=True
    )
    child = ProjectFactory(name="子项目", region=city.county_a, unit=city.unit_a, package=package)
    AnnualPlanFactory(project=child)
    with time_machine.travel(DEC_3, tick=False):
        set_pool(package, Pool.WITHDRAWN, users, "整体退出")
    assert on_list(package, NOV_END) and on_list(child, NOV_END)
    assert not on_list(package, DEC_END) and not on_list(child, DEC_END)


def test_a_withdrawal_without_a_date_counts_from_the_lists_start(city):
    # given a project withdrawn before dates were kept (or around the services)
    Project.objects.filter(pk=city.project_a.pk).update(pool=Pool.WITHDRAWN, pool_reason="旧数据")
    # then no period counts it, as before
    assert not on_list(city.project_a, NOV_END)
    assert on_list(city.project_b, NOV_END)


def test_migration_dates_earlier_pool_changes_from_the_history(city, users):
    # given projects created in January, then a 退库 and a 增补 made before plans had dates
    Project.history.update(history_date=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    with time_machine.travel(DEC_3, tick=False):
        set_pool(city.project_a, Pool.WITHDRAWN, users, "资金未落实")
        set_pool(city.project_b, Pool.ADDED, users, "增补")
    AnnualPlan.objects.update(listed_on=None, withdrawn_on=None)
    # when the data migration runs
    migration = importlib.import_module("registry.migrations.0016_fill_membership_dates")
    migration.fill(apps, None)
    # then each gets its day back
    dates = dict(AnnualPlan.objects.values_list("project_id", "withdrawn_on"))
    assert dates[city.project_a.pk] == datetime.date(2026, 12, 3)
    admitted = AnnualPlan.objects.get(project=city.project_b).listed_on
    assert admitted == datetime.date(2026, 12, 3)
    assert AnnualPlan.objects.get(project=city.project_town).withdrawn_on is None


def test_project_page_shows_the_date_of_the_pool_change(client, city, users):
    with time_machine.travel(DEC_3, tick=False):
        set_pool(city.project_a, Pool.WITHDRAWN, users, "资金未落实")
    client.force_login(users.reviewer)
    page = client.get(reverse("registry:project_detail", args=[city.project_a.pk]))
    assert '（<span id="pool-date">2026-12-03</span>，资金未落实）' in page.content.decode()


def test_import_admits_a_plan_of_an_added_project_on_the_import_day(city):
    from registry.ledger_import import ledger_import
    from registry.tests.fixtures.workbooks import row, simple_ledger

    # given a 增补 project without a 2026 plan yet
    p = ProjectFactory(
        code="2026-ZB-0001", name="增补厂房", region=city.county_a, unit=city.unit_a,
        pool=Pool.ADDED, pool_reason="市政府常务会议增补",
    )  # fmt: skip
    # when the ledger brings its plan on 3 December
    data = simple_ledger([row(code="2026-ZB-0001", name="增补厂房", plan=500)])
    with time_machine.travel(DEC_3, tick=False):
        result = ledger_import(data, file_name="增补.xlsx", dry_run=False)
    # then it is on December's list, not November's
    assert result.errors == []
    assert AnnualPlan.objects.get(project=p, year=2026).listed_on == datetime.date(2026, 12, 3)
    assert not on_list(p, NOV_END) and on_list(p, DEC_END)
