from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "考核评价"

    def ready(self):
        from milestones.signals import report_approved

        report_approved.connect(_recompute_on_approval, dispatch_uid="assess-on-approval")
        _maintain_project_months()
        from django.db.models.signals import post_migrate

        post_migrate.connect(_fill_project_months, sender=self, dispatch_uid="pm-fill")
        _register_exports()
        from assessments.models import RecordEntry
        from core.cache import bump_on_writes

        bump_on_writes(RecordEntry)
        # Its statuses are written only in bulk (assess_month), which sends core's
        # rows_written: no save or delete receiver (one would also cost the fast DELETE).


def _register_exports():
    """The ledger export (page and export jobs) closes with the same 合计 as the list."""
    from assessments.exports import ledger_totals
    from registry.choices import ExportKind
    from registry.excel.ledger_export import register_ledger_export

    register_ledger_export(ExportKind.LEDGER, totals_for=ledger_totals)


def _maintain_project_months():
    """Every write of a fact-table input refreshes its projects' rows, in its transaction:
    model saves and deletes here, bulk services through core.signals.changed()."""
    from django.db.models.signals import post_delete, post_save

    from core.signals import projects_changed
    from milestones.models import ProgressReport
    from registry.models import AnnualPlan, Project, Region

    projects_changed.connect(_refresh_rows, dispatch_uid="project-months-refresh")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(_project_written, sender=Project, dispatch_uid=f"pm-project-{name}")
        signal.connect(_plan_written, sender=AnnualPlan, dispatch_uid=f"pm-plan-{name}")
        signal.connect(_report_written, sender=ProgressReport, dispatch_uid=f"pm-report-{name}")
    post_save.connect(_region_written, sender=Region, dispatch_uid="pm-region-save")


def _fill_project_months(sender, using="default", plan=None, **kwargs):
    """An upgrade's first migrate fills the fact table from the data already there (it is
    kept up to date from then on); an empty or already filled table is left alone."""
    from django.db import connections

    from assessments.models import ProjectMonth
    from assessments.project_months import rebuild
    from registry.models import AnnualPlan

    if ProjectMonth._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past the table
    if AnnualPlan.objects.using(using).exists() and not ProjectMonth.objects.using(using).exists():
        rebuild()


def _refresh_rows(sender, *, project_ids, years=None, **kwargs):
    from assessments.project_months import refresh

    refresh(project_ids, years)


def _project_written(sender, instance, **kwargs):
    from core.signals import changed

    changed([instance.pk])


def _plan_written(sender, instance, **kwargs):
    from core.signals import changed

    changed([instance.project_id])  # every year: a plan's year may have been edited


def _report_written(sender, instance, **kwargs):
    from core.signals import changed

    changed([instance.project_id], [instance.year])


def _region_written(sender, instance, created=False, **kwargs):
    """A region's level or parent decides its projects' 县区."""
    from core.signals import changed
    from registry.models import Project

    if not created:
        changed(Project.all_objects.filter(region_id=instance.pk).values_list("pk", flat=True))


def _recompute_on_approval(sender, *, project_id, year, month, **kwargs):
    """Approving a report recomputes that project's month (SPEC §3.3)."""
    from assessments.services import recompute_project

    recompute_project(project_id=project_id, year=year, month=month)
