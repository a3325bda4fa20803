from django.contrib import admin

from reports.models import Publication, PublicationReader, ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "period", "region", "status", "requested_by", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are requested on the reports page or by the schedule


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Published versions are the audit trail of publishing: read-only, never deleted here."""

    list_display = ("title", "period", "region", "version", "issue_number", "published_by",
                    "published_at")  # fmt: skip
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Publication._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicationReader)
class PublicationReaderAdmin(admin.ModelAdmin):
    list_display = ("publication", "user", "action", "at")
    list_filter = ("action",)
    readonly_fields = [f.name for f in PublicationReader._meta.fields]

    def has_add_permission(self, request):
        return False
