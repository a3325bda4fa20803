"""调度图片 rows: photos attached to a monthly report, and pending ones kept for a reporter
whose form failed validation (see milestones/photos.py for how a file becomes a photo)."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.files import PrivateFileField, random_name
from milestones.models import ProgressReport
from registry.models import Project

PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def photo_path(instance, filename):
    return random_name("report_photos", filename)


def validate_photo(file):
    """Last guard on the row; the content itself is checked by milestones.photos.prepare."""
    ext = os.path.splitext(file.name)[1].lower()
    if ext not in PHOTO_EXTENSIONS:
        raise ValidationError("调度图片只能是 JPG/PNG/GIF/WEBP 格式", code="photo_type")
    if file.size and file.size > settings.PHOTO_MAX_BYTES:
        mb = settings.PHOTO_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"单张图片不能超过{mb}MB", code="photo_size")


class PhotoEvidence(models.Model):
    """What the camera recorded (EXIF, read before the file was re-encoded without it)."""

    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def evidence(self) -> str:
        from milestones.photos import evidence

        return evidence(self.taken_at, self.latitude, self.longitude)


class ReportPhoto(PhotoEvidence):
    """调度图片: a site photo attached to a monthly report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="月报", on_delete=models.CASCADE, related_name="photos"
    )
    image = PrivateFileField(
        "图片", upload_to=photo_path, validators=[validate_photo], download_view="milestones:photo"
    )
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        app_label = "milestones"
        verbose_name = "调度图片"
        verbose_name_plural = "调度图片"
        ordering = ["report", "id"]

    def __str__(self):
        return self.caption or self.original_name or os.path.basename(self.image.name)


class PendingPhoto(PhotoEvidence):
    """A checked photo from a report form that failed validation, kept for its uploader's next
    save of the same project and month (then moved onto the report)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="上传人"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, verbose_name="项目")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    image = PrivateFileField(
        "图片",
        upload_to=photo_path,
        validators=[validate_photo],
        download_view="milestones:pending_photo",
    )
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        app_label = "milestones"
        verbose_name = "暂存图片"
        verbose_name_plural = "暂存图片"
        indexes = [models.Index(fields=["user", "project", "year", "month"])]

    def __str__(self):
        return self.original_name or os.path.basename(self.image.name)
