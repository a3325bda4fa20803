"""Forecast API: the expected year-end 完成率 by region and by project, and the
"likely to lag next month" list. Every figure comes from `assessments.forecast` and carries
its basis; scoped like the pages (`metrics.scoped_projects`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import forecast, metrics
from assessments.api.serializers import MONEY, RATE, FiguresSerializer, PeriodSerializer
from assessments.api.views import FILTERS, PERIOD, period_of, with_period_headers
from core.cache import CachedList, cached
from registry.api.base import Pagination, RolePermission

PARAMETERS = [*FILTERS, *PERIOD[1:]]
SHARE = {"max_digits": 7, "decimal_places": 2, "allow_null": True}


class ForecastSerializer(serializers.Serializer):
    """预计数及其测算依据与输入（金额万元，比率%）。"""

    basis = serializers.CharField(help_text="测算依据，如“按近3个月平均及去年同期进度测算”")
    formula = serializers.CharField(help_text="测算过程")
    month = serializers.IntegerField(help_text="数据截至月份M")
    target = serializers.IntegerField(help_text="预计到的月份（12为年末）")
    plan = serializers.DecimalField(**MONEY, help_text="年度计划投资（万元）")
    ytd = serializers.DecimalField(**MONEY, help_text="截至M月累计完成（万元，已审核）")
    current_rate = serializers.DecimalField(**RATE, help_text="截至M月完成率（%）")
    expected = serializers.DecimalField(**MONEY, help_text="预计累计完成（万元）")
    rate = serializers.DecimalField(**RATE, help_text="预计完成率（%）")
    window = serializers.IntegerField(help_text="月均所取月数n")
    run_rate = serializers.DecimalField(**MONEY, help_text="近n个月月均完成（万元）")
    by_run_rate = serializers.DecimalField(**MONEY, help_text="按月均测算的预计数（万元）")
    by_season = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="按往年同期进度测算的预计数（万元）"
    )
    share_now = serializers.DecimalField(**SHARE, help_text="往年M月末累计进度（%）")
    share_target = serializers.DecimalField(**SHARE, help_text="往年目标月末累计进度（%）")
    curve_year = serializers.IntegerField(allow_null=True, help_text="所参照的往年年度")
    finished = serializers.IntegerField(help_text="已竣工按实际计的项目数")
    count = serializers.IntegerField(help_text="项目数（拆分后）")


class RegionForecastSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.pk", allow_null=True)
    name = serializers.SerializerMethodField()
    figures = FiguresSerializer(help_text="当月数字（与驾驶舱同源）")
    forecast = ForecastSerializer()

    def get_name(self, row) -> str:
        return row.region.name if row.region else "合计"


class OutlookSerializer(PeriodSerializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    curve_year = serializers.IntegerField(source="curve.year", allow_null=True)
    curve = serializers.ListField(
        source="curve.shares",
        child=serializers.DecimalField(max_digits=7, decimal_places=2),
        help_text="往年全市各月末累计进度（%，下标为月份，0月为0）；无往年数据时为空",
    )
    total = RegionForecastSerializer()
    regions = RegionForecastSerializer(many=True)


class ProjectForecastSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    package_code = serializers.CharField(allow_null=True, help_text="所属打包项目编号")
    region_name = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="当月状态")
    forecast = ForecastSerializer()


class AtRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    name = serializers.CharField(source="project.name")
    region_name = serializers.CharField(source="project.region.name")
    unit_name = serializers.CharField(source="project.unit.name", default="")
    status = serializers.CharField(help_text="当月状态")
    status_label = serializers.CharField()
    projected = serializers.CharField(help_text="下月预计状态")
    projected_label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="原因")
    forecast = ForecastSerializer(help_text="下月末预计累计完成")


def _period(request):
    period = period_of(request)
    projects = metrics.scoped_projects(
        request.user, period.year, request.query_params, as_of=period.end
    )
    return period, projects


class ForecastView(APIView):
    """各县区及合计的预计年末投资完成率（附测算依据、输入与往年进度曲线）。"""

    permission_classes = [RolePermission]

    @extend_schema(parameters=PARAMETERS, responses=OutlookSerializer)
    def get(self, request):
        period, projects = _period(request)
        outlook = forecast.outlook_summary(projects, period.year, period.month)
        return Response({**OutlookSerializer(outlook).data, **period.as_api()})


class ProjectForecastView(GenericAPIView):
    """各项目（打包项目按子项目）的预计年末投资完成率及测算依据，分页。"""

    permission_classes = [RolePermission]
    pagination_class = Pagination
    serializer_class = ProjectForecastSerializer
    filter_backends = []  # the ledger's filters are read by metrics.scoped_projects

    @extend_schema(parameters=PARAMETERS, responses=ProjectForecastSerializer(many=True))
    def get(self, request):
        period, projects = _period(request)
        rows = CachedList(
            "forecast-projects",
            projects,
            period.year,
            period.month,
            "assessments.forecast.project_forecasts",
        )
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(ProjectForecastSerializer(page, many=True).data)
        response.data.update(period.as_api())
        return response


class AtRiskView(APIView):
    """下月可能滞后的项目：当月正常、较快或预警，按下月预计情况用考核规则判定会变差的，附原因。"""

    permission_classes = [RolePermission]

    @extend_schema(parameters=PARAMETERS, responses=AtRiskSerializer(many=True))
    def get(self, request):
        period, projects = _period(request)
        rows = cached("api-at-risk", projects, period.year, period.month, at_risk_data)
        return with_period_headers(Response(rows), period)


def at_risk_data(projects, year: int, month: int) -> list[dict]:
    """The at-risk list as the API sends it, kept in the figure cache as plain data: a city's
    1,500 rows with their forecasts take a quarter second to attach and serialize."""
    return list(AtRiskSerializer(forecast.at_risk(projects, year, month), many=True).data)
