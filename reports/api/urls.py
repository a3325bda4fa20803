from rest_framework.routers import DefaultRouter

from reports.api import views

router = DefaultRouter()
router.register("report-runs", views.ReportRunViewSet, basename="reportrun")
router.register("publications", views.PublicationViewSet, basename="publication")
