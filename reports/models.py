"""Report runs (SPEC §3.4): one row per kind, period and scope, rebuilt in place."""

from django.conf import settings
from django.db import models

from core.files import PrivateFileField, random_name


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
    # How many times a worker's loss sent the run again (core.jobs).
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


def publication_path(instance, filename):
    return random_name("publications", filename)


class Publication(models.Model):
    """One published version of a report (SPEC §3.8): what was issued, frozen.

    The printable page is kept as the HTML it was rendered to (`body_html`, with the chart data
    in `charts`), so it reads the same whatever the data, the computation or the template do
    later; `figures` holds the same figures, sentences and list rows as plain JSON, which is
    what the next version is compared with (`changes`) and what the API and the tests read.
    Rows are never edited: a correction is a new row with the next version number, so the rows
    themselves are the audit trail of who published what and when.
    """

    kind = models.CharField("报表类型", max_length=12, choices=ReportKind.choices)
    period = models.CharField("期间", max_length=10)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name="地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
        help_text="空为全市",
    )
    scope_key = models.CharField("范围", max_length=20, default=CITY_SCOPE, editable=False)
    version = models.PositiveSmallIntegerField("版本", default=1)
    issue_year = models.PositiveSmallIntegerField("期号年度")
    issue_number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=200)
    body_html = models.TextField("发布正文", blank=True)
    charts = models.JSONField("图表数据", default=dict, blank=True)
    figures = models.JSONField("发布数据", default=dict)
    changes = models.JSONField("更正内容", default=list, blank=True)
    note = models.CharField("更正说明", max_length=300, blank=True)
    file = PrivateFileField(
        "报表文件", upload_to=publication_path, blank=True, download_view="bulletin:download"
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    published_at = models.DateTimeField("发布时间")
    # The person who asked for the report run of this period (told of corrections).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "已发布报表"
        verbose_name_plural = "已发布报表"
        ordering = ["kind", "period", "scope_key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "scope_key", "version"],
                name="%(app_label)s_%(class)s_one_per_version",
                violation_error_message="该报表的这一版本已发布",
            ),
            # An issue number names one report (its versions share it): two periods
            # published at the same moment cannot both take it.
            models.UniqueConstraint(
                fields=["kind", "scope_key", "issue_year", "issue_number", "version"],
                name="%(app_label)s_%(class)s_one_issue_number",
                violation_error_message="该期号已被使用",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.issue_label}{self.version_label}）"

    @property
    def issue_label(self) -> str:
        return f"{self.issue_year}年第{self.issue_number}期"

    @property
    def version_label(self) -> str:
        return "" if self.version == 1 else f" 更正版{self.version}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1


class ReaderAction(models.TextChoices):
    VIEWED = "viewed", "阅读"
    DOWNLOADED = "downloaded", "下载"


class PublicationReader(models.Model):
    """Who received a published version (opened its page or downloaded its workbook): the
    people a correction must reach."""

    publication = models.ForeignKey(
        Publication, verbose_name="发布版本", on_delete=models.CASCADE, related_name="readers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="读者",
        on_delete=models.CASCADE,
        related_name="+",
    )
    action = models.CharField("方式", max_length=12, choices=ReaderAction.choices)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "发布接收人"
        verbose_name_plural = "发布接收人"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "user", "action"],
                name="%(app_label)s_%(class)s_once_per_action",
                violation_error_message="已记录",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.publication}"
