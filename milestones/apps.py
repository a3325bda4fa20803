from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "milestones"
    verbose_name = "计划进度"

    def ready(self):
        from milestones.exports import problem_rows, problems_workbook
        from registry.choices import ExportKind
        from registry.export_jobs import register_export

        register_export(ExportKind.PROBLEMS, rows=problem_rows, build=problems_workbook)
