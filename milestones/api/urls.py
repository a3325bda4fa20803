from rest_framework.routers import DefaultRouter

from milestones.api import views

router = DefaultRouter()
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("progress-reports", views.ProgressReportViewSet, basename="progressreport")
router.register("problems", views.ProblemViewSet, basename="problem")
router.register("letters", views.LetterViewSet, basename="letter")
