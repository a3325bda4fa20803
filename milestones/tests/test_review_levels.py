"""Two review levels (SPEC §3.6): county 初审 → 待复审 → city 复审; returns at either level;
only finally approved data count. One level (the default) stays as it was."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.metrics import load_leaves
from conftest import login
from milestones import services
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.tests.factories import ProgressReportFactory
from registry.models import Project
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_levels(settings):
    settings.REVIEW_LEVELS = 2


def _submitted(project, month=3, ytd="300"):
    return ProgressReportFactory(
        project=project,
        month=month,
        status=ReportStatus.SUBMITTED,
        invested_month=Decimal(ytd),
        invested_ytd=Decimal(ytd),
        progress_text="主体施工",
    )


def _ytd(project, month=3):
    leaves = load_leaves(Project.objects.filter(pk=project.pk), 2026, month)
    return leaves[0].ytd


def _messages(exc):
    return " ".join(exc.value.messages)


def test_one_level_by_default_a_county_approval_is_final(city, users):
    report = _submitted(city.project_a)
    services.report_approve(report=report, user=users.reviewer_a)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert _ytd(city.project_a) == Decimal("300")


def test_county_first_review_then_city_final_review(city, users, two_levels):
    # given a submitted report in county A
    report = _submitted(city.project_a)
    # when the county reviewer approves it: 初审, waiting for the city
    first = services.report_approve(report=report, user=users.reviewer_a, comment="数据属实")
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.FIRST_APPROVED
    assert stored.get_status_display() == "待复审"
    assert (stored.first_reviewed_by, stored.first_review_comment) == (users.reviewer_a, "数据属实")
    assert stored.reviewed_by is None
    assert first.lifecycle_notes == ["已通过初审，等待市级复审"]
    # then the figures do not count it yet
    assert _ytd(city.project_a) == Decimal("0")
    # and the county reviewer cannot approve it again
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=stored, user=users.reviewer_a)
    assert "已通过初审，等待市级复审" in _messages(exc)
    # when the city reviewer approves: final, and now it counts
    services.report_approve(report=stored, user=users.reviewer)
    final = ProgressReport.objects.get(pk=report.pk)
    assert final.status == ReportStatus.APPROVED
    assert final.reviewed_by == users.reviewer
    assert final.first_reviewed_by == users.reviewer_a  # the 初审 stays on record
    assert _ytd(city.project_a) == Decimal("300")


def test_city_cannot_skip_the_first_review(city, users, two_levels):
    report = _submitted(city.project_a)
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=report, user=users.reviewer)
    assert "须先由县区审核员初审" in _messages(exc)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_project_placed_at_the_city_is_approved_by_the_city_in_one_step(city, users, two_levels):
    project = ProjectFactory(name="市本级项目", region=city.city, unit=city.unit_city)
    AnnualPlanFactory(project=project)
    report = _submitted(project)
    services.report_approve(report=report, user=users.reviewer)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_return_at_final_review_goes_back_to_the_reporter_and_through_first_review_again(
    city, users, two_levels, today
):
    # given a report that passed 初审
    report = _submitted(city.project_a)
    services.report_approve(report=report, user=users.reviewer_a)
    # when the city returns it with a reason
    services.report_return(
        report=ProgressReport.objects.get(pk=report.pk), user=users.reviewer, comment="累计数有误"
    )
    returned = ProgressReport.objects.get(pk=report.pk)
    assert returned.status == ReportStatus.RETURNED
    assert returned.reviewer_comment == "复审退回：累计数有误"
    assert returned.is_editable
    assert _ytd(city.project_a) == Decimal("0")
    # and the reporter resubmits: it waits for 初审 again, not for the city
    services.report_save(
        user=users.reporter_a,
        report=returned,
        version=returned.version,
        data={"invested_month": Decimal("280"), "invested_ytd": Decimal("280")},
        submit=True,
    )
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.report_approve(report=returned, user=users.reviewer)


def test_return_at_first_review(city, users, two_levels):
    report = _submitted(city.project_a)
    services.report_return(report=report, user=users.reviewer_a, comment="缺少图片")
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.status, stored.reviewer_comment) == (ReportStatus.RETURNED, "缺少图片")


def test_county_reviewer_cannot_return_after_first_review(city, users, two_levels):
    report = _submitted(city.project_a)
    services.report_approve(report=report, user=users.reviewer_a)
    with pytest.raises(ValidationError) as exc:
        services.report_return(
            report=ProgressReport.objects.get(pk=report.pk), user=users.reviewer_a, comment="x"
        )
    assert "等待市级复审" in _messages(exc)


def test_a_report_waiting_for_final_review_cannot_be_edited(city, users, two_levels):
    report = _submitted(city.project_a)
    services.report_approve(report=report, user=users.reviewer_a)
    stored = ProgressReport.objects.get(pk=report.pk)
    with pytest.raises(ValidationError):
        services.report_save(
            user=users.reporter_a,
            report=stored,
            version=stored.version,
            data={"invested_month": Decimal("1")},
            submit=False,
        )


def _queue_codes(client):
    html = client.get(reverse("milestones:review_queue")).content.decode()
    return re.findall(r'name="ids" value="(\d+)"', html), html


def test_each_level_sees_its_own_work_in_the_queue(client, city, users, two_levels):
    # given one report submitted and one past 初审, both in county A
    waiting_first = _submitted(city.project_a, month=3)
    waiting_final = _submitted(city.project_town, month=3)
    services.report_approve(report=waiting_final, user=users.reviewer_a)
    # the county reviewer's queue shows the submitted one
    ids, html = _queue_codes(login(client, users.reviewer_a))
    assert ids == [str(waiting_first.pk)]
    # the city reviewer's queue shows the one waiting for 复审
    ids, html = _queue_codes(login(client, users.reviewer))
    assert ids == [str(waiting_final.pk)]
    assert "待复审" in html


def test_bulk_first_review_then_bulk_final_review(client, city, users, two_levels):
    reports = [_submitted(p) for p in (city.project_a, city.project_town)]
    ids = [r.pk for r in reports]
    login(client, users.reviewer_a)
    client.post(reverse("milestones:report_bulk_approve"), {"ids": ids, "confirm": ids})
    assert set(ProgressReport.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ReportStatus.FIRST_APPROVED
    }
    # a second county bulk run has nothing left to do
    response = client.post(
        reverse("milestones:report_bulk_approve"), {"ids": ids, "confirm": ids}, follow=True
    )
    assert "已审核0份，跳过2份" in response.content.decode()
    login(client, users.reviewer)
    client.post(reverse("milestones:report_bulk_approve"), {"ids": ids, "confirm": ids})
    assert set(ProgressReport.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ReportStatus.APPROVED
    }


def test_report_page_shows_first_review_and_the_final_review_box(client, city, users, two_levels):
    report = _submitted(city.project_a)
    services.report_approve(report=report, user=users.reviewer_a, comment="初审同意")
    html = login(client, users.reviewer).get(reverse("milestones:report_detail", args=[report.pk]))
    html = html.content.decode()
    assert "初审意见：</strong>初审同意" in html
    assert ">复审</div>" in html
    # the county reviewer has no review box any more
    html = login(client, users.reviewer_a).get(
        reverse("milestones:report_detail", args=[report.pk])
    )
    assert 'id="review-box"' not in html.content.decode()


def test_approve_and_open_the_next(client, city, users, today):
    first = _submitted(city.project_a, month=3)
    second = _submitted(city.project_town, month=3)
    first_code, second_code = sorted([first, second], key=lambda r: r.project.code)
    login(client, users.reviewer_a)
    url = reverse("milestones:report_approve", args=[first_code.pk])
    response = client.post(url, {"then": "next", "version": first_code.version})
    assert response.url == reverse("milestones:report_detail", args=[second_code.pk])
    url = reverse("milestones:report_approve", args=[second_code.pk])
    response = client.post(url, {"then": "next", "version": second_code.version}, follow=True)
    assert "待审核的月报已全部处理完" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("milestones:review_queue")
