"""The monthly fact table: maintained by every write path, equal to a rebuild from scratch."""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from assessments import metrics
from assessments.models import ProjectMonth
from assessments.project_months import differences, rebuild
from assessments.services import assess_month
from core.signals import batched_changes, changed
from milestones.choices import MilestoneKind, ReportStatus
from milestones.models import ProgressReport
from milestones.selectors import approved_ytd
from milestones.services import milestone_save, report_approve, year_cycle
from milestones.tests.factories import MilestoneFactory, ProgressReportFactory
from registry.choices import Pool, Role
from registry.models import MONTH_FIELDS, AnnualPlan, Project
from registry.services import project_set_pool
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def admin():
    return make_user("pm-admin", role=Role.ADMIN, is_superuser=True, is_staff=True)


def _world(rng):
    county = RegionFactory(level="county")
    town = RegionFactory(level="town", parent=county)
    package = ProjectFactory(is_package=True, region=county, year=2026)
    leaves = []
    for i in range(8):
        p = ProjectFactory(
            year=2026,
            region=town if i % 2 else county,
            package=package if i < 3 else None,
            planned_start=datetime.date(2026, rng.randint(1, 10), 1),
            started_on=datetime.date(2026, rng.randint(1, 12), 5) if i % 3 else None,
        )
        AnnualPlanFactory(
            project=p, year=2026, planned_investment=Decimal(rng.randint(1, 50) * 100)
        )
        leaves.append(p)
    return county, town, package, leaves


def _report(project, month, rng, status=ReportStatus.SUBMITTED):
    report, _ = ProgressReport.objects.get_or_create(
        project=project,
        year=2026,
        month=month,
        defaults={"status": status, "invested_ytd": Decimal(rng.randint(0, 5000))},
    )
    return report


def _step(rng, admin, world):
    county, town, package, leaves = world
    p = rng.choice(leaves)
    action = rng.randrange(9)
    if action == 0:  # approval through the review service
        report = _report(p, rng.randint(1, 10), rng)
        if report.status != ReportStatus.APPROVED:
            report.status = ReportStatus.SUBMITTED
            report.save()
            report_approve(report=report, user=admin)
    elif action == 1:  # a plan edit
        plan = AnnualPlan.objects.get(project=p, year=2026)
        plan.planned_investment = Decimal(rng.randint(1, 60) * 100)
        for i, name in enumerate(MONTH_FIELDS, 1):  # a schedule rising to the plan
            setattr(plan, name, (plan.planned_investment * i / 12).quantize(Decimal("0.01")))
        plan.plan_start = not plan.plan_start
        plan.save()
    elif action == 2:  # a pool change (dated membership)
        p.refresh_from_db()
        pool = Pool.WITHDRAWN if p.pool != Pool.WITHDRAWN else Pool.LISTED
        on = datetime.date(2026, rng.randint(1, 11), rng.randint(1, 28))
        project_set_pool(project=p, pool=pool, reason="测试", version=p.version, user=admin, on=on)
    elif action == 3:  # a start milestone recorded: the project's start date moves
        ms = MilestoneFactory(project=p, kind=MilestoneKind.START, actual_on=None)
        milestone_save(
            milestone=ms, data={"actual_on": datetime.date(2026, rng.randint(1, 11), 2)}, user=admin
        )
    elif action == 4:  # the package's own level and nature (its sub-projects file under them)
        package.refresh_from_db()
        package.level = rng.choice(["province", "city", "county"])
        package.save()
    elif action == 5:  # an approved report withdrawn into a draft, or deleted
        report = ProgressReport.objects.filter(project=p).order_by("?").first()
        if report is not None and rng.random() < 0.5:
            report.delete()
        elif report is not None:
            report.status = ReportStatus.DRAFT
            report.save()
    elif action == 6:  # a month judged (statuses copied into the rows)
        assess_month(year=2026, month=rng.randint(1, 10))
    elif action == 7:  # a bulk write that names its projects
        with batched_changes():
            AnnualPlan.objects.filter(project=p).update(plan_finish=True)
            ProgressReport.objects.filter(project=p, status=ReportStatus.APPROVED).update(
                is_resumed=True
            )
            changed([p.pk], [2026])
    else:  # a town moved into the county's own level
        town.refresh_from_db()
        town.level = "county" if town.level == "town" else "town"
        town.save()


def test_maintained_table_equals_rebuilt_after_random_changes(clock, admin):
    for seed in (1, 2):
        rng = random.Random(seed)
        world = _world(rng)
        for _ in range(30):
            _step(rng, admin, world)
            assert differences() == [], f"seed {seed}"
        ProjectMonth.objects.all().delete()
        rebuild()
        assert differences() == []
        _agrees_with_approved_ytd()


def _agrees_with_approved_ytd():
    """The table's year-to-date is THE approved_ytd selector's, month by month (one rule)."""
    ids = list(Project.all_objects.values_list("pk", flat=True))
    for month in range(1, 13):
        want = {
            pk: (done.amount, done.month)
            for pk, done in approved_ytd(year=2026, month=month, project_ids=ids).items()
        }
        have = {
            r.project_id: (r.ytd, r.ytd_month)
            for r in ProjectMonth.objects.filter(year=2026, month=month, ytd_month__gt=0)
        }
        assert have == want, month


def test_year_cycle_carries_rows_into_the_new_year(clock, admin):
    rng = random.Random(7)
    _world(rng)
    with time_machine.travel(datetime.datetime(2027, 1, 10, 10, tzinfo=datetime.UTC), tick=False):
        year_cycle.apply(from_year=2026, user=admin, confirmed=True)
    assert ProjectMonth.objects.filter(year=2027).exists()
    assert differences() == []


def test_rows_carry_the_figures_inputs(clock):
    county = RegionFactory(level="county")
    p = ProjectFactory(year=2026, region=county, started_on=datetime.date(2026, 3, 1))
    schedule = {name: Decimal(100 * i) for i, name in enumerate(MONTH_FIELDS, 1)}
    AnnualPlanFactory(project=p, year=2026, planned_investment=Decimal("1200"), **schedule)
    ProgressReportFactory(project=p, month=2, status=ReportStatus.APPROVED, invested_ytd=100)
    ProgressReportFactory(project=p, month=4, status=ReportStatus.SUBMITTED, invested_ytd=900)
    rows = {r.month: r for r in ProjectMonth.objects.filter(project=p, year=2026)}
    assert sorted(rows) == list(range(1, 13))
    assert (rows[1].ytd, rows[2].ytd, rows[4].ytd, rows[4].ytd_month) == (0, 100, 100, 2)
    assert rows[3].plan_cum == Decimal("300") and rows[3].plan == Decimal("1200")
    assert rows[1].county_id == county.pk and rows[1].top_id == p.pk
    # Only final approval counts: the April report is still waiting.
    f = metrics.totals(Project.objects.filter(pk=p.pk), 2026, 4)
    assert f.ytd == Decimal("100.00")


def test_rebuild_command_and_check(clock):
    rng = random.Random(3)
    _world(rng)
    ProjectMonth.objects.all().delete()
    with pytest.raises(Exception, match="不一致"):
        call_command("rebuild_project_months", "--check")
    call_command("rebuild_project_months")
    call_command("rebuild_project_months", "--check")
    assert ProjectMonth.objects.count() == 8 * 12


def test_an_upgrades_first_migrate_fills_the_table(clock):
    from assessments.apps import _fill_project_months

    _world(random.Random(5))
    ProjectMonth.objects.all().delete()  # as before the upgrade
    _fill_project_months(sender=None)
    assert ProjectMonth.objects.count() == 8 * 12 and differences() == []


def test_trend_is_one_query_and_equals_each_months_totals(clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments import charts

    rng = random.Random(11)
    _world(rng)
    for p in Project.objects.filter(is_package=False)[:5]:
        for month in (2, 5, 9):
            _report(p, month, rng, status=ReportStatus.APPROVED)
    scope = Project.objects.all()
    with CaptureQueriesContext(connection) as one:
        trend = metrics.money_by_month(scope, 2026, 10)
    assert len(one.captured_queries) == 1
    for month, f in trend:
        whole = metrics.totals(scope, 2026, month)
        assert (f.ytd, f.annual_plan, f.completion_rate, f.time_progress) == (
            whole.ytd,
            whole.annual_plan,
            whole.completion_rate,
            whole.time_progress,
        )
    # The dashboard's charts: the same statements for a two-month and a ten-month trend.
    counts = []
    for month in (2, 10):
        with CaptureQueriesContext(connection) as ctx:
            charts.charts(scope, 2026, month)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
