from rest_framework.routers import DefaultRouter

from instructions.api import views

router = DefaultRouter()
router.register("instructions", views.InstructionViewSet, basename="instruction")
