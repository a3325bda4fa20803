"""催报 (SPEC §3.10): a reviewer reminds the reporters who still owe the month's report —
each owed project once a day, however often the button is pressed — and the reminder goes
out on the configured channels too (a local HTTP server stands in for the SMS gateway)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.channels.models import Delivery
from core.models import Notice
from core.tests.test_channels import Recorder
from milestones.chase import chase_owed
from milestones.choices import MilestonesNotice as NoticeKind
from milestones.choices import ReportStatus
from milestones.models import ChaseLog
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 4, 10)


@pytest.fixture
def window(city):
    # March 2026 open; 甲县项目 has reported (approved), every other project still owes
    ProgressReportFactory(project=city.project_a, year=2026, month=3, status=ReportStatus.APPROVED)
    return ReportingWindowFactory(year=2026, month=3)


def chased():
    return sorted(
        (n.recipient.username, n.body.split("的2026")[0])
        for n in Notice.objects.filter(kind=NoticeKind.CHASE).select_related("recipient")
    )


def test_chase_tells_each_reporter_of_their_own_owed_projects_once(
    city, users, window, django_capture_on_commit_callbacks
):
    # when the city reviewer presses 催报
    with django_capture_on_commit_callbacks(execute=True):
        result = chase_owed(user=users.reviewer, window=window, today=DAY)
    # then every owed project is chased, each reporter hears of their own
    assert (result.owed, result.chased, result.already) == (3, 3, 0)
    assert chased() == [
        ("reporter_a", "甲县城关镇项目"),
        ("reporter_b", "乙区项目、市交通局乙区道路"),
        ("unit_clerk", "市交通局乙区道路"),
    ]
    # when pressed again the same day (by anyone), nothing new is sent
    again = chase_owed(user=users.reviewer, window=window, today=DAY)
    assert (again.chased, again.already, again.reporters) == (0, 3, 0)
    assert Notice.objects.filter(kind=NoticeKind.CHASE).count() == 3
    assert ChaseLog.objects.count() == 3
    # the next day it may be sent again
    assert (
        chase_owed(user=users.reviewer, window=window, today=DAY + datetime.timedelta(1)).chased
        == 3
    )


def test_a_county_reviewer_chases_their_county_only(city, users, window):
    result = chase_owed(user=users.reviewer_a, window=window, today=DAY)
    assert result.chased == 1
    assert chased() == [("reporter_a", "甲县城关镇项目")]
    # the city reviewer later that day chases the rest, not county A's again
    later = chase_owed(user=users.reviewer, window=window, today=DAY)
    assert (later.chased, later.already) == (2, 1)
    assert [u for u, _ in chased()].count("reporter_a") == 1


def test_the_button_on_the_windows_page(client, city, users, window, today):
    client.force_login(users.reviewer)
    page = client.get(reverse("milestones:windows")).content.decode()
    assert "催报" in page
    url = reverse("milestones:window_chase", args=[window.pk])
    first = client.post(url)
    assert first.status_code == 302
    assert "已催报3个未报项目，通知3名填报员" in [str(m) for m in get_messages(first.wsgi_request)]
    second = client.post(url, follow=True)
    assert "今日均已催报" in second.content.decode()
    client.force_login(users.reporter_a)
    assert client.post(url).status_code == 403


def test_a_closed_window_is_not_chased(city, users, window):
    window.is_open = False
    window.save()
    with pytest.raises(Exception, match="已关闭"):
        chase_owed(user=users.reviewer, window=window, today=DAY)


def test_chase_goes_out_by_sms_once(
    settings, city, users, window, django_capture_on_commit_callbacks
):
    gateway = Recorder()
    try:
        settings.SMS_GATEWAY_URL = gateway.url("/sms")
        for user in (users.reporter_a, users.reporter_b):
            user.profile.phone = f"1390000000{user.pk % 10}"
            user.profile.save()
        for _ in range(2):  # pressed twice in a day
            with django_capture_on_commit_callbacks(execute=True):
                chase_owed(user=users.reviewer, window=window, today=DAY)
        # the unit clerk has no phone: in-app only
        phones = sorted(r["json"]["phone"] for r in gateway.received)
        assert len(phones) == 2 and len(set(phones)) == 2
        assert all("催报" in r["json"]["content"] for r in gateway.received)
        assert Delivery.objects.filter(status="sent").count() == 2
    finally:
        gateway.stop()
