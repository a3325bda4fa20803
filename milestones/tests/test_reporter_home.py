"""The reporter's home page: their own work, and nothing of others'."""

import datetime

import pytest
from django.urls import reverse

from milestones.choices import ReportStatus
from milestones.models import ReportingWindow
from milestones.reporter_work import reporter_work
from milestones.services import problem_defaults
from milestones.tests.factories import ProblemFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def test_home_lists_owed_returned_and_problems_of_the_reporter_only(city, users, client):
    today = datetime.date(2026, 11, 3)
    ReportingWindow.objects.create(year=2026, month=10, opens_on=datetime.date(2026, 11, 1),
                                   deadline=datetime.date(2026, 11, 5), is_open=True)  # fmt: skip
    ProgressReportFactory(project=city.project_a, month=9, status=ReportStatus.RETURNED,
                          reviewer_comment="9月累计数有误")  # fmt: skip
    ProgressReportFactory(project=city.project_b, month=9, status=ReportStatus.RETURNED,
                          reviewer_comment="乙区的退回")  # fmt: skip
    ProblemFactory(project=city.project_a, description="甲县的问题")
    ProblemFactory(project=city.project_b, description="乙区的问题")
    work = reporter_work(user=users.reporter_a, today=today)
    assert work.deadline_text == "距截止还有 2 天"
    assert {p.name for p in work.owed} == {"甲县项目", "甲县城关镇项目"}
    assert [r.reviewer_comment for r in work.returned] == ["9月累计数有误"]
    assert [p.description for p in work.problems] == ["甲县的问题"]
    client.force_login(users.reporter_a)
    page = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="owed-list"' in page and "9月累计数有误" in page
    assert "乙区的退回" not in page and "乙区的问题" not in page


def test_a_new_problem_defaults_to_the_project_s_unit_and_person(city):
    defaults = problem_defaults(city.project_a)
    assert defaults["responsible_unit"] == city.unit_a
    assert defaults["responsible_person"] == (
        city.project_a.leader.name if city.project_a.leader_id else city.project_a.contact
    )
