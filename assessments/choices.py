"""Choices of the assessments app (SPEC §3.3), short codes with Chinese labels."""

from django.db import models


class Status(models.TextChoices):
    AHEAD = "ahead", "较快"
    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    LAGGING = "lagging", "滞后"
    UNREPORTED = "unreported", "未报"


# 红黄绿灯: 滞后 red, 预警 yellow, 正常/较快 green, 未报 grey.
STATUS_COLOUR = {
    Status.AHEAD: "green",
    Status.NORMAL: "green",
    Status.WARNING: "yellow",
    Status.LAGGING: "red",
    Status.UNREPORTED: "grey",
}
# Order used by counts and legends: worst first.
STATUS_ORDER = [Status.LAGGING, Status.WARNING, Status.NORMAL, Status.AHEAD, Status.UNREPORTED]


class GapForm(models.TextChoices):
    POINTS = "points", "百分点差（R−T）"
    RATIO = "ratio", "比值（R÷T）"


class RuleMode(models.TextChoices):
    OVERALL = "overall", "综合判定（首条命中）"
    LIGHTS = "lights", "分项亮灯（开工/进度/资金到位）"
