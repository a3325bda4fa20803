from rest_framework.routers import DefaultRouter

from registry.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("units", views.UnitViewSet, basename="unit")
router.register("leaders", views.LeaderViewSet, basename="leader")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("annual-plans", views.AnnualPlanViewSet, basename="annualplan")
