from rest_framework.routers import DefaultRouter

from evaluations.api import views

router = DefaultRouter()
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
