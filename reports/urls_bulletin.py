from django.urls import path

from reports import views_bulletin

app_name = "bulletin"

urlpatterns = [
    path("", views_bulletin.bulletin_page, name="page"),
]
