"""Two reviewers bulk-approving the same reports.

Each report must be approved exactly once (one history row), neither reviewer may get a
500, and each is told how many they approved and how many someone else had handled.
"""

import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from milestones import services
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.services import review
from milestones.tests.factories import ProgressReportFactory
from registry.choices import Role
from registry.tests.factories import ProjectFactory, make_user
from registry.tests.races import postgresql_only, run_together

DONE = re.compile(r"已审核(\d+)份(?:，跳过(\d+)份（已被他人处理）)?")


def _submitted(city, n):
    return [
        ProgressReportFactory(
            project=ProjectFactory(region=city.county_a, unit=city.unit_a),
            month=3,
            status=ReportStatus.SUBMITTED,
        ).pk
        for _ in range(n)
    ]


def _counts(response):
    match = DONE.search(response.content.decode())
    assert match, "no 已审核N份 message on the page"
    return int(match.group(1)), int(match.group(2) or 0)


def _approved_history(ids):
    return ProgressReport.history.filter(id__in=ids, status=ReportStatus.APPROVED)


def test_report_approved_by_someone_else_mid_bulk_is_skipped(client, city, users, today):
    # given three submitted reports ticked by reviewer A
    ids = _submitted(city, 3)
    other = users.admin
    real_apply = review._apply_to_project
    interleaved = []

    def apply_then_someone_else_approves(report, *, user):
        # while A's bulk run is busy with its first report, B approves the last one
        real_apply(report, user=user)
        if not interleaved:
            interleaved.append(True)
            services.report_approve(report=ProgressReport.objects.get(pk=ids[-1]), user=other)

    login(client, users.reviewer)
    # when A's bulk approve runs into B's approval
    with mock.patch.object(review, "_apply_to_project", apply_then_someone_else_approves):
        response = client.post(
            reverse("milestones:report_bulk_approve"), {"ids": ids, "confirm": ids}, follow=True
        )
    # then no error: A approved two, skipped the one B handled, and B's approval stands
    assert response.status_code == 200
    assert _counts(response) == (2, 1)
    assert "已审核2份，跳过1份（已被他人处理）" in response.content.decode()
    assert ProgressReport.objects.get(pk=ids[-1]).reviewed_by == other
    assert _approved_history(ids).count() == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_bulk_approve_the_same_reports_at_once(city, users, today):
    # given 20 submitted reports and two city reviewers who both tick all of them
    ids = _submitted(city, 20)
    second = make_user("reviewer_2", Role.REVIEWER, region=city.city)
    clients = [login(Client(), users.reviewer), login(Client(), second)]
    history_before = ProgressReport.history.count()

    def bulk(c):
        return lambda: c.post(
            reverse("milestones:report_bulk_approve"), {"ids": ids, "confirm": ids}, follow=True
        )

    # when both press 批量审核通过 at the same instant
    outcomes = run_together(*(bulk(c) for c in clients))

    # then neither failed, and between them every report was approved exactly once
    for response, exc in outcomes:
        assert exc is None, f"a reviewer got an error: {exc!r}"
        assert response.status_code == 200
    counts = [_counts(response) for response, _ in outcomes]
    assert sum(done for done, _ in counts) == 20
    assert all(done + skipped == 20 for done, skipped in counts)
    assert set(ProgressReport.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ReportStatus.APPROVED
    }
    assert _approved_history(ids).count() == 20
    assert sorted(_approved_history(ids).values_list("id", flat=True)) == sorted(ids)
    assert ProgressReport.history.count() == history_before + 20
