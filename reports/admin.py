from django.contrib import admin

from reports.models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "period", "region", "status", "requested_by", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are requested on the reports page or by the schedule
