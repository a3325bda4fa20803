from django.urls import path
from rest_framework.routers import DefaultRouter

from assessments.api import forecast, views

router = DefaultRouter()
router.register("project-statuses", views.ProjectStatusViewSet, basename="projectstatus")

# Plain views beside the router's viewsets, under the same `api` namespace.
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/charts/", views.ChartsView.as_view(), name="dashboard_charts"),
    path("dashboard/map/", views.MapView.as_view(), name="dashboard_map"),
    path("scores/", views.ScoreView.as_view(), name="scores"),
    path("forecast/", forecast.ForecastView.as_view(), name="forecast"),
    path("forecast/projects/", forecast.ProjectForecastView.as_view(), name="forecast_projects"),
    path("forecast/at-risk/", forecast.AtRiskView.as_view(), name="forecast_at_risk"),
]
