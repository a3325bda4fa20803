from django.apps import AppConfig


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = "项目台账"

    def ready(self):
        from registry import import_batches  # noqa: F401  (registers the import job kind)
        from registry.choices import ExportKind
        from registry.excel.ledger_export import register_ledger_export

        # Without assessments (which registers it with its 合计 row) the ledger still exports.
        register_ledger_export(ExportKind.LEDGER, default=True)
