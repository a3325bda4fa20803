"""项目谋划库, targets and 集中开工 batches (SPEC §3.9)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField, random_name
from pipeline.choices import PipelineStage, Source
from registry.choices import Category, DocumentKind, Sector
from registry.models import Leader, Project, Region, Unit
from registry.models.base import ZERO, MoneyField, TimeStampedModel

# SPEC §3.9's bands (万元), installed by migration 0002 and editable in the admin.
DEFAULT_BANDS = [
    ("100亿元以上", Decimal("1000000")),
    ("50亿—100亿元", Decimal("500000")),
    ("10亿—50亿元", Decimal("100000")),
    ("5亿—10亿元", Decimal("50000")),
    ("1亿—5亿元", Decimal("10000")),
    ("1亿元以下", Decimal("0")),
]


class SizeBand(models.Model):
    """A size band of estimated total investment (≥100亿 … <1亿); editable in the admin."""

    label = models.CharField("规模档次", max_length=20, unique=True)
    min_amount = MoneyField("总投资下限(万元)", unique=True)

    class Meta:
        verbose_name = "投资规模档次"
        verbose_name_plural = "投资规模档次"
        ordering = ["-min_amount"]

    def __str__(self):
        return self.label


class PipelineProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        from registry.scoping import project_scope_q

        q = project_scope_q(user)
        return self if q is None else self.filter(q)


class PipelineProject(TimeStampedModel):
    name = models.CharField("项目名称", max_length=200)
    region = models.ForeignKey(
        Region, verbose_name="谋划地区", on_delete=models.PROTECT, related_name="pipeline_projects"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="谋划单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pipeline_projects",
    )
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    sector = models.CharField("产业类别", max_length=10, choices=Sector.choices, blank=True)
    total_investment = MoneyField("估算总投资(万元)", default=ZERO)
    scope = models.TextField("建设内容及规模", blank=True)
    stage = models.CharField(
        "谋划阶段", max_length=20, choices=PipelineStage.choices, default=PipelineStage.IDEA
    )
    idea_on = models.DateField("谋划时间")
    reserve_on = models.DateField("转入储备时间", null=True, blank=True)
    preparation_on = models.DateField("转入前期时间", null=True, blank=True)
    mature_on = models.DateField("转入成熟时间", null=True, blank=True)
    source = models.CharField("项目来源", max_length=20, choices=Source.choices, default=Source.OWN)
    investor = models.CharField("投资方", max_length=200, blank=True)
    signed_on = models.DateField("签约时间", null=True, blank=True)
    contract_amount = MoneyField("签约金额(万元)", null=True, blank=True)
    funds_in_place = MoneyField("到位资金(万元)", default=ZERO)
    filed_on = models.DateField("备案时间", null=True, blank=True)
    expected_start = models.DateField("预计开工时间", null=True, blank=True)
    leader = models.ForeignKey(
        Leader,
        verbose_name="包保领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pipeline_projects",
    )
    note = models.TextField("备注", blank=True)
    # Admission (列入): the list's Project this one became, the day and the year's list.
    project = models.OneToOneField(
        Project,
        verbose_name="列入后的重点项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pipeline_origin",
    )
    admitted_on = models.DateField("列入时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_deleted = models.BooleanField("已撤销", default=False)
    version = models.PositiveIntegerField("版本", default=1)

    objects = PipelineProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "谋划库项目"
        verbose_name_plural = "项目谋划库"
        ordering = ["region__code", "-total_investment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reserve_on__isnull=True) | Q(reserve_on__gte=F("idea_on")))
                & (Q(preparation_on__isnull=True) | Q(preparation_on__gte=F("idea_on")))
                & (Q(mature_on__isnull=True) | Q(mature_on__gte=F("idea_on"))),
                name="%(app_label)s_%(class)s_stages_after_idea",
                violation_error_message="阶段变更时间不能早于谋划时间",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(filed_on__gte=F("signed_on")),
                name="%(app_label)s_%(class)s_filed_after_signed",
                violation_error_message="备案时间不能早于签约时间",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(admitted_on__isnull=False),
                name="%(app_label)s_%(class)s_admission_dated",
                violation_error_message="列入名单的项目须有列入时间",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def admitted(self) -> bool:
        return self.project_id is not None


class StageChange(models.Model):
    """One dated stage move of a pipeline project, with who made it and why."""

    pipeline_project = models.ForeignKey(
        PipelineProject,
        verbose_name="谋划库项目",
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField("原阶段", max_length=20, choices=PipelineStage.choices)
    to_stage = models.CharField("新阶段", max_length=20, choices=PipelineStage.choices)
    changed_on = models.DateField("变更日期")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="变更人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "谋划阶段变更"
        verbose_name_plural = "谋划阶段变更"
        ordering = ["pipeline_project", "changed_on", "id"]

    def __str__(self):
        return f"{self.get_from_stage_display()}→{self.get_to_stage_display()} {self.changed_on}"


def pipeline_document_path(instance, filename):
    return random_name("documents", filename)


class PipelineDocument(models.Model):
    """A study, approval or contract of a pipeline project; on admission the list's project
    gets a 入库材料 row naming the same stored file."""

    pipeline_project = models.ForeignKey(
        PipelineProject,
        verbose_name="谋划库项目",
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField("材料类型", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=200)
    file = PrivateFileField(
        "文件", upload_to=pipeline_document_path, download_view="pipeline:document"
    )
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "谋划库材料"
        verbose_name_plural = "谋划库材料"
        ordering = ["pipeline_project", "-uploaded_at"]

    def __str__(self):
        return self.title


class PipelineTarget(models.Model):
    """The city's target for one county, year and size band: how many pipeline projects and
    how much estimated investment (万元)."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        Region, verbose_name="县区", on_delete=models.PROTECT, related_name="pipeline_targets"
    )
    band = models.ForeignKey(
        SizeBand, verbose_name="规模档次", on_delete=models.PROTECT, related_name="targets"
    )
    count = models.PositiveIntegerField("目标项目数", default=0)
    amount = MoneyField("目标总投资(万元)", default=ZERO)

    class Meta:
        verbose_name = "谋划储备目标"
        verbose_name_plural = "谋划储备目标"
        ordering = ["year", "region__code", "-band__min_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "band"],
                name="%(app_label)s_%(class)s_one_per_band",
                violation_error_message="同一年度、县区和规模档次只能有一个目标",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.region} {self.band}"


class StartBatch(TimeStampedModel):
    """集中开工: projects of the list started together on one day, city-wide or in a county."""

    name = models.CharField("批次名称", max_length=200)
    held_on = models.DateField("集中开工日期")
    region = models.ForeignKey(
        Region,
        verbose_name="范围（空为全市）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="start_batches",
    )
    projects = models.ManyToManyField(
        Project, verbose_name="开工项目", related_name="start_batches", blank=True
    )
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "集中开工批次"
        verbose_name_plural = "集中开工批次"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.name}"
