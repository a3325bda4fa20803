"""节点 of a project: planned and actual dates (SPEC §3.2)."""

from django.db import models
from django.utils import timezone

from milestones.choices import MilestoneKind
from registry.models import Project


class Milestone(models.Model):
    """节点: planned and actual date; overdue = planned date passed and no actual date."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField("节点类型", max_length=20, choices=MilestoneKind.choices)
    name = models.CharField("节点名称", max_length=100)
    planned_on = models.DateField("计划日期")
    actual_on = models.DateField("实际日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["project", "planned_on", "id"]
        indexes = [models.Index(fields=["planned_on"])]

    def __str__(self):
        return f"{self.name}（计划{self.planned_on:%Y-%m-%d}）"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.actual_on is None and self.planned_on < today

    def overdue_days(self, today=None) -> int:
        today = today or timezone.localdate()
        return (today - self.planned_on).days if self.is_overdue(today) else 0

    @property
    def overdue(self):
        return self.is_overdue()
