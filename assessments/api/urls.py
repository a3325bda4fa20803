from django.urls import path
from rest_framework.routers import DefaultRouter

from assessments.api import views

router = DefaultRouter()
router.register("project-statuses", views.ProjectStatusViewSet, basename="projectstatus")

# Plain views beside the router's viewsets, under the same `api` namespace.
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("scores/", views.ScoreView.as_view(), name="scores"),
]
