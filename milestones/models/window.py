"""调度期: the month a DRC opens for monthly reports (SPEC §3.2)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
