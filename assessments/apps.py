from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "考核评价"

    def ready(self):
        from milestones.signals import report_approved

        report_approved.connect(_recompute_on_approval, dispatch_uid="assess-on-approval")
        _register_exports()
        # Its statuses are written only in bulk (assess_month), which sends core's
        # rows_written: no save or delete receiver (one would also cost the fast DELETE).


def _register_exports():
    """The ledger export (page and export jobs) closes with the same 合计 as the list."""
    from assessments.exports import ledger_totals
    from registry.choices import ExportKind
    from registry.excel.ledger_export import register_ledger_export

    register_ledger_export(ExportKind.LEDGER, totals_for=ledger_totals)


def _recompute_on_approval(sender, *, project_id, year, month, **kwargs):
    """Approving a report recomputes that project's month (SPEC §3.3)."""
    from assessments.services import recompute_project

    recompute_project(project_id=project_id, year=year, month=month)
