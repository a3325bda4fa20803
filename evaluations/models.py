"""观摩评比 events (SPEC §3.10): groups, routes, the projects visited, the scoring sheet, the
evaluators (a per-event 评委 role) and their scores; the ranking frozen when the event closes."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from evaluations.choices import EventStatus, ParticipantKind
from registry.models import Project, Region, Unit


class Event(models.Model):
    """观摩评比活动: the projects of `year`'s list as it stood on `starts_on` (SPEC §3.8)."""

    name = models.CharField("活动名称", max_length=100)
    year = models.PositiveSmallIntegerField("项目年度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField(
        "状态", max_length=10, choices=EventStatus.choices, default=EventStatus.OPEN
    )
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The ranking as published: every figure frozen (SPEC §3.8), whatever changes later.
    results = models.JSONField("评比结果", default=dict, blank=True)
    # What each visited project stood at when the event closed: the next event's 回头看.
    snapshot = models.JSONField("项目当时情况", default=dict, blank=True)
    issue = models.CharField("通报期号", max_length=30, blank=True)

    class Meta:
        verbose_name = "观摩评比活动"
        verbose_name_plural = "观摩评比活动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_dates_ordered",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == EventStatus.OPEN


class Group(models.Model):
    """比较组: participants compared with one another (towns and departments together or not)."""

    event = models.ForeignKey(
        Event, verbose_name="活动", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField("组名", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "比较组"
        verbose_name_plural = "比较组"
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="本活动已有同名的比较组",
            )
        ]

    def __str__(self):
        return self.name


class Route(models.Model):
    """观摩路线: the projects an evaluators' bus visits, in order."""

    event = models.ForeignKey(
        Event, verbose_name="活动", on_delete=models.CASCADE, related_name="routes"
    )
    name = models.CharField("路线名称", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "观摩路线"
        verbose_name_plural = "观摩路线"
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="本活动已有同名的路线",
            )
        ]

    def __str__(self):
        return self.name


class Stop(models.Model):
    """A visited project: on a route, in a group, scored for a participant (the region it
    lies in, or its responsible unit)."""

    event = models.ForeignKey(
        Event, verbose_name="活动", on_delete=models.CASCADE, related_name="stops"
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="evaluation_stops"
    )
    group = models.ForeignKey(
        Group, verbose_name="比较组", on_delete=models.PROTECT, related_name="stops"
    )
    route = models.ForeignKey(
        Route, verbose_name="路线", on_delete=models.PROTECT, related_name="stops"
    )
    participant_kind = models.CharField(
        "参评主体", max_length=10, choices=ParticipantKind.choices, default=ParticipantKind.REGION
    )
    region = models.ForeignKey(
        Region,
        verbose_name="参评地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="参评单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField("观摩顺序", default=0)

    class Meta:
        verbose_name = "观摩项目"
        verbose_name_plural = "观摩项目"
        ordering = ["event", "route__order", "route", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "project"],
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message="该项目已在本活动的观摩名单中",
            ),
            models.CheckConstraint(
                condition=(Q(participant_kind="region", region__isnull=False, unit__isnull=True))
                | Q(participant_kind="unit", unit__isnull=False, region__isnull=True),
                name="%(app_label)s_%(class)s_one_participant",
                violation_error_message="参评主体须为一个地区或一个单位",
            ),
        ]

    def __str__(self):
        return self.project.name

    @property
    def participant_key(self) -> str:
        return f"{self.participant_kind}:{self.region_id or self.unit_id}"


class Criterion(models.Model):
    """A line of the scoring sheet: what is judged, its maximum points and how."""

    event = models.ForeignKey(
        Event, verbose_name="活动", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("评分项", max_length=50)
    max_points = models.DecimalField(
        "分值", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField("评分说明", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="评分表已有同名的评分项",
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message="分值应大于0",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.max_points}分）"


class Evaluator(models.Model):
    """评委: an account given the event's 评委 role (for this event only)."""

    event = models.ForeignKey(
        Event, verbose_name="活动", on_delete=models.CASCADE, related_name="evaluators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评委账号",
        on_delete=models.PROTECT,
        related_name="evaluator_roles",
    )

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message="该账号已是本活动的评委",
            )
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class Score(models.Model):
    """One evaluator's points for one criterion of one visited project (saved as typed)."""

    evaluator = models.ForeignKey(
        Evaluator, verbose_name="评委", on_delete=models.CASCADE, related_name="scores"
    )
    stop = models.ForeignKey(
        Stop, verbose_name="观摩项目", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="评分项", on_delete=models.CASCADE, related_name="scores"
    )
    points = models.DecimalField(
        "得分", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    updated_at = models.DateTimeField("保存时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        ordering = ["evaluator", "stop", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "stop", "criterion"],
                name="%(app_label)s_%(class)s_one_per_line",
                violation_error_message="该评分项已有评分",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="%(app_label)s_%(class)s_not_negative",
                violation_error_message="得分不能为负数",
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} · {self.stop} · {self.criterion.name}：{self.points}"
