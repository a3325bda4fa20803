"""Dates for the pool changes made before list membership was dated (SPEC §3.8).

The date of a project's latest move into its current pool is read from its history
(django-simple-history): a 退库 dates the withdrawal on all its plans (an earlier year's list
keeps the project to its end), a 增补 the admission on the plans of that day's year on. A project created already withdrawn is withdrawn from its creation
day. A project created as 增补 with no later change keeps an empty admission date: it counts
from the list's start, as it did before (its admission day is not known).
"""

from django.db import migrations
from django.utils import timezone

WITHDRAWN, ADDED = "withdrawn", "added"


def _moved_on(history, pool):
    """The local day of the latest change into `pool`, or None when it was always there."""
    rows = list(history)
    for prev, row in zip(reversed(rows[:-1]), reversed(rows[1:]), strict=True):
        if row.pool == pool and prev.pool != pool:
            return timezone.localdate(row.history_date)
    return None


def fill(apps, schema_editor):
    Project = apps.get_model("registry", "Project")
    HistoricalProject = apps.get_model("registry", "HistoricalProject")
    AnnualPlan = apps.get_model("registry", "AnnualPlan")
    for project in Project.objects.filter(pool__in=[WITHDRAWN, ADDED]).order_by("pk"):
        history = HistoricalProject.objects.filter(id=project.pk).order_by(
            "history_date", "history_id"
        )
        day = _moved_on(history.only("pool", "history_date"), project.pool)
        plans = AnnualPlan.objects.filter(project_id=project.pk)
        if project.pool == WITHDRAWN:
            day = day or timezone.localdate(project.created_at)
            plans.filter(withdrawn_on__isnull=True).update(withdrawn_on=day)
        elif day is not None:
            plans.filter(year__gte=day.year).update(listed_on=day)


class Migration(migrations.Migration):
    dependencies = [("registry", "0015_annualplan_membership_dates")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
