"""Django admin for every ledger model: Chinese labels, filters, search, factor inlines."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.files import original_name
from registry import models


class NoHardDeleteMixin:
    """Projects, reports and problems are never hard-deleted, not even by an admin: a delete
    cascades into history, assessments and letters. Projects are withdrawn (退库) or marked
    deleted (is_deleted), reports returned, problems resolved."""

    def has_delete_permission(self, request, obj=None):
        return False


class ProfileInline(admin.StackedInline):
    """Region and unit decide what a user sees (registry/scoping.py)."""

    model = models.Profile
    can_delete = False
    autocomplete_fields = ["region", "unit"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "profile_region", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "profile__region"]
    list_select_related = ["profile__region"]

    @admin.display(description="所属地区")
    def profile_region(self, user):
        profile = getattr(user, "profile", None)
        return profile.region if profile else "—"


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(models.Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "level", "region", "phone", "user"]
    list_filter = ["level", "region"]
    search_fields = ["name", "post", "phone"]
    autocomplete_fields = ["region", "user"]


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "unit", "phone"]
    list_filter = ["region"]
    search_fields = ["user__username", "user__first_name"]
    autocomplete_fields = ["user", "region", "unit"]


class AnnualPlanInline(admin.StackedInline):
    model = models.AnnualPlan
    extra = 0


class FundingInline(admin.TabularInline):
    model = models.Funding
    extra = 0


class LandInline(admin.StackedInline):
    model = models.Land
    extra = 0


class RelocationInline(admin.StackedInline):
    model = models.Relocation
    extra = 0


class ApprovalInline(admin.TabularInline):
    model = models.Approval
    extra = 0


class DocumentForm(forms.ModelForm):
    """Keeps the uploaded file's own name; on disk it gets a random one (core.files)."""

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if "file" in self.changed_data and upload:
            self.instance.original_name = original_name(upload)
        return super().save(commit)


class DocumentInline(admin.TabularInline):
    model = models.Document
    form = DocumentForm
    extra = 0
    readonly_fields = ["original_name", "uploaded_at"]


class WorkTeamInline(admin.TabularInline):
    model = models.WorkTeamMember
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = models.ContractAssignment
    extra = 0
    autocomplete_fields = ["leader", "unit"]
    readonly_fields = ["changed_by"]


@admin.register(models.Project)
class ProjectAdmin(NoHardDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "year", "level", "region", "unit", "leader", "stage", "pool"]
    list_filter = [
        "year",
        "level",
        "category",
        "sector",
        "nature",
        "stage",
        "pool",
        "is_deleted",
        "region",
    ]
    search_fields = ["code", "name", "owner"]
    autocomplete_fields = ["region", "unit", "leader", "package"]
    filter_horizontal = ["programs"]
    readonly_fields = ["version", "created_at", "updated_at", "deleted_at"]
    list_select_related = ["region", "unit", "leader"]
    inlines = [
        AnnualPlanInline,
        FundingInline,
        LandInline,
        RelocationInline,
        ApprovalInline,
        DocumentInline,
        WorkTeamInline,
        AssignmentInline,
    ]

    def get_queryset(self, request):
        # Admin sees soft-deleted projects too, so they can be restored.
        return models.Project.all_objects.select_related("region", "unit", "leader")


@admin.register(models.AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "planned_investment", "plan_start", "plan_finish"]
    list_filter = ["year", "plan_start", "plan_finish"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["project", "source", "planned", "in_place"]
    list_filter = ["source"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.Land)
class LandAdmin(SimpleHistoryAdmin):
    list_display = [
        "project",
        "required_area",
        "farmland_conversion",
        "approved_area",
        "supply_status",
    ]
    list_filter = ["supply_status"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.Relocation)
class RelocationAdmin(admin.ModelAdmin):
    list_display = ["project", "households_total", "households_done", "deadline", "status"]
    list_filter = ["status"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.Approval)
class ApprovalAdmin(admin.ModelAdmin):
    list_display = ["project", "item", "status", "done_on"]
    list_filter = ["item", "status"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    readonly_fields = ["original_name"]
    list_display = ["title", "project", "kind", "original_name", "uploaded_at", "uploaded_by"]
    list_filter = ["kind"]
    search_fields = ["title", "project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.WorkTeamMember)
class WorkTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "post", "unit_name", "project"]
    list_filter = ["role"]
    search_fields = ["name", "project__code", "project__name"]
    autocomplete_fields = ["project"]


@admin.register(models.ContractAssignment)
class ContractAssignmentAdmin(admin.ModelAdmin):
    list_display = ["project", "leader", "unit", "start_on", "end_on"]
    search_fields = ["project__code", "project__name", "leader__name"]
    autocomplete_fields = ["project", "leader", "unit"]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "kind",
        "status",
        "rows_total",
        "rows_new",
        "rows_changed",
        "rows_error",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["file_name"]
    readonly_fields = [f.name for f in models.ImportBatch._meta.fields]
