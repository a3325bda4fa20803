"""领导批示 (SPEC §3.10): a leader's instruction on a project or one of its problems, a task for
the responsible unit with a deadline, answered by 反馈 with attachments and followed like 督办."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField, random_name
from instructions.choices import InstructionStatus
from milestones.models import Problem
from registry.models import Project, Unit


class Instruction(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="instructions"
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name="问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="instructions"
    )
    text = models.TextField("批示内容")
    issued_on = models.DateField("批示日期", default=timezone.localdate)
    deadline = models.DateField("反馈时限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批示领导",
        null=True,
        on_delete=models.SET_NULL,
        related_name="instructions_issued",
    )
    # The leader's name and post as signed, kept when the account changes later.
    signed_as = models.CharField("批示人", max_length=100)
    status = models.CharField(
        "状态", max_length=20, choices=InstructionStatus.choices, default=InstructionStatus.PENDING
    )
    answered_at = models.DateTimeField("首次反馈时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")),
                name="%(app_label)s_%(class)s_deadline_after_issue",
                violation_error_message="反馈时限不能早于批示日期",
            ),
            models.CheckConstraint(
                condition=~Q(status=InstructionStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="%(app_label)s_%(class)s_answered_has_time",
                violation_error_message="已反馈的批示必须有反馈时间",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="%(app_label)s_%(class)s_text_not_empty",
                violation_error_message="请填写批示内容",
            ),
        ]

    def __str__(self):
        return f"{self.signed_as}批示：{self.project.name}"


class Feedback(models.Model):
    """反馈: what the responsible unit did; the first one answers the 批示, later ones add to it."""

    instruction = models.ForeignKey(
        Instruction, verbose_name="批示", on_delete=models.PROTECT, related_name="feedback"
    )
    text = models.TextField("反馈内容")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("反馈时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "批示反馈"
        verbose_name_plural = "批示反馈"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="%(app_label)s_%(class)s_text_not_empty",
                violation_error_message="请填写反馈内容",
            ),
        ]

    def __str__(self):
        return f"反馈：{self.instruction}"


def attachment_path(instance, filename):
    return random_name("instructions", filename)


class Attachment(models.Model):
    feedback = models.ForeignKey(
        Feedback, verbose_name="反馈", on_delete=models.PROTECT, related_name="attachments"
    )
    file = PrivateFileField(
        "文件", upload_to=attachment_path, download_view="instructions:attachment"
    )
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    size = models.PositiveIntegerField("大小(字节)", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "反馈附件"
        verbose_name_plural = "反馈附件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name
