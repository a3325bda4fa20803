from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报告"

    def ready(self):
        from reports.services import register_job_kind

        register_job_kind()

        from core.kinds import NOTICE_KINDS
        from reports.choices import ReportsNotice

        NOTICE_KINDS.register(ReportsNotice.choices)
