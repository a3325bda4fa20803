"""Django admin of the milestones app: Chinese labels, filters and search."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import (
    Milestone,
    Problem,
    ProgressReport,
    ProjectSuspension,
    ReportingWindow,
    ReportPhoto,
    SupervisionLetter,
)
from registry.admin import NoHardDeleteMixin


@admin.register(ReportingWindow)
class ReportingWindowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opens_on", "deadline", "is_open", "opened_by", "closed_at"]
    list_filter = ["year", "is_open"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "name", "planned_on", "actual_on"]
    list_filter = ["kind"]
    search_fields = ["project__code", "project__name", "name"]
    raw_id_fields = ["project"]
    date_hierarchy = "planned_on"


class ReportPhotoInline(admin.TabularInline):
    """Shown, not uploaded here: photos come in through the report form, which checks and
    re-encodes them (milestones.photos)."""

    model = ReportPhoto
    extra = 0
    fields = ["image", "original_name", "caption", "evidence", "uploaded_at"]
    readonly_fields = ["image", "original_name", "evidence", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="拍摄信息")
    def evidence(self, obj):
        return obj.evidence or "—"


@admin.register(ProgressReport)
class ProgressReportAdmin(NoHardDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "year",
        "month",
        "status",
        "invested_month",
        "invested_ytd",
        "is_late",
        "submitted_at",
    ]
    list_filter = ["status", "year", "month", "is_late"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ReportPhotoInline]


@admin.register(Problem)
class ProblemAdmin(NoHardDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "category",
        "coordination_level",
        "responsible_unit",
        "deadline",
        "status",
        "is_supervised",
    ]
    list_filter = ["status", "category", "coordination_level", "is_supervised"]
    search_fields = ["project__code", "project__name", "description", "responsible_person"]
    raw_id_fields = ["project", "source_report"]
    readonly_fields = ["version"]


@admin.register(SupervisionLetter)
class SupervisionLetterAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "project",
        "recipient",
        "issued_on",
        "reply_deadline",
        "status",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["number", "project__code", "project__name"]
    raw_id_fields = ["project", "problem"]


@admin.register(ProjectSuspension)
class ProjectSuspensionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "happened_on", "status", "requested_by", "reviewed_by"]
    list_filter = ["kind", "status"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
