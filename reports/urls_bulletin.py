from django.urls import path

from reports import views_bulletin

app_name = "bulletin"

urlpatterns = [
    path("", views_bulletin.bulletin_page, name="page"),
    path("publish/", views_bulletin.publish, name="publish"),
    path("v/<int:pk>/", views_bulletin.version_page, name="version"),
    path("v/<int:pk>/download/", views_bulletin.download, name="download"),
]
