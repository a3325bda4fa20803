"""The database itself refuses rows that break the ledger's absolute rules."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from registry.models import (
    MONTH_FIELDS,
    AnnualPlan,
    ContractAssignment,
    Funding,
    Land,
    Project,
    Region,
    Relocation,
)
from registry.tests.factories import AnnualPlanFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_project_code_is_unique():
    # given
    p = ProjectFactory(code="2026-YX-0001")
    # when / then
    refused(lambda: ProjectFactory(code="2026-YX-0001", region=p.region))


@pytest.mark.parametrize("field", ["total_investment", "invested_before_year"])
def test_project_money_cannot_be_negative(field):
    p = ProjectFactory()
    refused(lambda: Project.objects.filter(pk=p.pk).update(**{field: Decimal("-0.01")}))


def test_planned_finish_not_before_planned_start():
    p = ProjectFactory()
    refused(
        lambda: Project.objects.filter(pk=p.pk).update(
            planned_start=datetime.date(2026, 5, 1), planned_finish=datetime.date(2026, 4, 30)
        )
    )
    # the same day is allowed
    Project.objects.filter(pk=p.pk).update(
        planned_start=datetime.date(2026, 5, 1), planned_finish=datetime.date(2026, 5, 1)
    )


def test_withdrawn_project_needs_reason():
    p = ProjectFactory()
    refused(lambda: Project.objects.filter(pk=p.pk).update(pool="withdrawn", pool_reason=""))
    Project.objects.filter(pk=p.pk).update(pool="withdrawn", pool_reason="业主放弃投资")
    assert Project.all_objects.get(pk=p.pk).pool == "withdrawn"


def test_one_annual_plan_per_project_and_year():
    plan = AnnualPlanFactory(year=2026)
    refused(
        lambda: AnnualPlan.objects.create(project=plan.project, year=2026, planned_investment=1)
    )
    AnnualPlan.objects.create(project=plan.project, year=2027, planned_investment=1)


def test_annual_plan_money_not_negative():
    p = ProjectFactory()
    refused(
        lambda: AnnualPlan.objects.create(project=p, year=2026, planned_investment=Decimal("-1"))
    )


def _schedule(values):
    return dict(zip(MONTH_FIELDS, [Decimal(v) for v in values], strict=True))


def test_monthly_schedule_rising_and_ending_at_plan_is_accepted():
    p = ProjectFactory()
    values = [100 * m for m in range(1, 13)]
    plan = AnnualPlan.objects.create(
        project=p, year=2026, planned_investment=Decimal(1200), **_schedule(values)
    )
    assert plan.planned_by_month(3) == Decimal(300)


def test_monthly_schedule_that_drops_is_refused():
    p = ProjectFactory()
    values = [100 * m for m in range(1, 13)]
    values[5] = 400  # June below May's 500
    refused(
        lambda: AnnualPlan.objects.create(
            project=p, year=2026, planned_investment=Decimal(1200), **_schedule(values)
        )
    )


def test_monthly_schedule_must_end_at_annual_plan():
    p = ProjectFactory()
    values = [100 * m for m in range(1, 13)]
    refused(
        lambda: AnnualPlan.objects.create(
            project=p, year=2026, planned_investment=Decimal(1300), **_schedule(values)
        )
    )


def test_partial_monthly_schedule_is_refused():
    p = ProjectFactory()
    refused(
        lambda: AnnualPlan.objects.create(
            project=p, year=2026, planned_investment=Decimal(1200), m01=Decimal(100)
        )
    )


def test_without_schedule_time_progress_is_month_over_twelve():
    plan = AnnualPlanFactory(planned_investment=Decimal("1200.00"))
    assert plan.schedule is None
    assert plan.planned_by_month(10) == Decimal("1000.00")


def test_funding_not_negative_and_one_row_per_source():
    p = ProjectFactory()
    refused(lambda: Funding.objects.create(project=p, source="self", planned=Decimal("-5")))
    Funding.objects.create(project=p, source="self", planned=10, in_place=5)
    refused(lambda: Funding.objects.create(project=p, source="self", planned=1))


def test_land_conversion_within_required_area():
    p = ProjectFactory()
    refused(lambda: Land.objects.create(project=p, required_area=10, farmland_conversion=11))
    refused(lambda: Land.objects.create(project=ProjectFactory(), required_area=Decimal("-1")))


def test_relocation_done_within_total():
    p = ProjectFactory()
    refused(lambda: Relocation.objects.create(project=p, households_total=5, households_done=6))


def test_only_one_current_contract_assignment():
    p = ProjectFactory()
    ContractAssignment.objects.create(
        project=p, leader=p.leader, unit=p.unit, start_on=datetime.date(2026, 1, 1)
    )
    refused(
        lambda: ContractAssignment.objects.create(
            project=p, leader=p.leader, unit=p.unit, start_on=datetime.date(2026, 2, 1)
        )
    )
    refused(
        lambda: ContractAssignment.objects.create(
            project=p,
            unit=p.unit,
            start_on=datetime.date(2026, 2, 1),
            end_on=datetime.date(2026, 1, 1),
        )
    )


def test_region_code_digits_only_and_path_follows_tree():
    city = RegionFactory(code="370100", level="city")
    county = RegionFactory(code="370102", parent=city)
    assert county.path == "/370100/370102/"
    refused(lambda: Region.objects.create(name="坏", code="37AB01", level="county"))


def test_soft_delete_hides_project_but_keeps_row():
    p = ProjectFactory()
    p.soft_delete()
    assert not Project.objects.filter(pk=p.pk).exists()
    assert Project.all_objects.get(pk=p.pk).is_deleted
