"""Builders for assessment tests: leaf projects with a plan and approved monthly reports."""

import datetime
from decimal import Decimal

from django.utils import timezone

from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory
from registry.tests.factories import AnnualPlanFactory, ProjectFactory


def leaf(*, plan="1200", reports=(), status=ReportStatus.APPROVED, **kwargs):
    """A started project with an annual plan and a report per (month, ytd) in `reports`."""
    kwargs.setdefault("started_on", datetime.date(2026, 1, 10))
    kwargs.setdefault("planned_start", datetime.date(2026, 1, 1))
    project = ProjectFactory(**kwargs)
    AnnualPlanFactory(project=project, planned_investment=Decimal(plan))
    prev = Decimal(0)
    for month, ytd in reports:
        ytd = Decimal(ytd)
        sent = timezone.make_aware(datetime.datetime(2026, month + 1, 3, 10))  # on time
        ProgressReportFactory(
            project=project,
            month=month,
            status=status,
            invested_month=ytd - prev,
            invested_ytd=ytd,
            submitted_at=sent,
            first_submitted_at=sent,
        )
        prev = ytd
    return project


def rules_2026():
    """The active 2026 rule set (the data migration makes one for the year it runs in)."""
    from assessments.models import RuleSet

    return RuleSet.objects.filter(year=2026, is_active=True).first() or RuleSet.objects.create(
        year=2026
    )
