from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform every app stands on: cache, queue, locks, bulk writes, files, jobs,
    notices, backups, spreadsheets and periods. It imports no domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "平台"

    def ready(self):
        from core import (
            checks,  # noqa: F401  (registers the system checks)
            export_jobs,  # noqa: F401  (registers the export job kind)
            middleware,  # noqa: F401  (stamps the session at login)
        )
