"""The year cycle at /years/<year>/next/, beside registry's year list (included at the root)."""

from django.urls import path

from milestones.views import years

app_name = "year_cycle"

urlpatterns = [
    path("<int:year>/next/", years.year_next, name="next"),
]
