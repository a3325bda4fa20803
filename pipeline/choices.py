"""Choices of the pipeline before the list (SPEC §3.9)."""

from django.db import models


class PipelineStage(models.TextChoices):
    IDEA = "idea", "谋划"
    RESERVE = "reserve", "储备"
    PREPARATION = "preparation", "前期"
    MATURE = "mature", "成熟"


# Stage order, and the date field that records when a project reached each stage.
STAGE_ORDER = [s.value for s in PipelineStage]
STAGE_DATE = {
    PipelineStage.IDEA: "idea_on",
    PipelineStage.RESERVE: "reserve_on",
    PipelineStage.PREPARATION: "preparation_on",
    PipelineStage.MATURE: "mature_on",
}


class Source(models.TextChoices):
    OWN = "own", "自主谋划"
    INVESTMENT = "investment", "招商引资"


class BatchFollow(models.TextChoices):
    ON_TIME = "on_time", "按期开工"
    LATE = "late", "延后开工"
    PENDING = "pending", "尚未开工"
    WAITING = "waiting", "未到期"
