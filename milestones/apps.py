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

        from milestones.completeness import missing_for_year
        from registry.year_cycle import register_missing_check

        register_missing_check(missing_for_year)

        from milestones.models import Milestone, Problem, ProgressReport
        from registry.cache import bump_on_writes

        # The figures read approved reports; the live lists read milestones and problems.
        bump_on_writes(ProgressReport, Milestone, Problem)

        from milestones.periods import default_period
        from registry.years import register_default_year

        # Pages, exports and year selectors without a year show the default period's.
        register_default_year(lambda today: default_period(today).year)
