"""月报: a project's monthly progress report (SPEC §3.2).

Money is 万元 (Decimal, 2 places); audited (simple-history) and optimistic-locked through
`version` (see registry.services.check_version).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from milestones.choices import ReportStatus
from registry.choices import FundingSource
from registry.models import Project
from registry.models.base import ZERO, MoneyField

# Funds in place reported per source: one column per FundingSource (fund_central, …).
FUND_FIELDS = [(f"fund_{s.value}", s) for s in FundingSource]


def _money_rule():
    q = Q(invested_month__gte=0) & Q(invested_ytd__gte=0) & Q(invested_total__gte=0)
    for name, _source in FUND_FIELDS:
        q &= Q(**{f"{name}__gte": 0})
    return q


class ProgressReport(models.Model):
    """月报: one per project per month."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    invested_month = MoneyField("本月完成投资(万元)", default=ZERO)
    invested_ytd = MoneyField("本年累计完成投资(万元)", default=ZERO)
    invested_total = MoneyField("自开工累计完成投资(万元)", default=ZERO)
    fund_central = MoneyField("本月到位资金·中央预算内(万元)", default=ZERO)
    fund_provincial = MoneyField("本月到位资金·省级资金(万元)", default=ZERO)
    fund_special_bond = MoneyField("本月到位资金·地方专项债(万元)", default=ZERO)
    fund_policy_loan = MoneyField("本月到位资金·政策性银行贷款(万元)", default=ZERO)
    fund_commercial_loan = MoneyField("本月到位资金·商业贷款(万元)", default=ZERO)
    fund_ppp = MoneyField("本月到位资金·PPP(万元)", default=ZERO)
    fund_social = MoneyField("本月到位资金·社会资本(万元)", default=ZERO)
    fund_self = MoneyField("本月到位资金·自筹(万元)", default=ZERO)
    workers_planned = models.PositiveIntegerField("计划用工人数", default=0)
    workers_actual = models.PositiveIntegerField("实际在岗人数", default=0)
    is_started = models.BooleanField("已开工", default=False)
    is_resumed = models.BooleanField("已复工", default=False)
    progress_text = models.TextField("形象进度", blank=True)
    difficulties = models.TextField("存在问题和困难", blank=True)
    # {"<milestone id>": "YYYY-MM-DD"}: actual dates reported, applied on approval.
    milestone_updates = models.JSONField("节点实际日期", default=dict, blank=True)
    reviewer_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # 初审 (two review levels, SPEC §3.6): kept after the final review, for the record.
    first_review_comment = models.TextField("初审意见", blank=True)
    first_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="初审人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_reviewed_at = models.DateTimeField("初审时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    is_late = models.BooleanField("逾期提交", default=False)
    # Set when an earlier month changed and this month's entered year-to-date now disagrees
    # with the derived figure (milestones.totals); cleared when the report is corrected.
    figures_note = models.CharField("累计数待核对", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "月报"
        verbose_name_plural = "月报"
        ordering = ["-year", "-month", "project__code"]
        indexes = [
            models.Index(fields=["year", "month", "status"]),
            # The review queue counts what waits for review (a few percent of the reports)
            # and the reports flagged 累计数待核对 (fewer still) on every load: partial
            # indexes keep those counts from reading all approved reports.
            models.Index(
                fields=["project"],
                name="report_awaiting_idx",
                condition=models.Q(status__in=["submitted", "first_approved", "returned"]),
            ),
            models.Index(
                fields=["project"], name="report_flagged_idx", condition=~models.Q(figures_note="")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="%(app_label)s_%(class)s_one_per_month",
                violation_error_message="该项目本月的月报已存在，请在原月报上修改",
            ),
            models.CheckConstraint(
                condition=_money_rule(),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message="金额不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="%(app_label)s_%(class)s_month_range",
                violation_error_message="月份应在1到12之间",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.year}年{self.month}月月报"

    @property
    def period_label(self):
        return f"{self.year}年{self.month}月"

    @property
    def funds_in_place(self):
        return sum((getattr(self, name) for name, _s in FUND_FIELDS), ZERO)

    @property
    def fund_rows(self):
        """(source label, amount) of this month's funds in place, for pages that show them."""
        return [(source.label, getattr(self, name)) for name, source in FUND_FIELDS]

    @property
    def is_editable(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
