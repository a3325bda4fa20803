"""core.bulk.foreign_keys_checked_at_end and indexes_built_at_end (the demo seed's bulk
load): references are still checked, once at the end, and the constraints and indexes come
back exactly as they were."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from core.bulk import fast_insert, foreign_keys_checked_at_end, indexes_built_at_end
from registry.models import AnnualPlan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite's foreign keys are not dropped for a load "
        "(CI runs this with DATABASE_URL)",
    ),
]


def _constraints():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
            "condeferrable, condeferred, convalidated FROM pg_constraint "
            "WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def _plan(project_id):
    return {"project_id": project_id, "year": 2030, "planned_investment": Decimal("100.00")}


def test_a_load_keeps_its_rows_and_the_constraints(city):
    before = _constraints()
    with transaction.atomic(), foreign_keys_checked_at_end(AnnualPlan):
        fast_insert(AnnualPlan, [_plan(city.project_a.pk)])
        # during the load the plan table has no foreign keys of its own
        assert not [c for c in _constraints() if c[0] == "registry_annualplan"]
    assert _constraints() == before
    assert AnnualPlan.objects.get(year=2030).project == city.project_a


def test_a_dangling_reference_fails_the_load_and_nothing_stays(city):
    before = _constraints()
    with pytest.raises(IntegrityError):  # noqa: SIM117 (the error comes out of the load's end)
        with transaction.atomic(), foreign_keys_checked_at_end(AnnualPlan):
            fast_insert(AnnualPlan, [_plan(city.project_a.pk), _plan(987654321)])
    assert _constraints() == before
    assert not AnnualPlan.objects.filter(year=2030).exists()


def test_rows_written_before_the_load_are_checked_first(city):
    # a reference written earlier in the same transaction is checked when the load starts
    # (PostgreSQL would otherwise refuse to alter a table with pending checks)
    with pytest.raises(IntegrityError), transaction.atomic():
        fast_insert(AnnualPlan, [_plan(987654321)])
        with foreign_keys_checked_at_end(AnnualPlan):
            pass


@pytest.mark.django_db(transaction=True)
def test_it_needs_a_transaction():
    # outside one, a failed load could not put the constraints back
    with pytest.raises(RuntimeError), foreign_keys_checked_at_end(AnnualPlan):
        pass


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_indexes_are_built_again_as_they_were(city):
    before = _indexes()
    plain = [i for i in before if i[0] == "registry_annualplan" and "UNIQUE" not in i[2]]
    assert plain  # the plan table has plain indexes to drop
    with transaction.atomic(), indexes_built_at_end(AnnualPlan):
        fast_insert(AnnualPlan, [_plan(city.project_a.pk)])
        during = {i[1] for i in _indexes()}
        assert not {i[1] for i in plain} & during
    assert _indexes() == before
    assert AnnualPlan.objects.filter(year=2030).count() == 1
