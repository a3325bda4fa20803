"""Bulk approval never passes a flagged report unseen: a report the queue marks (超年度计划,
本月异常偏高 …) is left out unless the reviewer confirms it by name, and the reviewer is
told how many were left out and why."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import ProgressReportFactory
from registry.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reports(city, today):
    Project.objects.filter(pk__in=[city.project_a.pk, city.project_town.pk]).update(
        started_on=datetime.date(2026, 1, 5)
    )
    clean = ProgressReportFactory(
        project=Project.objects.get(pk=city.project_a.pk),
        month=3,
        status=ReportStatus.SUBMITTED,
        invested_month=Decimal("100"),
        invested_ytd=Decimal("300"),
    )
    # the city fixture plans 1,200万元 for the year: 1,500 is over the annual plan
    over = ProgressReportFactory(
        project=Project.objects.get(pk=city.project_town.pk),
        month=3,
        status=ReportStatus.SUBMITTED,
        invested_month=Decimal("100"),
        invested_ytd=Decimal("1500"),
    )
    return clean, over


def _status(report):
    return ProgressReport.objects.get(pk=report.pk).status


def test_flagged_report_is_left_out_and_named(client, city, users, two_reports):
    clean, over = two_reports
    login(client, users.reviewer)
    queue = client.get(reverse("milestones:review_queue")).content.decode()
    assert "超年度计划" in queue and f'name="confirm" value="{over.pk}"' in queue
    assert f'name="confirm" value="{clean.pk}"' not in queue

    response = client.post(
        reverse("milestones:report_bulk_approve"), {"ids": [clean.pk, over.pk]}, follow=True
    )
    page = response.content.decode()
    assert _status(clean) == ReportStatus.APPROVED
    assert _status(over) == ReportStatus.SUBMITTED
    assert "已审核1份" in page
    assert "有1份月报带异常提示，未批量通过（超年度计划1份）" in page
    assert city.project_town.name in page


def test_confirmed_by_name_is_approved(client, users, two_reports):
    clean, over = two_reports
    login(client, users.reviewer)
    response = client.post(
        reverse("milestones:report_bulk_approve"),
        {"ids": [clean.pk, over.pk], "confirm": [over.pk]},
        follow=True,
    )
    assert _status(clean) == _status(over) == ReportStatus.APPROVED
    assert "已审核2份" in response.content.decode()
    assert "未批量通过" not in response.content.decode()


def test_confirming_without_ticking_approves_nothing(client, users, two_reports):
    clean, over = two_reports
    login(client, users.reviewer)
    client.post(
        reverse("milestones:report_bulk_approve"), {"ids": [clean.pk], "confirm": [over.pk]}
    )
    assert _status(over) == ReportStatus.SUBMITTED
