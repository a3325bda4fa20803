"""Rule sets and stored judgements (SPEC §3.3)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from assessments.choices import GapForm, RuleMode, Status
from registry.models import Project


def _pct(verbose_name, default, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=7, decimal_places=2, default=Decimal(default), **kwargs
    )


class RuleSet(models.Model):
    """Every threshold and weight of SPEC §3.3, editable without code; one active per year."""

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=100, default="默认规则")
    is_active = models.BooleanField("启用", default=True)
    mode = models.CharField(
        "判定方式", max_length=10, choices=RuleMode.choices, default=RuleMode.OVERALL
    )
    gap_form = models.CharField(
        "进度差口径", max_length=10, choices=GapForm.choices, default=GapForm.POINTS
    )
    # Points form: G = R − T in percentage points.
    lag_points = _pct("滞后：G≤（百分点）", "-20")
    warn_points = _pct("预警：G≤（百分点）", "-10")
    ahead_points = _pct("较快：G≥（百分点）", "10")
    # Ratio form: R ÷ T in percent.
    lag_ratio = _pct("滞后：R÷T低于（%）", "60")
    warn_ratio = _pct("预警：R÷T低于（%）", "80")
    ahead_ratio = _pct("较快：R÷T不低于（%）", "120")
    milestone_lag_days = models.PositiveIntegerField("节点逾期滞后天数（≥）", default=60)
    unstarted_lag_days = models.PositiveIntegerField("应开未开滞后天数（>）", default=30)
    supervised_problem_warns = models.BooleanField("督办问题逾期即预警", default=True)
    # Per-dimension lights (银川 form).
    start_red_months = models.PositiveSmallIntegerField(
        "开工灯：应开未开连续N个月亮红灯", default=3, validators=[MinValueValidator(1)]
    )
    funds_warn_ratio = _pct("资金到位灯：到位率低于（%）亮黄灯", "60")
    funds_lag_ratio = _pct("资金到位灯：到位率低于（%）亮红灯", "30")
    statistics_due_days = models.PositiveIntegerField("开工后应入统天数", default=30)
    # Scores (out of 100) and ranks.
    weight_investment = _pct("得分：投资完成", "40")
    weight_start = _pct("得分：开工率", "20")
    weight_milestone = _pct("得分：节点按期", "20")
    weight_report = _pct("得分：按时报送", "10")
    weight_problem = _pct("得分：问题按期解决", "10")
    lag_penalty = _pct("每个滞后项目扣分", "2")
    report_due_day = models.PositiveSmallIntegerField(
        "月报截止日（次月）", default=5, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    negative_months = models.PositiveSmallIntegerField(
        "负面清单：连续滞后月数", default=3, validators=[MinValueValidator(1)]
    )
    # Off by default: a city that ranks only quarterly must not see a monthly ranking appear.
    monthly_ranking = models.BooleanField("月度通报载明县区排名（第一名和最后一名）", default=False)
    # Start-rate targets by level (五率).
    start_target_province = _pct("省重点6月底开工率目标（%）", "85")
    start_target_major = _pct("市重大产业6月底开工率目标（%）", "75")
    start_target_all = _pct("全部项目9月底开工率目标（%）", "100")
    # 四比四看 scorecard (SPEC §3.9): the weight of each part, out of 100 together.
    four_plan_weight = _pct("四比四看：比谋划看储备", "25")
    four_invest_weight = _pct("四比四看：比招引看投资", "25")
    four_start_weight = _pct("四比四看：比开工看进度", "25")
    four_service_weight = _pct("四比四看：比服务看实效", "25")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "考核规则"
        verbose_name_plural = "考核规则"
        ordering = ["-year", "-is_active", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(is_active=True),
                name="%(app_label)s_%(class)s_one_active_per_year",
                violation_error_message="每个年度只能有一套启用的考核规则",
            ),
            models.CheckConstraint(
                condition=Q(lag_points__lt=models.F("warn_points"))
                & Q(warn_points__lt=models.F("ahead_points")),
                name="%(app_label)s_%(class)s_points_ordered",
                violation_error_message="百分点阈值应满足：滞后 < 预警 < 较快",
            ),
            models.CheckConstraint(
                condition=Q(lag_ratio__lt=models.F("warn_ratio"))
                & Q(warn_ratio__lt=models.F("ahead_ratio")),
                name="%(app_label)s_%(class)s_ratio_ordered",
                violation_error_message="比值阈值应满足：滞后 < 预警 < 较快",
            ),
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}{'（启用）' if self.is_active else ''}"


class ProjectMonthStatus(models.Model):
    """A project's judged status for one month, with the numbers and reasons behind it."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="month_statuses"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    r = models.DecimalField("投资完成率R(%)", max_digits=9, decimal_places=2, null=True)
    t = models.DecimalField("时间进度T(%)", max_digits=9, decimal_places=2, null=True)
    g = models.DecimalField("进度差G(百分点)", max_digits=9, decimal_places=2, null=True)
    unstarted_days = models.PositiveIntegerField("应开未开天数", default=0)
    milestone_overdue_days = models.PositiveIntegerField("节点最长逾期天数", default=0)
    reasons = models.JSONField("原因", default=list)
    lights = models.JSONField("分项灯", default=dict, blank=True)
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name="考核规则",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "项目月度状态"
        verbose_name_plural = "项目月度状态"
        ordering = ["-year", "-month", "project"]
        indexes = [models.Index(fields=["year", "month", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="%(app_label)s_%(class)s_one_per_month",
                violation_error_message="该项目本月已有状态",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="%(app_label)s_%(class)s_month_range",
                violation_error_message="月份应在1到12之间",
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d} {self.get_status_display()}"

    @property
    def reason_text(self):
        return "；".join(self.reasons)


class ProjectMonth(models.Model):
    """One leaf project's month of a list year: every input a figure reads, in one row.

    A derived table (assessments.project_months builds it): the services that change its
    inputs refresh the rows of the projects they touched, in their transaction, and
    `manage.py rebuild_project_months` rebuilds it from scratch. Dates (start, membership)
    are stored as dates, not flags: whether they count is decided against the period's
    as-of day when read, so a month still running needs no nightly refresh. `status` is the
    month's stored judgement (ProjectMonthStatus, written by assess), copied here.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    # Scope keys; the top_* ones are the package's for a sub-project (what "N项" files under).
    top_id = models.BigIntegerField()
    region_id = models.BigIntegerField(null=True)
    county_id = models.BigIntegerField(null=True)
    top_region_id = models.BigIntegerField(null=True)
    top_county_id = models.BigIntegerField(null=True)
    unit_id = models.BigIntegerField(null=True)
    leader_id = models.BigIntegerField(null=True)
    level = models.CharField(max_length=10)
    top_level = models.CharField(max_length=10)
    nature = models.CharField(max_length=20)
    top_nature = models.CharField(max_length=20)
    category = models.CharField(max_length=20)
    total_investment = models.DecimalField(max_digits=14, decimal_places=2)
    # The year's plan.
    plan = models.DecimalField(max_digits=14, decimal_places=2)
    plan_cum = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    plan_prev = models.DecimalField(max_digits=14, decimal_places=2, null=True)  # month before
    plan_start = models.BooleanField(default=False)
    plan_finish = models.BooleanField(default=False)
    due_start = models.DateField(null=True)
    listed_on = models.DateField(null=True)
    withdrawn_on = models.DateField(null=True)
    # The project's dates.
    started_on = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    report_status = models.CharField(max_length=20, blank=True)  # this month's report, if any
    # Finally approved reports (SPEC §3.6) up to this month.
    ytd = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    ytd_month = models.PositiveSmallIntegerField(default=0)
    this_month = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    resumed = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = "项目月度事实"
        verbose_name_plural = "项目月度事实"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "project"], name="%(app_label)s_%(class)s_one_per_month"
            )
        ]
        indexes = [models.Index(fields=["project", "year"])]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d}"


class RecordEntry(models.Model):
    """An entry of the 绩效库 or the 负面清单 that another app's judgement wrote (e.g. an
    观摩评比 event's ranking), with its source named; the monthly rules' entries are computed,
    never stored. Rewritten as a whole per source (`records.record_entries_replace`)."""

    class Kind(models.TextChoices):
        RECORD = "record", "绩效库"
        NEGATIVE = "negative", "负面清单"

    year = models.PositiveSmallIntegerField("年度")
    # The day it holds from: a period ending earlier does not show it (SPEC §3.8).
    dated = models.DateField("记录日期")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="record_entries",
    )
    leader = models.ForeignKey(
        "registry.Leader",
        verbose_name="分包领导",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="record_entries",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record_entries",
    )
    reason = models.CharField("事由", max_length=300)
    source = models.CharField("来源", max_length=100, db_index=True)
    source_label = models.CharField("来源名称", max_length=200)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "绩效库记录"
        verbose_name_plural = "绩效库记录"
        ordering = ["year", "source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(leader__isnull=False),
                name="%(app_label)s_%(class)s_names_someone",
                violation_error_message="记录须指明责任单位或分包领导",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()} {self.reason}"
