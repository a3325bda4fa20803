"""A record of every spreadsheet import (who, when, file, counts, errors)."""

from django.conf import settings
from django.db import models

from core.files import PrivateFileField, random_name
from registry.choices import ImportStatus, ProjectLevel, import_kind_choices


def import_path(instance, filename):
    # The uploaded name is kept in `file_name`.
    return random_name("imports", filename)


class ImportBatch(models.Model):
    kind = models.CharField("导入类型", max_length=20, choices=import_kind_choices)
    file = PrivateFileField(
        "文件", upload_to=import_path, blank=True, download_view="registry:import_file"
    )
    file_name = models.CharField("文件名", max_length=255)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    create_missing = models.BooleanField("自动创建缺失的地区/单位/领导", default=False)
    # 项目级别 for rows and titles that do not say (the published plan).
    default_level = models.CharField(
        "默认项目级别", max_length=10, choices=ProjectLevel.choices, blank=True
    )
    dry_run = models.BooleanField("仅预览", default=True)
    status = models.CharField(
        "状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_new = models.PositiveIntegerField("新增", default=0)
    rows_changed = models.PositiveIntegerField("变更", default=0)
    rows_unchanged = models.PositiveIntegerField("未变", default=0)
    rows_error = models.PositiveIntegerField("错误", default=0)
    # Preview detail: new/changed rows with field-level differences and errors.
    report = models.JSONField("预览结果", default=dict, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    # Who confirmed the preview: the real import runs as this user (their scope, their name
    # in the history), not as the uploader.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the rows touch, recorded by the preview (registry.scoping decides who is covered):
    # {"projects": [ids of existing projects], "regions": [ids of the rows' regions],
    #  "unplaced": rows whose region is unknown}. {} = not known yet.
    touched = models.JSONField("涉及范围", default=dict, blank=True)
    # Path of the smallest region holding every row ("" = only the uploader and admins).
    scope_path = models.CharField("覆盖地区路径", max_length=255, blank=True, db_index=True)
    # The message building this row (core.jobs looks for it in Redis) and how many
    # times a worker's loss sent it again.
    task_id = models.CharField("任务编号", max_length=64, blank=True, editable=False)
    requeues = models.PositiveSmallIntegerField("重新排队次数", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Bumped by every state or progress change: a batch unfinished and unmoved for
    # IMPORT_STALE_MINUTES lost its worker (registry.import_batches).
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"
