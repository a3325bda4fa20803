"""Plans, progress and problems of a project (SPEC §3.2).

Money is 万元 (Decimal, 2 places). Reports and problems are audited (simple-history) and
optimistic-locked through `version` (see registry.services.check_version).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from milestones.choices import (
    CoordinationLevel,
    LetterKind,
    LetterStatus,
    MilestoneKind,
    ProblemCategory,
    ProblemStatus,
    ReportStatus,
    RequestStatus,
    SuspensionKind,
)
from registry.choices import FundingSource
from registry.models import Project, Unit
from registry.models.base import ZERO, MoneyField

# Funds in place reported per source: one column per FundingSource (fund_central, …).
FUND_FIELDS = [(f"fund_{s.value}", s) for s in FundingSource]


def default_deadline(year: int, month: int) -> datetime.date:
    """The 5th of the month after the reported month."""
    if month == 12:
        return datetime.date(year + 1, 1, 5)
    return datetime.date(year, month + 1, 5)


class ReportingWindow(models.Model):
    """调度期: the DRC opens a month for submission and closes it; a deadline marks lateness."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    opens_on = models.DateField("开始日期")
    deadline = models.DateField("截止日期")
    is_open = models.BooleanField("开放中", default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开启人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField("开启时间", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "调度期"
        verbose_name_plural = "调度期"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="%(app_label)s_%(class)s_one_per_month",
                violation_error_message="该月份的调度期已存在",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="%(app_label)s_%(class)s_month_range",
                violation_error_message="月份应在1到12之间",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")),
                name="%(app_label)s_%(class)s_deadline_after_open",
                violation_error_message="截止日期不能早于开始日期",
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月调度期"

    @property
    def period_label(self):
        return f"{self.year}年{self.month}月"

    def accepts_on(self, day: datetime.date) -> bool:
        return self.is_open and day >= self.opens_on


class Milestone(models.Model):
    """节点: planned and actual date; overdue = planned date passed and no actual date."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField("节点类型", max_length=20, choices=MilestoneKind.choices)
    name = models.CharField("节点名称", max_length=100)
    planned_on = models.DateField("计划日期")
    actual_on = models.DateField("实际日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["project", "planned_on", "id"]
        indexes = [models.Index(fields=["planned_on"])]

    def __str__(self):
        return f"{self.name}（计划{self.planned_on:%Y-%m-%d}）"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.actual_on is None and self.planned_on < today

    def overdue_days(self, today=None) -> int:
        today = today or timezone.localdate()
        return (today - self.planned_on).days if self.is_overdue(today) else 0

    @property
    def overdue(self):
        return self.is_overdue()


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


def problem_overdue(status, deadline, today) -> bool:
    """An unresolved problem past its 解决时限 (the rule behind Problem.is_overdue, for rows
    read as plain values, e.g. the problem export)."""
    return status != ProblemStatus.RESOLVED and deadline is not None and deadline < today


class Problem(models.Model):
    """问题清单 entry; overdue = deadline passed and not resolved."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="problems"
    )
    category = models.CharField("问题类别", max_length=20, choices=ProblemCategory.choices)
    description = models.TextField("问题描述")
    # The 问题/措施/责任/时限 list DRCs circulate: what will be done about it, and by whom.
    measures = models.TextField("措施", blank=True, help_text="下一步解决措施及责任分工")
    coordination_level = models.CharField(
        "协调层级",
        max_length=20,
        choices=CoordinationLevel.choices,
        default=CoordinationLevel.COUNTY,
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    deadline = models.DateField("解决时限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    is_supervised = models.BooleanField("督办", default=False)
    progress_note = models.TextField("推进情况", blank=True)
    resolution = models.TextField("解决情况", blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    source_report = models.ForeignKey(
        ProgressReport,
        verbose_name="来源月报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["status", "deadline", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProblemStatus.RESOLVED) | ~Q(resolution=""),
                name="%(app_label)s_%(class)s_resolved_has_resolution",
                violation_error_message="问题标记为已解决时必须填写解决情况",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}：{self.description[:30]}"

    def is_overdue(self, today=None) -> bool:
        return problem_overdue(self.status, self.deadline, today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()


class SupervisionLetter(models.Model):
    """两函一单: 提醒函 / 交办函 / 督办函 issued by the DRC with a reply deadline."""

    kind = models.CharField("函件类型", max_length=20, choices=LetterKind.choices)
    number = models.CharField("文号", max_length=50, unique=True)
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="letters"
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name="问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    recipient = models.ForeignKey(
        Unit, verbose_name="主送单位", on_delete=models.PROTECT, related_name="letters"
    )
    body = models.TextField("函件内容")
    issued_on = models.DateField("发函日期", default=timezone.localdate)
    reply_deadline = models.DateField("回复时限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发函人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=20, choices=LetterStatus.choices, default=LetterStatus.ISSUED
    )
    reply = models.TextField("回复内容", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    withdrawn_reason = models.CharField("作废原因", max_length=200, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("作废时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "两函一单"
        verbose_name_plural = "两函一单"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_deadline__gte=models.F("issued_on")),
                name="%(app_label)s_%(class)s_deadline_after_issue",
                violation_error_message="回复时限不能早于发函日期",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.REPLIED) | ~Q(reply=""),
                name="%(app_label)s_%(class)s_replied_has_reply",
                violation_error_message="已回复的函件必须有回复内容",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="%(app_label)s_%(class)s_withdrawn_has_reason",
                violation_error_message="作废函件必须填写原因",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        if self.problem_id and self.project_id and self.problem.project_id != self.project_id:
            raise ValidationError({"problem": "所选问题不属于该项目"})

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == LetterStatus.ISSUED and self.reply_deadline < today

    @property
    def overdue(self):
        return self.is_overdue()


class ProjectSuspension(models.Model):
    """停工/复工 request by a reporter, approved or rejected by a reviewer."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="suspensions"
    )
    kind = models.CharField("申请类型", max_length=10, choices=SuspensionKind.choices)
    happened_on = models.DateField("停工/复工日期")
    expected_resume_on = models.DateField("预计复工日期", null=True, blank=True)
    reason = models.TextField("原因")
    status = models.CharField(
        "状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "停工/复工申请"
        verbose_name_plural = "停工/复工申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending",
                violation_error_message="该项目已有待审核的停工/复工申请",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}申请"


# Site photos live in their own module; imported here so migrations and callers find them.
from milestones.models_chase import ChaseLog  # noqa: E402, F401
from milestones.models_photos import (  # noqa: E402, F401
    PHOTO_EXTENSIONS,
    PendingPhoto,
    ReportPhoto,
    photo_path,
    validate_photo,
)
