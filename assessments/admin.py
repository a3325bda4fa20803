"""Admin of rule sets and stored statuses (statuses are computed: read-only here)."""

from django.contrib import admin

from assessments.models import ProjectMonthStatus, RecordEntry, RuleSet


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


@admin.register(RecordEntry)
class RecordEntryAdmin(admin.ModelAdmin):
    """Written by the judgements that name themselves as the source: read-only here."""

    list_display = ["year", "dated", "kind", "unit", "leader", "reason", "source_label"]
    list_filter = ["year", "kind"]
    search_fields = ["reason", "source_label"]
    list_select_related = ["unit", "leader"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
