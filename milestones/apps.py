from django.apps import AppConfig

from milestones.choices import MilestonesExport


class MilestonesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "milestones"
    verbose_name = "计划进度"

    def ready(self):
        from core.export_jobs import register_export
        from milestones.exports import problem_rows, problems_workbook

        register_export(MilestonesExport.PROBLEMS, rows=problem_rows, build=problems_workbook)

        from core.kinds import NOTICE_KINDS
        from milestones.choices import MilestonesImport, MilestonesNotice
        from registry.choices import register_import_kind

        NOTICE_KINDS.register(MilestonesNotice.choices)
        register_import_kind(
            MilestonesImport.PROGRESS, confirm_url_name="milestones:progress_import_confirm"
        )

        from milestones.completeness import missing_for_year
        from registry.year_cycle import register_missing_check

        register_missing_check(missing_for_year)
