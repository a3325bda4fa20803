from django.apps import AppConfig


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = "项目台账"

    def ready(self):
        from registry import (
            checks,  # noqa: F401  (registers the system checks)
            middleware,  # noqa: F401  (stamps the session at login)
        )
        from registry.choices import ExportKind
        from registry.excel.ledger_export import register_ledger_export

        # Without assessments (which registers it with its 合计 row) the ledger still exports.
        register_ledger_export(ExportKind.LEDGER, default=True)
        _invalidate_figures_on_writes()


def _invalidate_figures_on_writes():
    """The ledger rows every figure reads: a save, a delete or a bulk write moves the figure
    cache's generation (ProjectMonthStatus, written only in bulk, goes through rows_written;
    a delete receiver on it would also cost the assessment its fast DELETE)."""
    from registry.cache import bump, bump_on_writes
    from registry.models import AnnualPlan, Funding, Project
    from registry.signals import rows_written

    rows_written.connect(bump, dispatch_uid="figures-bulk-rows")
    # Funding feeds the live lists' facts.
    bump_on_writes(Project, AnnualPlan, Funding)
