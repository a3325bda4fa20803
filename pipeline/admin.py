from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pipeline.models import PipelineProject, PipelineTarget, SizeBand, StartBatch


@admin.register(SizeBand)
class SizeBandAdmin(admin.ModelAdmin):
    list_display = ["label", "min_amount"]


@admin.register(PipelineProject)
class PipelineProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "stage", "total_investment", "project"]
    list_filter = ["stage", "source"]
    search_fields = ["name", "investor"]
    raw_id_fields = ["project", "region", "unit", "leader"]


@admin.register(PipelineTarget)
class PipelineTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "band", "count", "amount"]
    list_filter = ["year"]


@admin.register(StartBatch)
class StartBatchAdmin(SimpleHistoryAdmin):
    list_display = ["name", "held_on", "region"]
    filter_horizontal = ["projects"]
