"""seed_demo: realistic, deterministic and idempotent."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from registry.models import AnnualPlan, Leader, Project, Region, Unit

pytestmark = pytest.mark.django_db(transaction=False)


def snapshot():
    """Row count of every model plus a checksum of the ledger's money and dates."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    counts["registry.Project(all)"] = Project.all_objects.count()
    ledger = sorted(
        Project.all_objects.values_list(
            "code", "total_investment", "planned_start", "leader__name", "version"
        )
    )
    plans = sorted(AnnualPlan.objects.values_list("project__code", "planned_investment", "m06"))
    return counts, ledger, plans


def run_seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_demo_city():
    output = run_seed()
    year = datetime.date.today().year
    assert Region.objects.filter(level="county").count() == 8
    assert Region.objects.filter(level="town").count() >= 8
    assert 25 <= Unit.objects.count() <= 35
    assert 35 <= Leader.objects.count() <= 45
    assert Project.objects.filter(year=year, is_package=False).count() == 120
    levels = set(Project.objects.values_list("level", flat=True))
    natures = set(Project.objects.values_list("nature", flat=True))
    assert levels == {"province", "city", "county"}
    assert {"new", "continuing", "preparatory"} <= natures
    # every leaf project carries the 五个一 and its factors
    leaves = Project.objects.filter(is_package=False)
    assert not leaves.filter(leader__isnull=True).exists()
    assert not leaves.filter(team_members__isnull=True).exists()
    assert not leaves.filter(annual_plans__isnull=True).exists()
    assert not leaves.filter(land__isnull=True).exists()
    assert not leaves.filter(fundings__isnull=True).exists()
    # demo logins for every role are printed
    for role in ["管理员", "审核员", "领导", "填报员"]:
        assert role in output
    assert "Demo@2026" in output


def test_seed_demo_twice_changes_nothing():
    run_seed()
    before = snapshot()
    output = run_seed()
    assert snapshot() == before
    assert "新建项目 0 个" in output


def test_seed_demo_is_deterministic_for_a_seed():
    # the same seed, run on two empty databases (a rolled-back savepoint), gives the same ledger
    runs = []
    for _ in range(2):
        with transaction.atomic():
            run_seed("--projects", "30", "--seed", "7")
            runs.append(snapshot()[1:])
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert len(runs[0][0]) > 30  # 30 projects plus the package projects


def test_seed_demo_rejects_bad_count():
    with pytest.raises(CommandError, match="项目数量"):
        run_seed("--projects", "0")
