"""Business rules of reports, windows, problems, letters and suspensions (SPEC §3.2)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from milestones import services
from milestones.choices import ReportStatus
from milestones.models import Milestone, ProgressReport
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
)
from registry.models import Project

D = Decimal


def _data(**kw):
    base = {"invested_month": D("100.00"), "progress_text": "桩基施工"}
    base.update(kw)
    return base


def _messages(exc):
    return " ".join(exc.value.messages)


# ------------------------------------------------------------------ create / derive


def test_first_month_ytd_and_total_are_derived(city, users, today):
    # given a project with 500 万元 invested before this year
    Project.objects.filter(pk=city.project_a.pk).update(invested_before_year=D("500.00"))
    project = Project.objects.get(pk=city.project_a.pk)
    # when the January report leaves both totals blank
    report = services.report_create(
        project=project,
        year=2026,
        month=1,
        data=_data(invested_month=D("80.00")),
        user=users.reporter_a,
    )
    # then year-to-date = this month and since-start = before-year + ytd
    assert report.invested_ytd == D("80.00")
    assert report.invested_total == D("580.00")
    assert report.status == ReportStatus.DRAFT


def test_ytd_is_derived_from_earlier_months(city, users, today):
    # given January and February reported
    ProgressReportFactory(project=city.project_a, month=1, invested_month=D("100.00"))
    ProgressReportFactory(project=city.project_a, month=2, invested_month=D("150.00"))
    # when March reports 200 without a year-to-date
    report = services.report_create(
        project=city.project_a,
        year=2026,
        month=3,
        data=_data(invested_month=D("200.00")),
        user=users.reporter_a,
    )
    # then year-to-date is 450
    assert report.invested_ytd == D("450.00")


def test_ytd_disagreement_is_explained(city, users, today):
    # given January and February reported (250 in all)
    ProgressReportFactory(project=city.project_a, month=1, invested_month=D("100.00"))
    ProgressReportFactory(project=city.project_a, month=2, invested_month=D("150.00"))
    # when March enters a year-to-date of 500 with 200 this month
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=3,
            data=_data(invested_month=D("200.00"), invested_ytd=D("500.00")),
            user=users.reporter_a,
        )
    # then the message names both sums
    msg = exc.value.message_dict["invested_ytd"][0]
    assert "1-2月已报 250.00 万元" in msg
    assert "本月 200.00 万元 = 450.00 万元" in msg
    assert "您填写的是 500.00 万元" in msg
    assert not ProgressReport.objects.filter(month=3).exists()


def test_missing_month_requires_entered_ytd(city, users, today):
    # given only January reported
    ProgressReportFactory(project=city.project_a, month=1, invested_month=D("100.00"))
    # when March leaves year-to-date blank
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a, year=2026, month=3, data=_data(), user=users.reporter_a
        )
    # then it says which month is missing
    assert (
        "2026年2月没有月报，无法推算本年累计完成投资" in exc.value.message_dict["invested_ytd"][0]
    )


def test_missing_month_accepts_entered_ytd_not_below_known(city, users, today):
    ProgressReportFactory(project=city.project_a, month=1, invested_month=D("100.00"))
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=3,
            data=_data(invested_ytd=D("150.00")),
            user=users.reporter_a,
        )
    assert "不能小于已报各月与本月之和 200.00 万元" in exc.value.message_dict["invested_ytd"][0]
    report = services.report_create(
        project=city.project_a,
        year=2026,
        month=3,
        data=_data(invested_ytd=D("330.00")),
        user=users.reporter_a,
    )
    assert report.invested_ytd == D("330.00")


def test_since_start_disagreement_is_explained(city, users, today):
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=1,
            data=_data(invested_total=D("999.00")),
            user=users.reporter_a,
        )
    assert "自开工累计完成投资应为" in exc.value.message_dict["invested_total"][0]


def test_negative_amount_refused(city, users, today):
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=1,
            data=_data(invested_month=D("-5.00")),
            user=users.reporter_a,
        )
    assert exc.value.message_dict["invested_month"] == ["金额不能为负数"]


def test_future_month_refused(city, users, today):
    # given today is 2026-04-10; when reporting May
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a, year=2026, month=5, data=_data(), user=users.reporter_a
        )
    assert "不能填报未来月份（2026年5月尚未到来）" in _messages(exc)


def test_duplicate_report_per_month_refused(city, users, today):
    ProgressReportFactory(project=city.project_a, month=3)
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a, year=2026, month=3, data=_data(), user=users.reporter_a
        )
    assert "2026年3月的月报已存在" in _messages(exc)
    assert ProgressReport.objects.filter(project=city.project_a, month=3).count() == 1


# ------------------------------------------------------------------ submit / window


def test_submit_outside_window_refused(city, users, today):
    # given no window for March
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=3,
            data=_data(invested_ytd=D("100.00")),
            user=users.reporter_a,
            submit=True,
        )
    assert "2026年3月调度期未开放，不能提交" in _messages(exc)


def test_submit_after_window_closed_refused(city, users, today):
    ReportingWindowFactory(year=2026, month=3, is_open=False)
    report = ProgressReportFactory(project=city.project_a, month=3)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, version=report.version, user=users.reporter_a)
    assert "调度期未开放" in _messages(exc)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submit_on_time_and_late(city, users, today):
    # given March's window with deadline 2026-04-05 and today 2026-04-10
    ReportingWindowFactory(year=2026, month=3)
    ReportingWindowFactory(year=2026, month=4, opens_on=datetime.date(2026, 4, 1))
    # when March is submitted after its deadline
    late = services.report_create(
        project=city.project_a,
        year=2026,
        month=3,
        data=_data(invested_ytd=D("100.00")),
        user=users.reporter_a,
        submit=True,
    )
    on_time = services.report_create(
        project=city.project_b,
        year=2026,
        month=4,
        data=_data(invested_ytd=D("100.00")),
        user=users.reporter_b,
        submit=True,
    )
    # then it is submitted but marked late; April is on time
    assert late.status == ReportStatus.SUBMITTED and late.is_late
    assert on_time.status == ReportStatus.SUBMITTED and not on_time.is_late


def test_submit_needs_progress_text(city, users, today):
    ReportingWindowFactory(year=2026, month=3)
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            project=city.project_a,
            year=2026,
            month=3,
            data=_data(progress_text="", invested_ytd=D("100.00")),
            user=users.reporter_a,
            submit=True,
        )
    assert exc.value.message_dict["progress_text"] == ["提交前请填写形象进度"]


# ------------------------------------------------------------------ review cycle


def test_return_and_resubmit_even_after_window_closed(city, users, today):
    # given a submitted report, then the window closes
    window = ReportingWindowFactory(year=2026, month=3)
    report = services.report_create(
        project=city.project_a,
        year=2026,
        month=3,
        data=_data(invested_ytd=D("100.00")),
        user=users.reporter_a,
        submit=True,
    )
    services.window_close(window=window, user=users.reviewer)
    # when the reviewer returns it and the reporter fixes it
    report = services.report_return(
        report=report, user=users.reviewer, comment="本月完成投资偏低，请核实"
    )
    assert report.status == ReportStatus.RETURNED
    report = services.report_update(
        report=report,
        data=_data(invested_month=D("300.00"), invested_ytd=D("300.00")),
        version=report.version,
        user=users.reporter_a,
        submit=True,
    )
    # then it is submitted again with the new figure
    assert report.status == ReportStatus.SUBMITTED
    assert report.invested_ytd == D("300.00")


def test_return_requires_comment(city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=report, user=users.reviewer, comment="  ")
    assert "退回时必须填写退回意见" in _messages(exc)


def test_approved_report_cannot_be_edited(city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.APPROVED)
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report, data=_data(), version=report.version, user=users.reporter_a
        )
    assert _messages(exc) == "该月报已审核通过，不能再修改"
    report.refresh_from_db()
    assert report.version == 1  # the claimed version was rolled back


def test_submitted_report_cannot_be_edited(city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report, data=_data(), version=report.version, user=users.reporter_a
        )
    assert "该月报已提交，正在审核中，不能修改" in _messages(exc)


def test_only_submitted_can_be_approved(city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=3)
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=report, user=users.reviewer)
    assert "只有“已提交”的月报才能审核通过（当前状态：草稿）" in _messages(exc)


def test_approve_applies_milestones_and_start(city, users, today):
    # given a not started project with a milestone, and a report saying it started
    ms = MilestoneFactory(project=city.project_a, planned_on=datetime.date(2026, 3, 1))
    report = ProgressReportFactory(
        project=city.project_a,
        month=3,
        status=ReportStatus.SUBMITTED,
        is_started=True,
        milestone_updates={str(ms.pk): "2026-03-18"},
    )
    # when approved
    services.report_approve(report=report, user=users.reviewer)
    # then the 开工 milestone has its actual date and the project the same start date
    assert Milestone.objects.get(pk=ms.pk).actual_on == datetime.date(2026, 3, 18)
    project = Project.objects.get(pk=city.project_a.pk)
    assert project.started_on == datetime.date(2026, 3, 18) and project.stage == "building"
    last = project.history.order_by("-history_id").first()
    assert last.history_user == users.reviewer
    assert last.history_change_reason == "2026年3月月报审核通过"


def test_approve_started_without_a_date_starts_on_the_month_and_its_milestone(city, users, today):
    # given a not started project whose 开工 milestone has no actual date
    ms = MilestoneFactory(project=city.project_a, planned_on=datetime.date(2026, 3, 1))
    report = ProgressReportFactory(
        project=city.project_a, month=3, status=ReportStatus.SUBMITTED, is_started=True
    )
    # when a report saying 已开工 (no date) is approved
    services.report_approve(report=report, user=users.reviewer)
    # then the project started on the month's first day, and so did its 开工 milestone
    project = Project.objects.get(pk=city.project_a.pk)
    assert project.started_on == datetime.date(2026, 3, 1) and project.stage == "building"
    assert Milestone.objects.get(pk=ms.pk).actual_on == datetime.date(2026, 3, 1)


def test_approve_with_completion_milestone_finishes_the_project(city, users, today):
    # given a project in construction with a 竣工 milestone, started in 2024
    Project.objects.filter(pk=city.project_a.pk).update(
        stage="building", started_on=datetime.date(2024, 5, 1)
    )
    ms = MilestoneFactory(
        project=city.project_a,
        kind="completion",
        name="竣工",
        planned_on=datetime.date(2026, 3, 30),
    )
    report = ProgressReportFactory(
        project=city.project_a,
        month=3,
        status=ReportStatus.SUBMITTED,
        milestone_updates={str(ms.pk): "2026-03-25"},
    )
    # when the report is approved
    approved = services.report_approve(report=report, user=users.reviewer)
    # then the project is 竣工 on that day, audited, and the reviewer is told
    project = Project.objects.get(pk=city.project_a.pk)
    assert (project.stage, project.completed_on) == ("completed", datetime.date(2026, 3, 25))
    assert project.history.first().history_change_reason == "2026年3月月报审核通过"
    assert "项目阶段由“在建”改为“竣工”" in approved.lifecycle_notes


def test_stale_update_refused_and_first_kept(city, users, today):
    # given two people opened version 1 of the same draft
    report = ProgressReportFactory(project=city.project_a, month=1, invested_month=D("10.00"))
    services.report_update(
        report=report, data=_data(invested_month=D("111.00")), version=1, user=users.reporter_a
    )
    # when the second saves with the stale version
    with pytest.raises(services.StaleEditError) as exc:
        services.report_update(
            report=report, data=_data(invested_month=D("222.00")), version=1, user=users.unit_clerk
        )
    # then the message says so and the first one's figure is kept
    assert "您看到的是旧版本" in _messages(exc)
    report.refresh_from_db()
    assert report.invested_month == D("111.00")
    assert report.version == 2


def test_bulk_approve_skips_non_submitted(city, users, today):
    a = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    b = ProgressReportFactory(project=city.project_b, month=3, status=ReportStatus.DRAFT)
    result = services.reports_bulk_approve(
        reports=ProgressReport.objects.filter(pk__in=[a.pk, b.pk]),
        user=users.reviewer,
        confirmed={a.pk, b.pk},
    )
    assert (result.approved, result.skipped, result.held) == (1, 1, ())
    assert ProgressReport.objects.get(pk=a.pk).status == ReportStatus.APPROVED
    assert ProgressReport.objects.get(pk=b.pk).status == ReportStatus.DRAFT


# ------------------------------------------------------------------ windows


def test_window_default_deadline_is_fifth_of_next_month(users, today):
    window = services.window_open(year=2026, month=3, user=users.reviewer)
    assert window.deadline == datetime.date(2026, 4, 5)
    december = services.window_open(year=2025, month=12, user=users.reviewer)
    assert december.deadline == datetime.date(2026, 1, 5)


def test_window_for_future_month_refused(users, today):
    with pytest.raises(ValidationError) as exc:
        services.window_open(year=2026, month=6, user=users.reviewer)
    assert "不能填报未来月份" in _messages(exc)


def test_window_close_twice_refused(users, today):
    window = services.window_open(year=2026, month=3, user=users.reviewer)
    services.window_close(window=window, user=users.reviewer)
    with pytest.raises(ValidationError) as exc:
        services.window_close(window=window, user=users.reviewer)
    assert "该调度期已关闭" in _messages(exc)


# ------------------------------------------------------------------ problems


def test_resolve_requires_resolution(city, users, today):
    problem = ProblemFactory(project=city.project_a)
    with pytest.raises(ValidationError) as exc:
        services.problem_resolve(problem=problem, resolution="", version=1, user=users.reviewer)
    assert exc.value.message_dict["resolution"] == ["问题标记为已解决时必须填写解决情况"]
    problem = services.problem_resolve(
        problem=problem, resolution="指标已下达", version=1, user=users.reviewer
    )
    assert problem.status == "resolved" and problem.resolved_on == today


def test_problem_stale_update_refused(city, users, today):
    problem = ProblemFactory(project=city.project_a)
    services.problem_update(
        problem=problem, data={"responsible_person": "张三"}, version=1, user=users.reviewer
    )
    with pytest.raises(services.StaleEditError):
        services.problem_update(
            problem=problem, data={"responsible_person": "李四"}, version=1, user=users.reporter_a
        )
    problem.refresh_from_db()
    assert problem.responsible_person == "张三"


def test_problem_overdue(city, today):
    overdue = ProblemFactory(project=city.project_a, deadline=datetime.date(2026, 4, 1))
    resolved = ProblemFactory(
        project=city.project_a,
        deadline=datetime.date(2026, 4, 1),
        status="resolved",
        resolution="已解决",
    )
    assert overdue.is_overdue() and not resolved.is_overdue()


# ------------------------------------------------------------------ letters, suspension


def test_supervision_letter_marks_problem_and_numbers(city, users, today):
    problem = ProblemFactory(project=city.project_a)
    letter = services.letter_issue(
        kind="supervision",
        project=city.project_a,
        problem=problem,
        body="请限期解决",
        reply_deadline=datetime.date(2026, 4, 20),
        user=users.reviewer,
    )
    second = services.letter_issue(
        kind="supervision",
        project=city.project_a,
        problem=None,
        body="请限期解决",
        reply_deadline=datetime.date(2026, 4, 20),
        user=users.reviewer,
    )
    assert letter.number == "发改督办〔2026〕1号" and second.number == "发改督办〔2026〕2号"
    assert letter.recipient == city.project_a.unit
    problem.refresh_from_db()
    assert problem.is_supervised


def test_letter_problem_of_other_project_refused(city, users, today):
    problem = ProblemFactory(project=city.project_b)
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(
            kind="reminder",
            project=city.project_a,
            problem=problem,
            body="x",
            reply_deadline=datetime.date(2026, 4, 20),
            user=users.reviewer,
        )
    assert "所选问题不属于该项目" in _messages(exc)


def test_letter_reply_requires_text(city, users, today):
    letter = services.letter_issue(
        kind="reminder",
        project=city.project_a,
        problem=None,
        body="x",
        reply_deadline=datetime.date(2026, 4, 20),
        user=users.reviewer,
    )
    with pytest.raises(ValidationError) as exc:
        services.letter_reply(letter=letter, reply=" ", version=1, user=users.reporter_a)
    assert "请填写回复内容" in _messages(exc)
    letter = services.letter_reply(
        letter=letter, reply="已协调解决", version=1, user=users.reporter_a
    )
    assert letter.status == "replied"


def test_suspension_cycle(city, users, today):
    project = city.project_a
    # resume while running is refused
    with pytest.raises(ValidationError) as exc:
        services.suspension_request(
            project=project, kind="resume", happened_on=today, reason="x", user=users.reporter_a
        )
    assert "该项目未停工，无需申请复工" in _messages(exc)
    req = services.suspension_request(
        project=project, kind="suspend", happened_on=today, reason="汛期停工", user=users.reporter_a
    )
    # a second pending request is refused
    with pytest.raises(ValidationError) as exc:
        services.suspension_request(
            project=project, kind="suspend", happened_on=today, reason="y", user=users.reporter_a
        )
    assert "已有待审核的停工/复工申请" in _messages(exc)
    assert not services.project_is_suspended(project)
    services.suspension_decide(request=req, approve=True, user=users.reviewer)
    assert services.project_is_suspended(project)
    with pytest.raises(ValidationError) as exc:
        services.suspension_decide(request=req, approve=True, user=users.reviewer)
    assert "该申请已审核" in _messages(exc)
    resume = services.suspension_request(
        project=project, kind="resume", happened_on=today, reason="汛期结束", user=users.reporter_a
    )
    with pytest.raises(ValidationError) as exc:
        services.suspension_decide(request=resume, approve=False, user=users.reviewer)
    assert "驳回时必须填写审核意见" in _messages(exc)
    services.suspension_decide(request=resume, approve=True, user=users.reviewer)
    assert not services.project_is_suspended(project)
