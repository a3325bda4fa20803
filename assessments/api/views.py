"""Judgement API: the dashboard summary, stored statuses with reasons, scores and ranks.

Scoped like the pages (`metrics.scoped_projects`: scoping + the year's list + the ledger's
filters); every figure comes from metrics / scoring, the same functions the pages call.
"""

from django.core.exceptions import BadRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import charts, metrics
from assessments.api import serializers as s
from assessments.filtersets import ProjectStatusFilterSet
from assessments.four_compare import four_compare
from assessments.models import ProjectMonthStatus
from assessments.scoring import scores
from assessments.views.common import period_from
from assessments.views.scores import SCORE_KINDS, _by, _period
from core.cache import cached
from core.periods import PeriodError
from milestones.periods import resolve
from registry.api.base import CachedPagePagination, RolePermission
from registry.api.views import ScopedViewSet
from registry.scoping import scope_queryset

PERIOD = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认：最近已截止月份所在年度）"),
    OpenApiParameter(
        "month", OpenApiTypes.INT, description="月份（默认：最近已截止的月份，SPEC §3.8）"
    ),
    OpenApiParameter("period", OpenApiTypes.STR, description="或写作期间：2026-11"),
]
FILTERS = [
    PERIOD[0],
    OpenApiParameter("region", OpenApiTypes.INT, description="所属地区id（含下级）"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="责任单位id"),
    OpenApiParameter("leader", OpenApiTypes.INT, description="分包领导id"),
    OpenApiParameter("level", OpenApiTypes.STR, description="项目级别"),
    OpenApiParameter("category", OpenApiTypes.STR, description="项目类别"),
]


def _checked(call):
    """The pages' parameter errors (Chinese) become a 400 here too."""
    try:
        return call()
    except BadRequest as exc:
        raise ValidationError({"detail": str(exc)}) from None


def period_of(request, allow=("month",)):
    """The period asked for (the pages' parser and default), a DRF 400 on bad values."""
    return _checked(lambda: period_from(request, allow=allow))


def with_period_headers(response, period):
    """A list answer cannot carry the period in its body: it goes in headers."""
    for key, value in period.as_api().items():
        response[f"X-{key.replace('_', '-').title()}"] = (
            str(value).lower() if isinstance(value, bool) else str(value)
        )
    return response


class DashboardView(APIView):
    """驾驶舱汇总：项目数、投资、完成率与时间进度、开工、开复工率、状态分布，
    及分县区、分性质、分级别的同口径数字和标准综述段落。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[*FILTERS, *PERIOD[1:]],
        responses=s.DashboardSerializer,
    )
    def get(self, request):
        period = period_of(request)
        year, month = period.year, period.month
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=period.end
        )
        # The serialized payload is kept with the figures (same key: scope SQL, period and
        # data generation): turning ~40 rows of Decimals into JSON types took longer than
        # fetching the cached figures, on every call of the leaders' dashboards.
        data = cached("dashboard-api-breakdowns", projects, year, month, _dashboard)
        return Response({**data, **period.as_api()})


def _dashboard(projects, year, month) -> dict:
    dash = metrics.dashboard(projects, year, month)
    data = {
        "year": year,
        "month": month,
        "paragraph": dash.paragraph,
        "totals": dash.totals,
        "regions": dash.regions,
        "natures": dash.natures,
        "levels": dash.levels,
        "finishing": dash.finishing,
    }
    return dict(s.DashboardSerializer(data).data)


class ChartsView(APIView):
    """驾驶舱图表：状态分布、逐月累计完成与应完成、分县区完成率与时间进度、主要责任单位、县区排名。
    与首页、/api/dashboard/ 同口径（同一函数计算）。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[*FILTERS, *PERIOD[1:]],
        responses=s.ChartsSerializer,
    )
    def get(self, request):
        period = period_of(request)
        year, month = period.year, period.month
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=period.end
        )
        data = s.ChartsSerializer(charts.charts(projects, year, month)).data
        return Response({**data, **period.as_api()})


class MapView(APIView):
    """项目分布图：有经纬度的项目及其本月状态，和本市轮廓 GeoJSON 的地址（无在线底图）。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[*FILTERS, *PERIOD[1:]],
        responses=s.MapSerializer,
    )
    def get(self, request):
        from django.conf import settings
        from django.templatetags.static import static

        period = period_of(request)
        year, month = period.year, period.month
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=period.end
        )
        outline = static(settings.CITY_GEOJSON) if settings.CITY_GEOJSON else ""
        points = cached("api-map-points", projects, year, month, map_points_data)
        # the shape of MapSerializer
        return Response({"outline": outline, "points": points, **period.as_api()})


def map_points_data(projects, year: int, month: int) -> list[dict]:
    """The map's points as the API sends them, kept in the figure cache as plain data: a
    city's 20,000 points take most of a second to serialize."""
    return list(s.MapPointSerializer(charts.map_points(projects, year, month), many=True).data)


class ScoreView(APIView):
    """县区（县级用户为本县乡镇）或单位的得分与排名（各分项、扣分、完成率、红黑榜），
    period 为 2026-10、2026-01..10（1-10月累计）、2026-Q3 或 2026；默认最近已截止的月份。
    所答期间见响应头 X-Period、X-Period-Label、X-Provisional、X-As-Of。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="2026-10 | 2026-01..10 | 2026-Q3 | 2026"
            ),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["region", "unit"]),
            OpenApiParameter(
                "kind", OpenApiTypes.STR,
                description="four：四比四看（每县区一行）；不填：得分排名（其他值为期间类型）",
            ),
            *FILTERS[1:],
        ],
        responses=PolymorphicProxySerializer(
            component_name="ScoreOrFourRow",
            serializers=[s.ScoreRowSerializer, s.FourRowSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    )  # fmt: skip
    def get(self, request):
        if request.query_params.get("kind") == "four":
            return self._four(request)
        resolved = _checked(lambda: _period(request))
        by = _checked(lambda: _by(request))
        period = resolved.period
        projects = metrics.scoped_projects(
            request.user, period.year, request.query_params, as_of=period.end
        )
        rows = s.ScoreRowSerializer(scores(projects, period, by=by), many=True).data
        return with_period_headers(Response(rows), resolved)

    def _four(self, request):
        """四比四看 per county for the period (`period=`; `kind` names the scorecard here,
        not the period picker's kind)."""
        params = request.query_params.copy()
        params.pop("kind")
        try:
            resolved = resolve(params, allow=SCORE_KINDS)
        except PeriodError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        period = resolved.period
        projects = metrics.scoped_projects(request.user, period.year, params, as_of=period.end)
        rows = s.FourRowSerializer(four_compare(projects, period), many=True).data
        return with_period_headers(Response(rows), resolved)


class ProjectStatusViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """项目月度状态（红黄绿灯）及原因：按年度、月份、状态、地区筛选。"""

    serializer_class = s.ProjectStatusSerializer
    filterset_class = ProjectStatusFilterSet
    ordering_fields = ["year", "month", "status"]
    # Statuses are only written by assess, which moves the figure generation: the total and
    # each page's rows are kept per generation (a city's count and order cost 110 ms a page).
    pagination_class = CachedPagePagination

    def get_queryset(self):
        qs = ProjectMonthStatus.objects.select_related("project").order_by(
            "-year", "-month", "project__code"
        )
        return scope_queryset(self.request.user, qs)
