"""停工/复工 requests of a project (SPEC §3.2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from milestones.choices import RequestStatus, SuspensionKind
from registry.models import Project


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
