"""In-app notices (SPEC §3.7): one row per person and event, never two."""

from django.conf import settings
from django.db import models

from core.kinds import notice_kind_choices


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField("类型", max_length=20, choices=notice_kind_choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    # What happened, e.g. "report-returned:42:3": the same event never notifies a person twice.
    event_key = models.CharField("事件", max_length=120)
    emailed = models.BooleanField("已发邮件", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        # The table keeps the name it was created under (the model moved from registry).
        db_table = "registry_notice"
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="registry_notice_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
