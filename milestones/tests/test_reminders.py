"""Reminders (SPEC §3.7): each event tells the right people once — one notice and
one e-mail each — however often the beat job runs."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notice
from milestones import reminders, services
from milestones.choices import MilestonesNotice, ReportStatus
from milestones.models import ReportingWindow
from milestones.tests.factories import ProblemFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 2)


@pytest.fixture
def people(users):
    for name, user in vars(users).items():
        user.email = f"{name}@example.gov.cn"
        user.save()
    return users


def notices(kind):
    return {
        (n.recipient.username, n.title)
        for n in Notice.objects.filter(kind=kind).select_related("recipient")
    }


def mailed_to():
    return sorted(m.to[0] for m in mail.outbox)


def test_window_opened_tells_each_reporter_of_their_own_projects_once(
    city, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.window_open(year=2026, month=10, user=people.reviewer)
    reminders.send_scheduled(MONDAY)  # the beat job again: nothing new
    reminders.send_scheduled(MONDAY)
    got = {
        n.recipient.username: n for n in Notice.objects.filter(kind=MilestonesNotice.WINDOW_OPEN)
    }
    assert set(got) == {"reporter_a", "reporter_b", "unit_clerk"}
    assert "甲县项目" in got["reporter_a"].body and "乙区项目" not in got["reporter_a"].body
    assert "共2个" in got["reporter_a"].body  # 甲县项目 and the town's
    assert "市交通局乙区道路" in got["unit_clerk"].body and "乙区项目" not in got["unit_clerk"].body
    assert mailed_to() == [
        "reporter_a@example.gov.cn", "reporter_b@example.gov.cn", "unit_clerk@example.gov.cn"
    ]  # fmt: skip


def test_deadline_two_working_days_ahead_reminds_only_those_still_owing(
    city, people, django_capture_on_commit_callbacks
):
    # the window closes on Wednesday; on Monday two working days are left
    ReportingWindow.objects.create(
        year=2026, month=10, opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 11, 4), is_open=True,
    )  # fmt: skip
    # county B's two projects have reported
    for project in (city.project_b, city.project_city_unit):
        ProgressReportFactory(project=project, month=10, status=ReportStatus.SUBMITTED)
    friday = datetime.date(2026, 10, 30)
    assert reminders.deadline_near(friday) == 0  # three working days ahead: not yet
    with django_capture_on_commit_callbacks(execute=True):
        reminders.deadline_near(MONDAY)
        reminders.deadline_near(MONDAY)
        reminders.deadline_near(MONDAY + datetime.timedelta(days=1))
    assert notices(MilestonesNotice.DEADLINE_NEAR) == {
        ("reporter_a", "10月月报将于11月4日截止，还有2个项目未报")
    }
    assert mailed_to() == ["reporter_a@example.gov.cn"]
    assert "逾期将计为迟报" in mail.outbox[0].body


def test_a_returned_report_tells_its_reporter_with_the_reason(
    city, people, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(
        project=city.project_a, month=10, status=ReportStatus.SUBMITTED,
        submitted_by=people.reporter_a,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, user=people.reviewer_a, comment="累计数与上月不衔接")
    reminders.send_scheduled(MONDAY)
    [notice] = Notice.objects.filter(kind=MilestonesNotice.REPORT_RETURNED)
    assert notice.recipient == people.reporter_a and "累计数与上月不衔接" in notice.body
    assert notice.url == reverse("milestones:report_edit", args=[report.pk])
    assert mailed_to() == ["reporter_a@example.gov.cn"]
    assert "累计数与上月不衔接" in mail.outbox[0].body


def test_an_overdue_problem_tells_the_people_in_its_scope_once(
    city, people, django_capture_on_commit_callbacks
):
    ProblemFactory(project=city.project_a, description="征地拆迁未完成",
                   deadline=MONDAY - datetime.timedelta(days=3))  # fmt: skip
    ProblemFactory(project=city.project_b, description="还没到期",
                   deadline=MONDAY + datetime.timedelta(days=3))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_scheduled(MONDAY)
        reminders.send_scheduled(MONDAY)
    assert notices(MilestonesNotice.PROBLEM_OVERDUE) == {
        (who, "问题逾期3天：甲县项目") for who in ("reporter_a", "reviewer_a", "reviewer")
    }
    assert mailed_to() == [
        "reporter_a@example.gov.cn", "reviewer@example.gov.cn", "reviewer_a@example.gov.cn"
    ]  # fmt: skip


def test_the_bell_counts_unread_notices_until_they_are_read(city, people, client):
    Notice.objects.create(recipient=people.reporter_a, kind=MilestonesNotice.PROBLEM_OVERDUE,
                          title="问题逾期3天：甲县项目", event_key="t1", url="/milestones/problems/")  # fmt: skip
    Notice.objects.create(recipient=people.reporter_b, kind=MilestonesNotice.PROBLEM_OVERDUE,
                          title="乙区的通知", event_key="t2")  # fmt: skip
    client.force_login(people.reporter_a)
    page = client.get(reverse("portal:notices")).content.decode()
    assert 'id="notice-count">1<' in page and "问题逾期3天：甲县项目" in page
    assert "乙区的通知" not in page
    client.post(reverse("portal:notice_read_all"))
    page = client.get(reverse("portal:notices")).content.decode()
    assert 'id="notice-count"' not in page
    assert "已将1条通知标为已读" in page and '<span class="badge bg-danger me-1">未读' not in page
