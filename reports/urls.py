from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("<int:pk>/status/", views.run_status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]
