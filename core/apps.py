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
        from core.cache import bump
        from core.signals import rows_written

        # A bulk write (COPY, executemany) bypasses save signals: it says so, and the figures
        # let go. Each app names its own models' saves and deletes (cache.bump_on_writes).
        rows_written.connect(bump, dispatch_uid="figures-bulk-rows")
