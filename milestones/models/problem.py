"""问题清单: a project's problems, their owners and deadlines (SPEC §3.2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from milestones.choices import CoordinationLevel, ProblemCategory, ProblemStatus
from milestones.models.report import ProgressReport
from registry.models import Project, Unit


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
