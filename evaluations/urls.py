from django.urls import path

from evaluations.views import events, results, scoring

app_name = "evaluations"

urlpatterns = [
    path("", events.event_list, name="list"),
    path("new/", events.event_create, name="create"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/edit/", events.event_edit, name="edit"),
    path("<int:pk>/close/", events.event_close, name="close"),
    path("<int:pk>/score/", scoring.score_page, name="score"),
    path("<int:pk>/score/save/", scoring.score_save, name="score_save"),
    path("<int:pk>/photos/<int:photo_pk>/", scoring.photo, name="photo"),
    path("<int:pk>/bulletin/", results.bulletin, name="bulletin"),
    path("<int:pk>/export/", results.export, name="export"),
    path("<int:pk>/lookback/", results.lookback_page, name="lookback"),
]
