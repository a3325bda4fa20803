"""Admin of rule sets and stored statuses (statuses are computed: read-only here)."""

from django.contrib import admin

from assessments.models import ProjectMonthStatus, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "is_active", "mode", "gap_form", "updated_at"]
    list_filter = ["year", "is_active", "mode", "gap_form"]


@admin.register(ProjectMonthStatus)
class ProjectMonthStatusAdmin(admin.ModelAdmin):
    list_display = ["project", "year", "month", "status", "r", "t", "g", "computed_at"]
    list_filter = ["year", "month", "status"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
