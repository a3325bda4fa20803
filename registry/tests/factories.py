"""factory_boy factories for the ledger. Other apps' factories build on these."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models
from registry.choices import Category, LeaderLevel, Nature, ProjectLevel, RegionLevel, Sector


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试县{n}")
    code = factory.Sequence(lambda n: f"{371000 + n:06d}")
    level = RegionLevel.COUNTY
    parent = None


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    region = factory.SubFactory(RegionFactory)
    kind = "department"


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    post = "副县长"
    level = LeaderLevel.COUNTY
    region = factory.SubFactory(RegionFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    code = factory.Sequence(lambda n: f"2026-TS-{n:04d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    year = 2026
    level = ProjectLevel.CITY
    category = Category.INDUSTRY
    sector = Sector.SECONDARY
    nature = Nature.CONTINUING
    region = factory.SubFactory(RegionFactory)
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..region"))
    leader = factory.SubFactory(LeaderFactory, region=factory.SelfAttribute("..region"))
    total_investment = Decimal("10000.00")
    planned_start = datetime.date(2026, 3, 1)
    planned_finish = datetime.date(2027, 12, 31)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualPlan

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    planned_investment = Decimal("1200.00")


def make_user(username, role=None, region=None, unit=None, **extra):
    """A user with a role group and a profile (region/unit)."""
    user = get_user_model().objects.create_user(username=username, password="pw-test-123", **extra)
    if role:
        group, _ = Group.objects.get_or_create(name=str(role))
        user.groups.add(group)
    models.Profile.objects.create(user=user, region=region, unit=unit)
    return user
