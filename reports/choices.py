"""Choices of the reports app."""

from django.db import models


class ReportsNotice(models.TextChoices):
    """Notices about reports (registered in core.kinds.NOTICE_KINDS)."""

    REPORT_RUN_DONE = "report_run_done", "报表已生成"
    REPORT_PUBLISHED = "report_published", "报表已发布"
    REPORT_CORRECTED = "report_corrected", "报表已更正"
