from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "考核评价"

    def ready(self):
        from milestones.signals import report_approved

        report_approved.connect(_recompute_on_approval, dispatch_uid="assess-on-approval")
        _invalidate_figures_on_writes()
        _register_exports()


def _register_exports():
    """The ledger export (page and export jobs) closes with the same 合计 as the list."""
    from assessments.exports import ledger_totals
    from registry.choices import ExportKind
    from registry.excel.ledger_export import register_ledger_export

    register_ledger_export(ExportKind.LEDGER, totals_for=ledger_totals)


def _invalidate_figures_on_writes():
    """Every save or delete of what the figures read moves core.cache's generation."""
    from django.db.models.signals import post_delete, post_save

    from assessments.models import RecordEntry
    from core.cache import bump
    from core.signals import rows_written
    from milestones.models import Milestone, Problem, ProgressReport
    from registry.models import AnnualPlan, Funding, Project

    rows_written.connect(bump, dispatch_uid="figures-bulk-rows")
    # ProjectMonthStatus is written only through assess_month's bulk insert (rows_written);
    # a delete receiver on it would also cost assess its fast DELETE.
    # Milestones, problems and funding feed the live lists' facts (assessments.selectors).
    for model in (Project, AnnualPlan, ProgressReport, Milestone, Problem, Funding, RecordEntry):
        for signal in (post_save, post_delete):
            signal.connect(bump, sender=model, dispatch_uid=f"figures-{model.__name__}-{signal}")


def _recompute_on_approval(sender, *, project_id, year, month, **kwargs):
    """Approving a report recomputes that project's month (SPEC §3.3)."""
    from assessments.services import recompute_project

    recompute_project(project_id=project_id, year=year, month=month)
