"""Monthly reporting API: milestones, progress reports (submit/approve/return), problems
(resolve) and supervision letters. Scoped by registry/scoping.py, written by services."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from milestones import selectors, services
from milestones.api import serializers as s
from milestones.filtersets import (
    ProblemFilterSet,
    ProgressReportFilterSet,
    SupervisionLetterFilterSet,
)
from registry.api.base import CachedPagePagination
from registry.api.views import ScopedViewSet
from registry.choices import Role
from registry.scoping import visible_projects, visible_units

REPORTERS = (Role.REPORTER, Role.ADMIN)
REVIEWERS = (Role.REVIEWER, Role.ADMIN)
WORKERS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """节点计划（挂图作战）：计划日期与实际日期。"""

    serializer_class = s.MilestoneSerializer
    filterset_fields = ["project", "kind"]
    ordering_fields = ["planned_on"]

    def get_queryset(self):
        qs = selectors.milestones_for(user=self.request.user).select_related("project")
        return qs.order_by("project__code", "planned_on", "id")


class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """月报：填报员新建/修改/提交，审核员审核通过或退回。修改须带 version（过期返回409）。"""

    filterset_class = ProgressReportFilterSet
    ordering_fields = ["year", "month", "submitted_at"]
    # Every report write moves the figure generation, so the total and each page's rows can
    # be kept per generation: counting and ordering a city's 200k reports per click cost 200 ms.
    pagination_class = CachedPagePagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = {
        "create": REPORTERS,
        "partial_update": REPORTERS,
        "submit": REPORTERS,
        "approve": REVIEWERS,
        "return_report": REVIEWERS,
    }

    def get_queryset(self):
        return selectors.review_queue(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": s.ProgressReportCreateSerializer,
            "partial_update": s.ProgressReportUpdateSerializer,
            "submit": s.VersionSerializer,
            "approve": s.ReviewSerializer,
            "return_report": s.ReviewSerializer,
        }.get(self.action, s.ProgressReportSerializer)

    def _out(self, report, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(s.ProgressReportSerializer(fresh).data, status=code)

    @extend_schema(responses={201: s.ProgressReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.ProgressReportCreateSerializer(
            data=request.data, projects=visible_projects(request.user)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project, year, month = data.pop("project"), data.pop("year"), data.pop("month")
        submit = data.pop("submit", False)
        report = services.report_create(
            project=project, year=year, month=month, data=data, user=request.user, submit=submit
        )
        return self._out(report, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProgressReportUpdateSerializer, responses=s.ProgressReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = s.ProgressReportUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            return Response({"version": ["请提供读取时的版本号 version"]}, status=400)
        submit = data.pop("submit", False)
        report = services.report_update(
            report=report, data=data, version=version, user=request.user, submit=submit
        )
        return self._out(report)

    @extend_schema(request=s.VersionSerializer, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, format=None):
        """提交审核。"""
        serializer = s.VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_submit(
            report=self.get_object(),
            version=serializer.validated_data["version"],
            user=request.user,
        )
        return self._out(report)

    @extend_schema(request=s.ReviewSerializer, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, format=None):
        """审核通过（仅“已提交”的月报）。"""
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_approve(
            report=self.get_object(), user=request.user, **serializer.validated_data
        )
        return self._out(report)

    @extend_schema(request=s.ReviewSerializer, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None, format=None):
        """退回修改（必须填写退回意见 comment）。"""
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_return(
            report=self.get_object(), user=request.user, **serializer.validated_data
        )
        return self._out(report)


class ProblemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """问题清单：登记、更新推进情况、标记解决。修改须带 version（过期返回409）。"""

    filterset_class = ProblemFilterSet
    ordering_fields = ["deadline", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = {"create": WORKERS, "partial_update": WORKERS, "resolve": WORKERS}

    def get_queryset(self):
        return selectors.problems_for(user=self.request.user).select_related("project")

    def get_serializer_class(self):
        return {
            "create": s.ProblemCreateSerializer,
            "partial_update": s.ProblemUpdateSerializer,
            "resolve": s.ResolveSerializer,
        }.get(self.action, s.ProblemSerializer)

    def _units(self):
        return visible_units(self.request.user)

    def _out(self, problem, code=status.HTTP_200_OK):
        return Response(
            s.ProblemSerializer(self.get_queryset().get(pk=problem.pk)).data, status=code
        )

    @extend_schema(responses={201: s.ProblemSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.ProblemCreateSerializer(
            data=request.data, projects=visible_projects(request.user), units=self._units()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project")
        with transaction.atomic():
            problem = services.problem_create(project=project, data=data, user=request.user)
        return self._out(problem, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProblemUpdateSerializer, responses=s.ProblemSerializer)
    def partial_update(self, request, *args, **kwargs):
        problem = self.get_object()
        serializer = s.ProblemUpdateSerializer(
            data=request.data,
            partial=True,
            units=self._units(),
            stored_unit=problem.responsible_unit_id,
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            return Response({"version": ["请提供读取时的版本号 version"]}, status=400)
        problem = services.problem_update(
            problem=problem, data=data, version=version, user=request.user
        )
        return self._out(problem)

    @extend_schema(request=s.ResolveSerializer, responses=s.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None, format=None):
        """标记为已解决（必须填写解决情况）。"""
        serializer = s.ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        problem = services.problem_resolve(
            problem=self.get_object(), user=request.user, **serializer.validated_data
        )
        return self._out(problem)


class LetterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """两函一单（只读；发函与回复在网页上办理）。"""

    serializer_class = s.LetterSerializer
    filterset_class = SupervisionLetterFilterSet
    ordering_fields = ["issued_on", "reply_deadline"]

    def get_queryset(self):
        return selectors.letters_for(user=self.request.user).select_related("project", "recipient")
