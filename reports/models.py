"""Report runs (SPEC §3.4): one row per kind, period and scope, rebuilt in place."""

from django.conf import settings
from django.db import models

from registry.files import PrivateFileField, random_name


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", "月度调度"
    QUARTERLY = "quarterly", "季度通报"
    YEARLY = "yearly", "年度考评"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队"
    RUNNING = "running", "生成中"
    DONE = "done", "完成"
    FAILED = "failed", "失败"


def report_path(instance, filename):
    return random_name("reports", filename)


CITY_SCOPE = "city"


class ReportRun(models.Model):
    kind = models.CharField("报表类型", max_length=12, choices=ReportKind.choices)
    period = models.CharField("期间", max_length=10, help_text="2026-03、2026-Q1 或 2026")
    region = models.ForeignKey(
        "registry.Region",
        verbose_name="地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="空为全市",
    )
    # "city" or the region's code: one row per kind, period and scope (NULLs are never equal
    # in a unique constraint, so the region itself cannot carry it).
    scope_key = models.CharField("范围", max_length=20, default=CITY_SCOPE, editable=False)
    status = models.CharField(
        "状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_runs",
    )
    requested_at = models.DateTimeField("申请时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    file = PrivateFileField(
        "文件", upload_to=report_path, blank=True, download_view="reports:download"
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    error = models.TextField("失败原因", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    # The token of the execution that may store the file (services.claim / finish).
    claim = models.CharField("执行令牌", max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    # How many times a worker's loss sent the run again (registry.jobs).
    requeues = models.PositiveSmallIntegerField("重新排队次数", default=0, editable=False)
    builds = models.PositiveIntegerField("生成次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "scope_key"],
                name="reports_one_run_per_kind_period_scope",
                violation_error_message="该报表已存在，请在原记录上重新生成",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return self.region.name if self.region_id else "全市"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
