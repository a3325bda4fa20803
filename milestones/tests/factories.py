"""factory_boy factories for the milestones app, built on registry's."""

import datetime
from decimal import Decimal

import factory

from milestones import models
from milestones.choices import ProblemCategory, ReportStatus
from registry.tests.factories import ProjectFactory


class ReportingWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReportingWindow
        django_get_or_create = ("year", "month")

    year = 2026
    month = 3
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, o.month, 1))
    deadline = factory.LazyAttribute(lambda o: models.default_deadline(o.year, o.month))
    is_open = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    project = factory.SubFactory(ProjectFactory)
    kind = "start"
    name = "开工"
    planned_on = datetime.date(2026, 3, 1)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressReport

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    month = 1
    status = ReportStatus.DRAFT
    invested_month = Decimal("100.00")
    invested_ytd = factory.LazyAttribute(lambda o: o.invested_month)
    invested_total = factory.LazyAttribute(
        lambda o: o.project.invested_before_year + o.invested_ytd
    )
    progress_text = "主体结构施工"


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Problem

    project = factory.SubFactory(ProjectFactory)
    category = ProblemCategory.LAND
    description = factory.Sequence(lambda n: f"用地指标未落实{n}")
    deadline = datetime.date(2026, 6, 30)


class SupervisionLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SupervisionLetter

    kind = "reminder"
    number = factory.Sequence(lambda n: f"发改提醒〔2026〕{n + 1}号")
    project = factory.SubFactory(ProjectFactory)
    recipient = factory.LazyAttribute(lambda o: o.project.unit)
    body = "请加快推进。"
    issued_on = datetime.date(2026, 3, 1)
    reply_deadline = datetime.date(2026, 3, 15)
