"""What a year still lacks (SPEC §3.8): the confirmation before the yearly appraisal and before
starting next year's list names unclosed months and unreported projects by county."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import login
from milestones.choices import ReportStatus
from milestones.completeness import missing_for_year
from milestones.models import ReportingWindow
from milestones.services import year_cycle
from milestones.tests.factories import ProgressReportFactory
from reports.models import Publication, ReportRun

pytestmark = pytest.mark.django_db
DEC_8 = datetime.datetime(2026, 12, 8, 10, tzinfo=datetime.UTC)


@pytest.fixture
def reported(city):
    """Every project reported January to November 2026, except: 甲县项目 has no November
    report, 甲县城关镇项目's November is a draft, 乙区项目's October was returned."""
    gaps = {
        (city.project_a.pk, 11): None,
        (city.project_town.pk, 11): ReportStatus.DRAFT,
        (city.project_b.pk, 10): ReportStatus.RETURNED,
    }
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        for month in range(1, 12):
            status = gaps.get((p.pk, month), ReportStatus.APPROVED)
            if status is not None:
                ProgressReportFactory(project=p, month=month, status=status)
    return city


@time_machine.travel(DEC_8, tick=False)
def test_missing_names_open_months_and_unreported_projects_by_county(reported):
    # on 8 December, with no windows: November's deadline (5 December) has passed
    assert missing_for_year(2026) == [
        "2026年12月尚未截止",
        "乙区10月有1个项目未报",
        "甲县11月有2个项目未报",  # the town's project counts for its county
    ]
    # a November window still open keeps November open (its unreported are not listed yet)
    ReportingWindow.objects.create(
        year=2026, month=11, opens_on=datetime.date(2026, 11, 25),
        deadline=datetime.date(2026, 12, 10), is_open=True,
    )  # fmt: skip
    assert missing_for_year(2026) == ["2026年11-12月尚未截止", "乙区10月有1个项目未报"]
    # through October only, nothing open
    assert missing_for_year(2026, through_month=10) == ["乙区10月有1个项目未报"]


@time_machine.travel(datetime.datetime(2027, 1, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_nothing_missing_once_every_month_is_closed_and_reported(reported):
    for p, month in ((reported.project_a, 11), (reported.project_b, 12)):
        ProgressReportFactory(project=p, month=month, status=ReportStatus.SUBMITTED)
    for p in (reported.project_town, reported.project_city_unit, reported.project_a):
        ProgressReportFactory(project=p, month=12, status=ReportStatus.APPROVED)
    reported.project_town.progress_reports.filter(month=11).update(status=ReportStatus.APPROVED)
    reported.project_b.progress_reports.filter(month=10).update(status=ReportStatus.APPROVED)
    assert missing_for_year(2026) == []
    assert year_cycle.missing(2026) == []  # what the year cycle asks to confirm


@time_machine.travel(DEC_8, tick=False)
def test_the_yearly_appraisal_asks_for_confirmation_naming_what_is_missing(client, users, reported):
    # when the city DRC asks for 2026's appraisal on 8 December
    login(client, users.reviewer)
    form = {"kind": "yearly", "period": "2026", "region": ""}
    resp = client.post(reverse("reports:list"), form)
    # then nothing is queued; the page names what is missing and asks to confirm
    assert resp.status_code == 200 and not ReportRun.objects.exists()
    html = resp.text
    assert "确认生成2026年度考评" in html
    for line in ("2026年12月尚未截止", "乙区10月有1个项目未报", "甲县11月有2个项目未报"):
        assert f"<li>{line}</li>" in html
    assert 'name="confirm_missing"' in html and 'name="kind" value="yearly"' in html
    # and confirming queues it
    assert client.post(reverse("reports:list"), {**form, "confirm_missing": "1"}).status_code == 302
    assert ReportRun.objects.get().kind == "yearly"


@time_machine.travel(DEC_8, tick=False)
def test_the_yearly_appraisal_over_the_api_needs_confirm(client, users, reported):
    login(client, users.reviewer)
    resp = client.post("/api/report-runs/", {"kind": "yearly", "period": "2026"})
    assert resp.status_code == 400 and "2026年12月尚未截止" in resp.json()["confirm"][0]
    assert not ReportRun.objects.exists()
    resp = client.post("/api/report-runs/", {"kind": "yearly", "period": "2026", "confirm": True})
    assert resp.status_code == 201


@time_machine.travel(DEC_8, tick=False)
def test_publishing_the_yearly_appraisal_asks_for_confirmation(client, users, reported):
    login(client, users.reviewer)
    form = {"kind": "yearly", "period": "2026", "region": ""}
    resp = client.post(reverse("bulletin:publish"), form)
    assert resp.status_code == 200 and "确认发布年度考评" in resp.text
    assert "<li>2026年12月尚未截止</li>" in resp.text
    resp = client.post(reverse("bulletin:publish"), {**form, "confirm_missing": "1"})
    assert resp.status_code == 302
    pub = Publication.objects.get()
    assert (pub.kind, pub.issue_label, pub.body_html) == ("yearly", "2026年第1期", "")
    assert pub.figures["totals"]["count"] == 4 and pub.file
    # and its page shows the frozen figures (it has no printable bulletin)
    html = client.get(reverse("bulletin:version", args=[pub.pk])).text
    assert "已发布 · 2026年第1期" in html and pub.figures["paragraph"] in html
