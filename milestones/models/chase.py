"""催报 records: which project's reporters were reminded on which day, and by whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models import Project


class ChaseLog(models.Model):
    """One row per project and day a reviewer pressed 催报: the unique (project, day) is what
    keeps a project's reporters from being reminded twice in one day, however often (or by
    however many reviewers at once) the button is pressed."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="chases"
    )
    day = models.DateField("催报日期")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-day", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "day"],
                name="%(app_label)s_%(class)s_once_per_day",
                violation_error_message="该项目今日已催报",
            )
        ]

    def __str__(self):
        return f"{self.day} 催报 {self.project}"
