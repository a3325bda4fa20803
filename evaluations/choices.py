"""Choices of the evaluation events (SPEC §3.10)."""

from django.db import models


class EventStatus(models.TextChoices):
    OPEN = "open", "评分中"
    CLOSED = "closed", "已发布"


class ParticipantKind(models.TextChoices):
    REGION = "region", "所在地区（县区/乡镇）"
    UNIT = "unit", "责任单位（部门）"


# The scoring sheet of a first event (later events copy the last one's): SPEC §3.10's examples.
DEFAULT_CRITERIA = [
    ("项目体量", "30", "总投资规模、年度计划投资及对地方经济的带动作用"),
    ("建设进度", "30", "对照年度计划和节点的实际进度，形象进度是否与月报一致"),
    ("质量效益", "15", "工程质量、安全文明施工、投产后的产出和税收"),
    ("创新亮点", "15", "新技术、新模式、要素保障和服务上的创新做法"),
    ("现场组织", "10", "现场展示、讲解和观摩组织情况"),
]
