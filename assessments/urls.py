from django.urls import path

from assessments.views import forecast, lists, records, rules, scores

app_name = "assessments"

KINDS = "warning|lagging|unstarted|milestones|problems"

urlpatterns = [
    path("lists/<str:kind>/", lists.judgement_list, name="list"),
    path("lists/<str:kind>/export/", lists.judgement_export, name="export"),
    path("projects/<int:pk>/strip/", lists.project_strip, name="project_strip"),
    path("scores/", scores.score_page, name="scores"),
    path("scores/export/", scores.score_export, name="score_export"),
    path("records/", records.record_page, name="records"),
    path("records/negative/export/", records.negative_export, name="negative_export"),
    path("forecast/", forecast.forecast_page, name="forecast"),
    path("forecast/export/", forecast.forecast_export, name="forecast_export"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
]
