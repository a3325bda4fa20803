"""Monthly progress spreadsheet upload (SPEC §4.3), included by milestones/urls.py."""

from django.urls import path

from milestones import views_import

urlpatterns = [
    path("progress/", views_import.progress_import, name="progress_import"),
    path("progress/template/", views_import.progress_template, name="progress_template"),
    path(
        "progress/<int:pk>/confirm/",
        views_import.progress_import_confirm,
        name="progress_import_confirm",
    ),
]
