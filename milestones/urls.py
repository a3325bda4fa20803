from django.urls import include, path

app_name = "milestones"

urlpatterns = [
    path("import/", include("milestones.urls_import")),
]
