"""API of the pipeline: /api/pipeline-projects/ (list, filters, create and PATCH through the
services, a stage action) and /api/start-batches/ (read)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pipeline import batches, services
from pipeline.api import serializers as s
from pipeline.filtersets import PipelineFilterSet
from pipeline.selectors import visible_pipeline
from registry.api.views import ScopedViewSet


class PipelineProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """项目谋划库：填报员、审核员填报与修改（修改须带 version，过期返回409）；审核员调整阶段。"""

    filterset_class = PipelineFilterSet
    ordering_fields = ["name", "total_investment", "idea_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = {
        "create": services.SUBMITTERS,
        "partial_update": services.SUBMITTERS,
        "stage": services.REVIEWERS,
    }

    def get_queryset(self):
        return visible_pipeline(self.request.user).order_by("region__code", "id")

    def get_serializer_class(self):
        return {
            "create": s.PipelineWriteSerializer,
            "partial_update": s.PipelineUpdateSerializer,
            "stage": s.StageSerializer,
        }.get(self.action, s.PipelineProjectSerializer)

    def _out(self, pp, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=pp.pk)
        return Response(s.PipelineProjectSerializer(fresh).data, status=code)

    @extend_schema(responses={201: s.PipelineProjectSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.PipelineWriteSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        pp = services.pipeline_create(data=dict(serializer.validated_data), user=request.user)
        return self._out(pp, status.HTTP_201_CREATED)

    @extend_schema(request=s.PipelineUpdateSerializer, responses=s.PipelineProjectSerializer)
    def partial_update(self, request, *args, **kwargs):
        pp = self.get_object()
        serializer = s.PipelineUpdateSerializer(
            data=request.data, partial=True, user=request.user, stored=pp
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            return Response({"version": ["请提供读取时的版本号 version"]}, status=400)
        pp = services.pipeline_update(pp=pp, data=data, version=version, user=request.user)
        return self._out(pp)

    @extend_schema(request=s.StageSerializer, responses=s.PipelineProjectSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None, **_format):
        pp = self.get_object()
        serializer = s.StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.pipeline_move(
            pp=pp, to_stage=data["stage"], on=data.get("changed_on"),
            note=data.get("note", ""), user=request.user,
        )  # fmt: skip
        return self._out(pp)


class StartBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """集中开工批次：名称、日期、范围与生成的通报句。"""

    serializer_class = s.StartBatchSerializer
    ordering_fields = ["held_on"]

    def get_queryset(self):
        return batches.visible_batches(self.request.user).order_by("-held_on", "-id")
