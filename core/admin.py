from django.contrib import admin

from core.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "rows_total", "rows_done", "user", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False
