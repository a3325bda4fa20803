"""Regions, units, leaders, programs and user profiles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from registry.choices import LeaderLevel, RegionLevel, UnitKind

code_validator = RegexValidator(r"^\d{6}(\d{3}|\d{6})?$", "区划代码应为6位（乡镇为9或12位）数字")


class Region(models.Model):
    """行政区划: a tree (省 →) 市 → 县区 → 乡镇/街道, with a materialised path for subtree queries."""

    name = models.CharField("名称", max_length=50)
    code = models.CharField("区划代码", max_length=12, unique=True, validators=[code_validator])
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/370100/370102/": lets visible_to() select a subtree with one LIKE.
    path = models.CharField("路径", max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]+$"),
                name="%(app_label)s_%(class)s_code_digits",
                violation_error_message="区划代码只能是数字",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def subtree(self):
        return Region.objects.filter(path__startswith=self.path)


class Unit(models.Model):
    """责任单位."""

    name = models.CharField("单位名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region"],
                name="%(app_label)s_%(class)s_unique_name_region",
                violation_error_message="同一地区已有同名单位",
            )
        ]

    def __str__(self):
        return self.name


class Leader(models.Model):
    """分包/包保领导."""

    name = models.CharField("姓名", max_length=30)
    post = models.CharField("职务", max_length=100)
    level = models.CharField("领导级别", max_length=10, choices=LeaderLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="leaders"
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="系统用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader",
    )

    class Meta:
        verbose_name = "领导"
        verbose_name_plural = "领导"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region"],
                name="%(app_label)s_%(class)s_unique_name_region",
                violation_error_message="同一地区已有同名领导",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class Program(models.Model):
    """专项/计划 tags such as 四个一百."""

    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "专项计划"
        verbose_name_plural = "专项计划"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """Where a user works: their region and, for unit clerks, their unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="profile",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="所属地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户资料"
        verbose_name_plural = "用户资料"

    def __str__(self):
        return f"{self.user}"
