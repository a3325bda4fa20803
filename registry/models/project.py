"""The key project and its 五个一 contracting: work team and contracting history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registry.choices import Category, Nature, Pool, ProjectLevel, Sector, Stage, TeamRole
from registry.models.base import ZERO, MoneyField, TimeStampedModel
from registry.models.organisation import Leader, Program, Region, Unit
from registry.models.search import SEARCHED_FIELDS, trigram_index


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        from registry.scoping import visible_projects

        return visible_projects(user, self)

    def alive(self):
        return self.filter(is_deleted=False)


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    """Default manager hides soft-deleted projects; `all_objects` sees them."""

    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class Project(TimeStampedModel):
    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    level = models.CharField("项目级别", max_length=10, choices=ProjectLevel.choices)
    programs = models.ManyToManyField(
        Program, verbose_name="专项计划", blank=True, related_name="projects"
    )
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    # Blank, and 责任单位 empty, only on a project imported from the published plan that
    # still has to be completed (待完善, registry.selectors.incomplete_projects).
    sector = models.CharField("产业类别", max_length=10, choices=Sector.choices, blank=True)
    nature = models.CharField("建设性质", max_length=20, choices=Nature.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="projects"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    leader = models.ForeignKey(
        Leader,
        verbose_name="分包领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    package = models.ForeignKey(
        "self",
        verbose_name="所属打包项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_projects",
    )
    is_package = models.BooleanField("打包项目", default=False)
    owner = models.CharField("项目业主", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    scope = models.TextField("建设内容及规模", blank=True)
    location = models.CharField("建设地点", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    total_investment = MoneyField("总投资(万元)", default=ZERO)
    invested_before_year = MoneyField("至上年底累计完成投资(万元)", default=ZERO)
    planned_start = models.DateField("计划开工时间", null=True, blank=True)
    planned_finish = models.DateField("计划竣工时间", null=True, blank=True)
    projected_finish = models.DateField("预计竣工时间", null=True, blank=True)
    stage = models.CharField(
        "项目阶段", max_length=20, choices=Stage.choices, default=Stage.PREPARATORY
    )
    signed_on = models.DateField("签约时间", null=True, blank=True)
    filed_on = models.DateField("备案时间", null=True, blank=True)
    started_on = models.DateField("开工时间", null=True, blank=True)
    completed_on = models.DateField("竣工时间", null=True, blank=True)
    operating_on = models.DateField("投产时间", null=True, blank=True)
    capacity_on = models.DateField("达产达效时间", null=True, blank=True)
    approval_code = models.CharField("项目审批代码", max_length=50, blank=True)
    # 入统/纳统: a started project enters the fixed-asset investment statistics database
    # (SPEC §3.1); one started longer than the rule set's days ago and not in is 应入统未入统.
    stats_registered = models.BooleanField("已入统", default=False)
    stats_registered_on = models.DateField("入统时间", null=True, blank=True)
    stats_code = models.CharField("统计代码", max_length=50, blank=True)
    pool = models.CharField("项目库", max_length=20, choices=Pool.choices, default=Pool.LISTED)
    pool_reason = models.CharField("入库/退库原因", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    is_deleted = models.BooleanField("已删除", default=False)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    # Optimistic lock: every save through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField("版本", default=1)

    objects = ProjectManager()
    all_objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["code"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["year", "region"]),
            models.Index(fields=["name"]),
            # The keyword search (`q`: icontains, i.e. UPPER(col::text) LIKE '%…%') reads
            # these trigram indexes on PostgreSQL; migration 0024 skips them elsewhere.
            *(trigram_index(f"project_{f}_trgm", f) for f in SEARCHED_FIELDS),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0) & Q(invested_before_year__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message="投资金额不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_finish__isnull=True)
                | Q(planned_finish__gte=F("planned_start")),
                name="%(app_label)s_%(class)s_finish_after_start",
                violation_error_message="计划竣工时间不能早于计划开工时间",
            ),
            models.CheckConstraint(
                condition=Q(stats_registered_on__isnull=True) | Q(stats_registered=True),
                name="%(app_label)s_%(class)s_stats_date_needs_registration",
                violation_error_message="填写了入统时间的项目应勾选“已入统”",
            ),
            models.CheckConstraint(
                condition=~Q(pool=Pool.WITHDRAWN) | ~Q(pool_reason=""),
                name="%(app_label)s_%(class)s_withdraw_has_reason",
                violation_error_message="退库必须填写原因",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def soft_delete(self):
        self.is_deleted = True
        self.deleted_at = timezone.now()
        self.save(update_fields=["is_deleted", "deleted_at", "updated_at"])


class WorkTeamMember(models.Model):
    """工作班子 member."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField("姓名", max_length=30)
    post = models.CharField("职务", max_length=100, blank=True)
    unit_name = models.CharField("工作单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    role = models.CharField("班子职责", max_length=10, choices=TeamRole.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作班子成员"
        verbose_name_plural = "工作班子成员"
        ordering = ["project", "id"]  # entered 组长 first, as the team is listed

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class ContractAssignment(models.Model):
    """Who contracted the project (leader and unit) from when to when; open end = current."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="assignments"
    )
    leader = models.ForeignKey(
        Leader,
        verbose_name="分包领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="assignments"
    )
    start_on = models.DateField("起始日期")
    end_on = models.DateField("截止日期", null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="变更人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField("变更原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "包保责任变更记录"
        verbose_name_plural = "包保责任变更记录"
        ordering = ["project", "-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="截止日期不能早于起始日期",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(end_on__isnull=True),
                name="%(app_label)s_%(class)s_one_current",
                violation_error_message="一个项目只能有一条当前包保记录",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.leader} {self.start_on}—{self.end_on or '至今'}"
