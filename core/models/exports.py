"""A big spreadsheet export built by a worker: who asked, for what, how far."""

from django.conf import settings
from django.db import models

from core.choices import ExportStatus
from core.files import PrivateFileField, random_name
from core.kinds import export_kind_choices


def export_path(instance, filename):
    # The name the user downloads is kept in `file_name`.
    return random_name("exports", filename)


class ExportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导出人",
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField("导出类型", max_length=20, choices=export_kind_choices)
    # The list's query string when the user asked; the worker rebuilds the rows from it,
    # scoped for `user` at the time it runs.
    params = models.TextField("筛选条件", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已生成行数", default=0)
    error = models.TextField("错误信息", blank=True)
    file = PrivateFileField(
        "文件", upload_to=export_path, blank=True, download_view="portal:export_file"
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    # The message building this row (core.jobs looks for it in Redis) and how many
    # times a worker's loss sent it again.
    task_id = models.CharField("任务编号", max_length=64, blank=True, editable=False)
    requeues = models.PositiveSmallIntegerField("重新排队次数", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Bumped by every state or progress change: a job unfinished and unmoved for
    # EXPORT_STALE_MINUTES lost its worker (core.export_jobs).
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        # The table keeps the name it was created under (the model moved from registry).
        db_table = "registry_exportjob"
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def running(self):
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self):
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
