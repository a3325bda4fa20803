"""Judgement API: the dashboard summary, stored statuses with reasons, scores and ranks.

Scoped like the pages (`metrics.scoped_projects`: scoping + the year's list + the ledger's
filters); every figure comes from metrics / scoring, the same functions the pages call.
"""

from django.core.exceptions import BadRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import charts, metrics, selectors
from assessments.api import serializers as s
from assessments.facts import month_end
from assessments.filtersets import ProjectStatusFilterSet
from assessments.models import ProjectMonthStatus
from assessments.scoring import scores
from assessments.views.common import month_from, year_from
from assessments.views.scores import _by, _period
from registry.api.base import CachedPagePagination, RolePermission
from registry.api.views import ScopedViewSet
from registry.cache import cached
from registry.scoping import scope_queryset

FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认今年）"),
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


class DashboardView(APIView):
    """驾驶舱汇总：项目数、投资、完成率与时间进度、开工、开复工率、状态分布，
    及分县区、分性质、分级别的同口径数字和标准综述段落。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "month", OpenApiTypes.INT, description="截至月份（默认最近已评价月份）"
            ),
        ],
        responses=s.DashboardSerializer,
    )
    def get(self, request):
        year = _checked(lambda: year_from(request))
        month = _checked(lambda: month_from(request, selectors.default_month(year)))
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=month_end(year, month)
        )
        # The serialized payload is kept with the figures (same key: scope SQL, period and
        # data generation): turning ~40 rows of Decimals into JSON types took longer than
        # fetching the cached figures, on every call of the leaders' dashboards.
        return Response(cached("dashboard-api-breakdowns", projects, year, month, _dashboard))


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
        parameters=[
            *FILTERS,
            OpenApiParameter("month", OpenApiTypes.INT, description="截至月份"),
        ],
        responses=s.ChartsSerializer,
    )
    def get(self, request):
        year = _checked(lambda: year_from(request))
        month = _checked(lambda: month_from(request, selectors.default_month(year)))
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=month_end(year, month)
        )
        return Response(s.ChartsSerializer(charts.charts(projects, year, month)).data)


class MapView(APIView):
    """项目分布图：有经纬度的项目及其本月状态，和本市轮廓 GeoJSON 的地址（无在线底图）。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[*FILTERS, OpenApiParameter("month", OpenApiTypes.INT)],
        responses=s.MapSerializer,
    )
    def get(self, request):
        from django.conf import settings
        from django.templatetags.static import static

        year = _checked(lambda: year_from(request))
        month = _checked(lambda: month_from(request, selectors.default_month(year)))
        projects = metrics.scoped_projects(
            request.user, year, request.query_params, as_of=month_end(year, month)
        )
        outline = static(settings.CITY_GEOJSON) if settings.CITY_GEOJSON else ""
        points = cached("api-map-points", projects, year, month, map_points_data)
        return Response({"outline": outline, "points": points})  # the shape of MapSerializer


def map_points_data(projects, year: int, month: int) -> list[dict]:
    """The map's points as the API sends them, kept in the figure cache as plain data: a
    city's 20,000 points take most of a second to serialize."""
    return list(s.MapPointSerializer(charts.map_points(projects, year, month), many=True).data)


class ScoreView(APIView):
    """县区（县级用户为本县乡镇）或单位的得分与排名（各分项、扣分、完成率、红黑榜），
    period 为 2026-10、2026-Q3、2026 或 2026-01..10（1–10月累计）。"""

    permission_classes = [RolePermission]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="2026-10 | 2026-Q3 | 2026 | 2026-01..10"
            ),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["region", "unit"]),
            *FILTERS[1:],
        ],
        responses=s.ScoreRowSerializer(many=True),
    )
    def get(self, request):
        period = _checked(lambda: _period(request))
        by = _checked(lambda: _by(request))
        projects = metrics.scoped_projects(
            request.user, period.year, request.query_params, as_of=period.end
        )
        return Response(s.ScoreRowSerializer(scores(projects, period, by=by), many=True).data)


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
