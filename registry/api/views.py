"""Ledger API: regions, units, leaders, projects (dossier nested), annual plans.

Same scope and rules as the pages: querysets from registry/scoping.py or the selectors built
on it, writes through registry.services, the pages' FilterSets.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from registry import selectors, services
from registry.api import serializers as s
from registry.api.base import RolePermission, ScopedFilterBackend
from registry.choices import Role
from registry.filter_fields import YearFilter
from registry.filtersets import ProjectFilterSet
from registry.models import AnnualPlan, Project
from registry.scoping import scope_queryset, visible_leaders, visible_regions, visible_units

EDITORS = (Role.REVIEWER, Role.ADMIN)


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    filter_backends = [ScopedFilterBackend, OrderingFilter]


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """行政区划：本人辖区内的地区（管理员：全部）。"""

    serializer_class = s.RegionSerializer
    filterset_fields = ["level", "parent"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return visible_regions(self.request.user).order_by("code")


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """责任单位：辖区内的单位（按单位填报的填报员：含本单位）。"""

    serializer_class = s.UnitSerializer
    filterset_fields = ["region", "kind"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return visible_units(self.request.user).order_by("region__code", "name")


class LeaderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """分包领导：辖区内的领导。"""

    serializer_class = s.LeaderSerializer
    filterset_fields = ["region", "level"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return visible_leaders(self.request.user).order_by("region__code", "name")


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """重点项目：列表可按年度、级别、地区、单位、领导、类别筛选；详情含五个一与要素保障。

    修改（PATCH）仅限审核员与管理员，须带读取时的 `version`，他人已修改时返回 409。"""

    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "name", "total_investment", "planned_start"]
    write_roles = {"partial_update": EDITORS, "update": EDITORS}
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return selectors.project_list(user=user).order_by("code")
        return selectors.project_detail(user=user).prefetch_related(
            "assignments__leader", "assignments__unit"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return s.ProjectListSerializer
        if self.action in ("update", "partial_update"):
            return s.ProjectUpdateSerializer
        return s.ProjectDetailSerializer

    @extend_schema(request=s.ProjectUpdateSerializer, responses=s.ProjectDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = s.ProjectUpdateSerializer(
            project, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            return Response({"version": ["请提供读取时的版本号 version"]}, status=400)
        services.project_update(
            project=Project.objects.get(pk=project.pk),
            data=data,
            version=version,
            user=request.user,
        )
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(
            s.ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data
        )


class AnnualPlanFilterSet(django_filters.FilterSet):
    year = extend_schema_field(OpenApiTypes.INT)(YearFilter(label="年度"))

    class Meta:
        model = AnnualPlan
        fields = ["year", "project"]


class AnnualPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """年度计划：年度计划投资与12个月累计计划（只读；在网页“年度计划与月度计划”中修改）。"""

    serializer_class = s.AnnualPlanSerializer
    filterset_class = AnnualPlanFilterSet
    ordering_fields = ["year", "planned_investment"]

    def get_queryset(self):
        qs = AnnualPlan.objects.select_related("project").order_by("project__code", "-year")
        return scope_queryset(self.request.user, qs)
