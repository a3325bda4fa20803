"""要素保障 and plans: annual plan, funding, land, relocation, approvals, documents."""

from functools import reduce
from operator import and_

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField, random_name
from registry.choices import (
    ApprovalItem,
    ApprovalStatus,
    DocumentKind,
    FundingSource,
    LandSupply,
    RelocationStatus,
)
from registry.models.base import ZERO, AreaField, MoneyField, TimeStampedModel
from registry.models.project import Project

MONTH_FIELDS = [f"m{m:02d}" for m in range(1, 13)]


def _schedule_rule():
    """All 12 cumulative amounts empty, or non-decreasing and ending at the annual plan."""
    all_empty = reduce(and_, [Q(**{f"{f}__isnull": True}) for f in MONTH_FIELDS])
    filled = reduce(and_, [Q(**{f"{f}__isnull": False}) for f in MONTH_FIELDS])
    rising = reduce(
        and_,
        [Q(**{f"{b}__gte": F(a)}) for a, b in zip(MONTH_FIELDS, MONTH_FIELDS[1:], strict=False)],
    )
    ends = Q(m12=F("planned_investment")) & Q(m01__gte=0)
    return all_empty | (filled & rising & ends)


class AnnualPlan(TimeStampedModel):
    """Planned investment of one project for one year, with an optional cumulative schedule."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    planned_investment = MoneyField("年度计划投资(万元)")
    plan_start = models.BooleanField("年度计划开工", default=False)
    plan_finish = models.BooleanField("年度计划竣工", default=False)
    target_start = models.DateField("年度目标开工时间", null=True, blank=True)
    target_finish = models.DateField("年度目标竣工时间", null=True, blank=True)
    # 至上年底累计完成投资 as it stood when this year's list began (the year cycle sets it);
    # empty for plans made before the cycle existed: the project's own figure then applies.
    invested_before_year = MoneyField("至上年底累计完成投资(万元)", null=True, blank=True)
    # This row is the project's membership of the year's list (SPEC §3.8, dated): on it from
    # `listed_on` (empty: from the list's start, 正式) until `withdrawn_on` (退库; empty: still
    # on it). A period counts the list as it stood at its end (registry.selectors.year_list).
    listed_on = models.DateField("列入日期（增补）", null=True, blank=True)
    withdrawn_on = models.DateField("退库日期", null=True, blank=True)
    # Cumulative planned amounts by the end of each month (万元).
    m01 = MoneyField("1月累计计划", null=True, blank=True)
    m02 = MoneyField("2月累计计划", null=True, blank=True)
    m03 = MoneyField("3月累计计划", null=True, blank=True)
    m04 = MoneyField("4月累计计划", null=True, blank=True)
    m05 = MoneyField("5月累计计划", null=True, blank=True)
    m06 = MoneyField("6月累计计划", null=True, blank=True)
    m07 = MoneyField("7月累计计划", null=True, blank=True)
    m08 = MoneyField("8月累计计划", null=True, blank=True)
    m09 = MoneyField("9月累计计划", null=True, blank=True)
    m10 = MoneyField("10月累计计划", null=True, blank=True)
    m11 = MoneyField("11月累计计划", null=True, blank=True)
    m12 = MoneyField("12月累计计划", null=True, blank=True)
    # Audited like the project itself: imports and edits record who changed the plan.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["project", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message="该项目本年度已有年度计划",
            ),
            models.CheckConstraint(
                condition=Q(listed_on__isnull=True)
                | Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=F("listed_on")),
                name="%(app_label)s_%(class)s_withdrawn_after_listed",
                violation_error_message="退库日期不能早于列入日期",
            ),
            models.CheckConstraint(
                condition=Q(planned_investment__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message="年度计划投资不能为负数",
            ),
            models.CheckConstraint(
                condition=_schedule_rule(),
                name="%(app_label)s_%(class)s_schedule_rising_to_plan",
                violation_error_message="月度计划应逐月累计不减少，且12月累计等于年度计划投资",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.year}年计划"

    @property
    def schedule(self):
        values = [getattr(self, f) for f in MONTH_FIELDS]
        return values if all(v is not None for v in values) else None

    def planned_by_month(self, month):
        """Cumulative plan by the end of `month`; month/12 of the year when there is no schedule."""
        sched = self.schedule
        if sched:
            return sched[month - 1]
        return (self.planned_investment * month / 12).quantize(ZERO)


class Funding(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField("资金来源", max_length=20, choices=FundingSource.choices)
    planned = MoneyField("计划金额(万元)", default=ZERO)
    in_place = MoneyField("到位金额(万元)", default=ZERO)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金"
        verbose_name_plural = "资金"
        ordering = ["project", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source"],
                name="%(app_label)s_%(class)s_one_per_source",
                violation_error_message="同一资金来源只能登记一次",
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0) & Q(in_place__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message="资金金额不能为负数",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.in_place}/{self.planned}万元"


class Land(models.Model):
    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="land"
    )
    required_area = AreaField("需用地面积(亩)")
    farmland_conversion = AreaField("其中农转用(亩)")
    indicator_secured = AreaField("已落实指标(亩)")
    approved_area = AreaField("已批复面积(亩)")
    supply_status = models.CharField(
        "供地状态", max_length=20, choices=LandSupply.choices, default=LandSupply.NOT_STARTED
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用地"
        verbose_name_plural = "用地"
        constraints = [
            models.CheckConstraint(
                condition=Q(required_area__gte=0)
                & Q(farmland_conversion__gte=0)
                & Q(indicator_secured__gte=0)
                & Q(approved_area__gte=0),
                name="%(app_label)s_%(class)s_area_not_negative",
                violation_error_message="面积不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(farmland_conversion__lte=F("required_area")),
                name="%(app_label)s_%(class)s_conversion_within_required",
                violation_error_message="农转用面积不能大于需用地面积",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} 用地{self.required_area}亩"


class Relocation(models.Model):
    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="relocation"
    )
    households_total = models.PositiveIntegerField("需征迁户数", default=0)
    households_done = models.PositiveIntegerField("已征迁户数", default=0)
    area_total = AreaField("需征迁面积(亩)")
    area_done = AreaField("已征迁面积(亩)")
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField(
        "征迁状态",
        max_length=20,
        choices=RelocationStatus.choices,
        default=RelocationStatus.NOT_NEEDED,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "征迁"
        verbose_name_plural = "征迁"
        constraints = [
            models.CheckConstraint(
                condition=Q(households_done__lte=F("households_total")),
                name="%(app_label)s_%(class)s_done_within_total",
                violation_error_message="已征迁户数不能大于需征迁户数",
            ),
            models.CheckConstraint(
                condition=Q(area_done__lte=F("area_total")),
                name="%(app_label)s_%(class)s_area_done_within_total",
                violation_error_message="已征迁面积不能大于需征迁面积",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} 征迁{self.households_done}/{self.households_total}户"


class Approval(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="approvals"
    )
    item = models.CharField("手续事项", max_length=20, choices=ApprovalItem.choices)
    status = models.CharField(
        "办理状态", max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    done_on = models.DateField("办结日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "前期手续"
        verbose_name_plural = "前期手续"
        ordering = ["project", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "item"],
                name="%(app_label)s_%(class)s_one_per_item",
                violation_error_message="该手续事项已登记",
            ),
        ]

    def __str__(self):
        return f"{self.get_item_display()}：{self.get_status_display()}"


def document_path(instance, filename):
    return random_name("documents", filename)


class Document(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("材料类型", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=200)
    file = PrivateFileField("文件", upload_to=document_path, download_view="registry:document")
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who uploaded or removed which file, and when (the web upload records its reason).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "入库材料"
        verbose_name_plural = "入库材料"
        ordering = ["project", "-uploaded_at"]

    def __str__(self):
        return self.title
