"""Admin of the evaluation events: read-only (events are run on /evaluations/, where every
rule is checked; scores and results are never edited behind the evaluators' backs)."""

from django.contrib import admin

from evaluations.models import Event, Score


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["name", "year", "starts_on", "ends_on", "status", "issue"]
    list_filter = ["year", "status"]
    search_fields = ["name"]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ["evaluator", "stop", "criterion", "points", "updated_at"]
    list_select_related = ["evaluator__user", "stop__project", "criterion"]
