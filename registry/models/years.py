"""The list years (SPEC §3.5): which yearly lists exist and which are closed."""

from django.conf import settings
from django.db import models


class ListYear(models.Model):
    """One yearly list. A year without a row is open (its list exists through its plans);
    a closed year is read-only except for admins."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    started_from = models.PositiveSmallIntegerField("由哪一年度滚动生成", null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField("生成时间", null=True, blank=True)
    closed = models.BooleanField("已关闭", default=False)
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
        verbose_name = "年度名单"
        verbose_name_plural = "年度名单"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度{'（已关闭）' if self.closed else ''}"
