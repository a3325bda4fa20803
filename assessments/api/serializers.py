"""Shapes of the judgement API: every figure comes from assessments.metrics / scoring (the
one source of numbers); these only name the fields."""

from rest_framework import serializers

from assessments.models import ProjectMonthStatus

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 2, "allow_null": True}


class PeriodSerializer(serializers.Serializer):
    """The period an answer is for (SPEC §3.8), added by the view to every answer."""

    period = serializers.CharField(required=False, help_text="期间，如 2026-11")
    period_label = serializers.CharField(required=False, help_text="如 2026年11月")
    provisional = serializers.BooleanField(
        required=False, help_text="true：该月调度期未截止（进行中（数据未截止）），状态为临时结果"
    )
    as_of = serializers.DateField(required=False, help_text="判定日：月末或今天中较早者")


class FiguresSerializer(serializers.Serializer):
    """项/拆分后项, money in 万元, rates in %, gap in percentage points."""

    count = serializers.IntegerField(help_text="项目数（打包项目计1项）")
    split_count = serializers.IntegerField(help_text="打包项目拆分后项目数")
    total_investment = serializers.DecimalField(**MONEY, help_text="总投资（万元）")
    annual_plan = serializers.DecimalField(**MONEY, help_text="年度计划投资（万元）")
    ytd = serializers.DecimalField(**MONEY, help_text="本年累计完成投资（万元，已审核）")
    completion_rate = serializers.DecimalField(**RATE, help_text="投资完成率（%）")
    time_progress = serializers.DecimalField(**RATE, help_text="时间进度（%）")
    gap = serializers.DecimalField(**RATE, help_text="完成率与时间进度之差（百分点）")
    planned_starts = serializers.IntegerField()
    planned_starts_to_date = serializers.IntegerField()
    started = serializers.IntegerField()
    started_early = serializers.IntegerField()
    missed = serializers.IntegerField()
    start_rate = serializers.DecimalField(**RATE)
    new_projects = serializers.IntegerField()
    new_started = serializers.IntegerField()
    continuing = serializers.IntegerField()
    continuing_resumed = serializers.IntegerField()
    resumption_rate = serializers.DecimalField(**RATE, help_text="开复工率（%）")
    status_counts = serializers.DictField(child=serializers.IntegerField())


class RegionFiguresSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.pk")
    name = serializers.CharField(source="region.name")
    code = serializers.CharField(source="region.code")
    figures = FiguresSerializer()


class GroupFiguresSerializer(serializers.Serializer):
    """One row of a breakdown: a package counted once, under its own nature or level; the
    rows add up to the totals (项, 拆分后, money)."""

    value = serializers.CharField()
    label = serializers.CharField()
    figures = FiguresSerializer()


class DashboardSerializer(PeriodSerializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    paragraph = serializers.CharField(help_text="标准综述段落（与首页、月报相同）")
    totals = FiguresSerializer()
    regions = RegionFiguresSerializer(many=True)
    natures = GroupFiguresSerializer(many=True)
    levels = GroupFiguresSerializer(many=True)
    finishing = FiguresSerializer(help_text="计划竣工投产项目（跨性质，不属于分性质的合计）")


class ProjectStatusSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ProjectMonthStatus
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "year",
            "month",
            "status",
            "r",
            "t",
            "g",
            "unstarted_days",
            "milestone_overdue_days",
            "reasons",
        ]
        read_only_fields = fields


class ScoreRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    key = serializers.IntegerField(help_text="县区（县内为乡镇）或单位的id")
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    penalty = serializers.DecimalField(max_digits=7, decimal_places=2)
    completion_rate = serializers.DecimalField(**RATE)
    components = serializers.DictField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2)
    )
    board = serializers.CharField(help_text="红榜、黑榜或空（参与排名不足3个时不设）")


class FourRowSerializer(serializers.Serializer):
    """四比四看 (kind=four): one row per county."""

    rank = serializers.IntegerField()
    key = serializers.IntegerField(help_text="县区id")
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    parts = serializers.DictField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2),
        help_text="plan 比谋划看储备、invest 比招引看投资、start 比开工看进度、service 比服务看实效",
    )


class TrendSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField())
    ytd = serializers.ListField(child=serializers.DecimalField(14, 2), help_text="累计完成（亿元）")
    plan_due = serializers.ListField(
        child=serializers.DecimalField(14, 2), help_text="按时间进度应完成（亿元）"
    )
    rate = serializers.ListField(child=serializers.DecimalField(9, 2, allow_null=True))
    time = serializers.ListField(child=serializers.DecimalField(9, 2))


class StatusCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    colour = serializers.CharField()


class SeriesRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    ytd = serializers.DecimalField(14, 2, help_text="亿元")
    annual_plan = serializers.DecimalField(14, 2, help_text="亿元")
    completion_rate = serializers.DecimalField(9, 2, allow_null=True)


class RankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.DecimalField(9, 2)
    completion_rate = serializers.DecimalField(9, 2, allow_null=True)
    board = serializers.CharField(help_text="红榜、黑榜或空（参与排名不足3个时不设）")


class ChartsSerializer(PeriodSerializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    time_progress = serializers.DecimalField(9, 2)
    statuses = StatusCountSerializer(many=True)
    trend = TrendSerializer()
    regions = SeriesRowSerializer(many=True)
    towns = SeriesRowSerializer(many=True, help_text="单个县区范围时：分乡镇（县本级单列）")
    units = SeriesRowSerializer(many=True)
    ranking = RankSerializer(many=True)
    ranking_period = serializers.CharField(
        help_text="排名的期间（1–M月累计，如 2026-01..11），与 /assessments/scores/?period= 相同"
    )


class MapPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField()
    lng = serializers.DecimalField(9, 6)
    lat = serializers.DecimalField(9, 6)
    status = serializers.CharField()
    status_label = serializers.CharField()
    colour = serializers.CharField()


class MapSerializer(PeriodSerializer):
    outline = serializers.CharField(allow_blank=True, help_text="本市 GeoJSON 轮廓（静态文件地址）")
    points = MapPointSerializer(many=True)
