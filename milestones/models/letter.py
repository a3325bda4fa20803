"""两函一单: supervision letters issued by the DRC (SPEC §3.2)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from milestones.choices import LetterKind, LetterStatus
from milestones.models.problem import Problem
from registry.models import Project, Unit


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
