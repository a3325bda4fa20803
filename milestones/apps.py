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

        from core.cache import bump_on_writes
        from milestones.models import Milestone, Problem, ProgressReport

        # The figures read approved reports; the live lists read milestones and problems.
        bump_on_writes(ProgressReport, Milestone, Problem)

        from milestones.periods import default_period
        from registry.years import register_default_year

        # Pages, exports and year selectors without a year show the default period's.
        register_default_year(lambda today: default_period(today).year)
