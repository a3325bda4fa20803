from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    WECOM = "wecom", "企业微信/政务微信群"
    DINGTALK = "dingtalk", "钉钉群"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    RETRYING = "retrying", "等待重试"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One message on one channel: the outbox row, kept with its status and attempts.

    (channel, address, event_key) is unique: an event reaches an SMS number or a group once,
    however many notices, retries or workers there are. A group robot's address is "" (the
    configured group), so an event told to many people is posted to the group once."""

    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField("号码/群", max_length=50, blank=True)
    event_key = models.CharField("事件", max_length=160)
    # The in-app notice this came from (kept as a number: the notice lives in another app).
    notice_id = models.PositiveBigIntegerField("通知编号", null=True, blank=True)
    text = models.TextField("消息内容")
    mentions = models.JSONField("提醒手机号", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "渠道消息"
        verbose_name_plural = "渠道消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address", "event_key"],
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message="同一事件已向该号码或群发送过",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.address} {self.event_key}"
