from rest_framework.routers import DefaultRouter

from pipeline.api import views

router = DefaultRouter()
router.register("pipeline-projects", views.PipelineProjectViewSet, basename="pipelineproject")
router.register("start-batches", views.StartBatchViewSet, basename="startbatch")
