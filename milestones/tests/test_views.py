"""Pages: what each role sees, scoping (404 outside), denied roles (403), stale edits, and a
bounded number of queries on the lists."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import audit_rows, login
from milestones.choices import ReportStatus
from milestones.models import Problem, ProgressReport, ReportingWindow
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
    SupervisionLetterFactory,
)
from milestones.tests.photo_files import jpeg
from registry.tests.factories import ProjectFactory

D = Decimal


def form_data(project=None, year=2026, month=3, action="save", **kw):
    data = {
        "invested_month": "120.50",
        "invested_ytd": "",
        "invested_total": "",
        "workers_planned": "50",
        "workers_actual": "45",
        "progress_text": "主体结构施工至三层",
        "difficulties": "",
        "np_level": "county",
        "action": action,
    }
    if project is not None:
        data.update(project=str(project.pk), year=str(year), month=str(month))
    data.update({k: str(v) for k, v in kw.items()})
    return data


def text(response):
    return response.content.decode()


# ------------------------------------------------------------------ todo


def test_todo_lists_only_projects_in_scope_with_state(client, city, users, today):
    # given a window for March and a returned report of the town project
    ReportingWindowFactory(year=2026, month=3)
    ProgressReportFactory(
        project=city.project_town,
        month=3,
        status=ReportStatus.RETURNED,
        reviewer_comment="请补充图片",
    )
    login(client, users.reporter_a)
    # when the county A reporter opens 本月待填报
    response = client.get(reverse("milestones:todo"))
    # then both county A projects are listed with their state, county B's is not
    body = text(response)
    assert response.status_code == 200
    assert "2026年3月 待填报" in body
    assert "甲县项目" in body and "甲县城关镇项目" in body
    assert "乙区项目" not in body
    assert "已退回" in body and "请补充图片" in body
    assert "修改后重新提交" in body


def test_unit_clerk_sees_unit_project_in_other_county(client, city, users, today):
    login(client, users.unit_clerk)
    body = text(client.get(reverse("milestones:todo") + "?year=2026&month=3"))
    assert "市交通局乙区道路" in body
    assert "乙区项目" not in body


# ------------------------------------------------------------------ report form


def test_reporter_fills_and_submits_report(client, city, users, today):
    # given an open window for March and a milestone
    ReportingWindowFactory(year=2026, month=3, opens_on=datetime.date(2026, 4, 1))
    ms = MilestoneFactory(project=city.project_a, planned_on=datetime.date(2026, 3, 1))
    ProgressReportFactory(
        project=city.project_a, month=1, status="approved", invested_month=D("100")
    )
    ProgressReportFactory(
        project=city.project_a, month=2, status="approved", invested_month=D("50")
    )
    login(client, users.reporter_a)
    url = reverse("milestones:report_new")
    # when the form is opened and submitted with a photo and a new problem
    assert (
        client.get(url, {"project": city.project_a.pk, "year": 2026, "month": 3}).status_code == 200
    )
    photo = SimpleUploadedFile("site.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(
        url,
        form_data(
            city.project_a,
            action="submit",
            fund_central="30",
            is_started="on",
            np_category="land",
            np_description="用地指标尚未下达",
            **{f"ms_{ms.pk}": "2026-03-20"},
        )
        | {"photos": photo},
        follow=True,
    )
    # then the report is submitted with derived totals, the problem and photo attached
    body = text(response)
    assert "2026年3月月报已提交，等待审核" in body
    report = ProgressReport.objects.get(project=city.project_a, month=3)
    assert report.status == ReportStatus.SUBMITTED
    assert report.invested_ytd == D("270.50")
    assert report.fund_central == D("30.00")
    assert report.milestone_updates == {str(ms.pk): "2026-03-20"}
    assert report.photos.count() == 1
    assert Problem.objects.get(source_report=report).description == "用地指标尚未下达"
    assert "270.50" in body


def test_negative_amount_message_on_form(client, city, users, today):
    login(client, users.reporter_a)
    response = client.post(
        reverse("milestones:report_new"), form_data(city.project_a, month=1, invested_month="-1")
    )
    assert "金额不能为负数" in text(response)
    assert not ProgressReport.objects.exists()


def test_future_month_message_on_form(client, city, users, today):
    login(client, users.reporter_a)
    response = client.post(reverse("milestones:report_new"), form_data(city.project_a, month=5))
    assert "不能填报未来月份（2026年5月尚未到来）" in text(response)
    assert not ProgressReport.objects.exists()


def test_ytd_disagreement_message_on_form(client, city, users, today):
    ProgressReportFactory(project=city.project_a, month=1, invested_month=D("100"))
    login(client, users.reporter_a)
    response = client.post(
        reverse("milestones:report_new"),
        form_data(city.project_a, month=2, invested_month="50", invested_ytd="999"),
    )
    body = text(response)
    assert "本年累计完成投资应为 1-1月已报 100.00 万元 + 本月 50.00 万元 = 150.00 万元" in body
    assert "您填写的是 999.00 万元" in body


def test_submit_outside_window_message_on_form(client, city, users, today):
    login(client, users.reporter_a)
    response = client.post(
        reverse("milestones:report_new"), form_data(city.project_a, month=1, action="submit")
    )
    assert "2026年1月调度期未开放，不能提交（可先保存草稿" in text(response)
    assert not ProgressReport.objects.exists()


def test_duplicate_report_message_on_form(client, city, users, today):
    ProgressReportFactory(project=city.project_a, month=1)
    login(client, users.reporter_a)
    response = client.post(reverse("milestones:report_new"), form_data(city.project_a, month=1))
    assert "甲县项目 2026年1月的月报已存在，请在原月报上修改" in text(response)
    assert ProgressReport.objects.filter(project=city.project_a).count() == 1


def test_approved_report_not_editable_on_page(client, city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=1, status=ReportStatus.APPROVED)
    login(client, users.reporter_a)
    url = reverse("milestones:report_edit", args=[report.pk])
    # the page redirects to the detail with the reason
    response = client.get(url, follow=True)
    assert "该月报已审核通过，不能再修改" in text(response)
    # a forged POST is refused with the same message and changes nothing
    response = client.post(url, form_data(invested_month="999", version=report.version))
    assert "该月报已审核通过，不能再修改" in text(response)
    report.refresh_from_db()
    assert report.invested_month == D("100.00")


def test_bad_photo_type_refused(client, city, users, today):
    login(client, users.reporter_a)
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("milestones:report_new"), form_data(city.project_a, month=1) | {"photos": bad}
    )
    assert "“virus.exe”不是图片文件，请上传 JPG/PNG 照片" in text(response)
    assert not ProgressReport.objects.exists()


def test_stale_edit_of_report_second_refused_first_kept(client, city, users, today):
    # given two reporters of the same project opened version 1 of the draft
    report = ProgressReportFactory(project=city.project_a, month=1, invested_month=D("10"))
    url = reverse("milestones:report_edit", args=[report.pk])
    first, second = client, client.__class__()
    login(first, users.reporter_a)
    login(second, users.reporter_a)
    assert 'name="version" value="1"' in text(first.get(url))
    assert 'name="version" value="1"' in text(second.get(url))
    # when both save
    r1 = first.post(url, form_data(invested_month="111", version=1))
    r2 = second.post(url, form_data(invested_month="222", version=1))
    # then the first is saved, the second gets the Chinese message and nothing is lost
    assert r1.status_code == 302
    assert r2.status_code == 200
    assert "您看到的是旧版本。请刷新页面，核对最新内容后再保存。" in text(r2)
    report.refresh_from_db()
    assert report.invested_month == D("111.00")
    assert report.version == 2


def test_returned_report_shows_comment_and_resubmits(client, city, users, today):
    ReportingWindowFactory(year=2026, month=1, is_open=False)
    report = ProgressReportFactory(
        project=city.project_a, month=1, status=ReportStatus.RETURNED, reviewer_comment="投资额偏低"
    )
    login(client, users.reporter_a)
    url = reverse("milestones:report_edit", args=[report.pk])
    assert "审核员退回意见：</strong>投资额偏低" in text(client.get(url))
    response = client.post(
        url, form_data(invested_month="150", version=report.version, action="submit"), follow=True
    )
    assert "月报已提交，等待审核" in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.invested_ytd == D("150.00")


# ------------------------------------------------------------------ scoping of reports


def test_reporter_cannot_open_other_county_report(client, city, users, today):
    other = ProgressReportFactory(project=city.project_b, month=1)
    login(client, users.reporter_a)
    for name in ("report_detail", "report_edit"):
        assert client.get(reverse(f"milestones:{name}", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("milestones:report_edit", args=[other.pk]),
        form_data(invested_month="1", version=1),
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.invested_month == D("100.00")


def test_reporter_cannot_start_report_for_other_county_by_url(client, city, users, today):
    login(client, users.reporter_a)
    url = reverse("milestones:report_new")
    assert (
        client.get(url, {"project": city.project_b.pk, "year": 2026, "month": 1}).status_code == 404
    )


def test_forged_hidden_project_id_refused(client, city, users, today):
    # given the county A reporter posts the new-report form with county B's project id
    login(client, users.reporter_a)
    response = client.post(
        reverse("milestones:report_new"), form_data(city.project_b, month=1), follow=True
    )
    # then nothing is created and the user is told why
    assert "所选项目不存在或不在您的填报范围内" in text(response)
    assert not ProgressReport.objects.exists()


def test_photo_download_is_scoped(client, city, users, today):
    report = ProgressReportFactory(project=city.project_b, month=1)
    photo = report.photos.create(
        image=SimpleUploadedFile("b.jpg", b"\xff\xd8\xffdata", content_type="image/jpeg")
    )
    login(client, users.reporter_a)
    assert client.get(reverse("milestones:photo", args=[photo.pk])).status_code == 404
    login(client, users.reporter_b)
    response = client.get(reverse("milestones:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xffdata"


# ------------------------------------------------------------------ review


def test_review_queue_shows_submitted_in_scope(client, city, users, today):
    ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    ProgressReportFactory(project=city.project_b, month=3, status=ReportStatus.SUBMITTED)
    ProgressReportFactory(project=city.project_town, month=3, status=ReportStatus.DRAFT)
    login(client, users.reviewer_a)
    body = text(client.get(reverse("milestones:review_queue")))
    assert "甲县项目" in body
    assert "乙区项目" not in body  # county B is outside reviewer_a's region
    assert "甲县城关镇项目" not in body  # drafts are not waiting for review
    body = text(client.get(reverse("milestones:review_queue") + "?status=draft"))
    assert "甲县城关镇项目" in body


def test_review_queue_filters_by_region_and_month(client, city, users, today):
    ProgressReportFactory(project=city.project_a, month=2, status=ReportStatus.SUBMITTED)
    ProgressReportFactory(project=city.project_b, month=3, status=ReportStatus.SUBMITTED)
    login(client, users.reviewer)
    body = text(
        client.get(reverse("milestones:review_queue"), {"region": city.county_b.pk, "month": 3})
    )
    assert "乙区项目" in body and "甲县项目" not in body


def test_report_detail_compares_with_previous_month(client, city, users, today):
    ProgressReportFactory(
        project=city.project_a, month=2, invested_month=D("80"), workers_actual=30
    )
    report = ProgressReportFactory(
        project=city.project_a,
        month=3,
        status=ReportStatus.SUBMITTED,
        invested_month=D("120"),
        workers_actual=30,
    )
    login(client, users.reviewer)
    body = text(client.get(reverse("milestones:report_detail", args=[report.pk])))
    assert "上月（2026年2月" in body
    assert "+40.00" in body  # change of this month's investment
    assert 'class="table-warning"' in body
    assert "审核通过" in body and "退回" in body


def test_reviewer_returns_then_approves(client, city, users, today):
    report = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    login(client, users.reviewer)
    # return without a comment is refused
    response = client.post(
        reverse("milestones:report_return", args=[report.pk]), {"comment": ""}, follow=True
    )
    assert "退回时必须填写退回意见" in text(response)
    response = client.post(
        reverse("milestones:report_return", args=[report.pk]),
        {"comment": "请补充现场照片", "version": report.version},
        follow=True,
    )
    assert "月报已退回" in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.reviewer_comment == "请补充现场照片"
    ProgressReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    response = client.post(
        reverse("milestones:report_approve", args=[report.pk]), {"comment": ""}, follow=True
    )
    assert "月报已审核通过" in text(response)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_bulk_approve_only_in_scope(client, city, users, today):
    a = ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED)
    b = ProgressReportFactory(project=city.project_b, month=3, status=ReportStatus.SUBMITTED)
    login(client, users.reviewer_a)
    response = client.post(
        reverse("milestones:report_bulk_approve"),
        {"ids": [a.pk, b.pk], "confirm": [a.pk, b.pk]},
        follow=True,
    )
    assert "已审核1份" in text(response)
    assert ProgressReport.objects.get(pk=a.pk).status == ReportStatus.APPROVED
    assert ProgressReport.objects.get(pk=b.pk).status == ReportStatus.SUBMITTED


def test_review_queue_query_count_is_bounded(
    client, city, users, today, django_assert_max_num_queries
):
    def make(n, month):
        for _ in range(n):
            project = ProjectFactory(region=city.county_a, unit=city.unit_a)
            ProgressReportFactory(project=project, month=month, status=ReportStatus.SUBMITTED)

    login(client, users.reviewer)
    make(5, 1)
    with django_assert_max_num_queries(19) as few:  # notices, 2 for hints, 2 for years
        assert client.get(reverse("milestones:review_queue")).status_code == 200
    make(40, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = text(client.get(reverse("milestones:review_queue")))
    assert body.count("btn btn-sm btn-outline-primary") == 45


# ------------------------------------------------------------------ windows


def test_reviewer_opens_and_closes_window(client, users, today):
    login(client, users.reviewer)
    response = client.post(reverse("milestones:windows"), {"year": 2026, "month": 3}, follow=True)
    assert "2026年3月调度期已开放，截止日期 2026-04-05" in text(response)
    window = ReportingWindow.objects.get(year=2026, month=3)
    response = client.post(reverse("milestones:window_close", args=[window.pk]), follow=True)
    assert "2026年3月调度期已关闭" in text(response)
    assert not ReportingWindow.objects.get(pk=window.pk).is_open


def test_window_for_future_month_message(client, users, today):
    login(client, users.reviewer)
    response = client.post(reverse("milestones:windows"), {"year": 2026, "month": 7})
    assert "不能填报未来月份（2026年7月尚未到来）" in text(response)


# ------------------------------------------------------------------ problems


def test_problem_list_scoped_overdue_highlighted(client, city, users, today):
    ProblemFactory(
        project=city.project_a, description="甲县逾期问题", deadline=datetime.date(2026, 4, 1)
    )
    ProblemFactory(project=city.project_b, description="乙区的问题")
    login(client, users.reporter_a)
    body = text(client.get(reverse("milestones:problem_list")))
    assert "甲县逾期问题" in body and "已逾期" in body and 'class="table-danger"' in body
    assert "乙区的问题" not in body


def test_problem_list_filters(client, city, users, today):
    ProblemFactory(project=city.project_a, description="督办的问题", is_supervised=True)
    ProblemFactory(project=city.project_a, description="普通问题")
    login(client, users.reviewer)
    body = text(client.get(reverse("milestones:problem_list"), {"is_supervised": "1"}))
    assert "督办的问题" in body and "普通问题" not in body


def test_problem_export_contains_only_scope(client, city, users, today):
    ProblemFactory(
        project=city.project_a, description="甲县问题", deadline=datetime.date(2026, 4, 1)
    )
    ProblemFactory(project=city.project_b, description="乙区问题")
    login(client, users.reporter_a)
    response = client.get(reverse("milestones:problem_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content))["问题清单"]
    rows = [row for row in ws.iter_rows(min_row=3, values_only=True)]
    assert [r[5] for r in rows] == ["甲县问题"]
    assert rows[0][13] == "是"  # overdue column (after 措施)
    assert ws["A2"].value == "序号"


def test_reporter_creates_problem_forged_project_refused(client, city, users, today):
    login(client, users.reporter_a)
    data = {
        "project": city.project_b.pk,
        "category": "land",
        "description": "伪造",
        "coordination_level": "county",
        "status": "open",
    }
    response = client.post(reverse("milestones:problem_create"), data)
    assert "所选项目不存在或不在您的管理范围内" in text(response)
    assert not Problem.objects.exists()
    data["project"] = city.project_a.pk
    response = client.post(reverse("milestones:problem_create"), data, follow=True)
    assert "问题已登记" in text(response)
    problem = Problem.objects.get()
    assert problem.project == city.project_a and not problem.is_supervised


def test_reporter_cannot_set_supervised(client, city, users, today):
    problem = ProblemFactory(project=city.project_a)
    login(client, users.reporter_a)
    url = reverse("milestones:problem_edit", args=[problem.pk])
    assert "列入督办" not in text(client.get(url))
    client.post(
        url,
        {
            "category": "land",
            "description": problem.description,
            "coordination_level": "county",
            "status": "in_progress",
            "is_supervised": "on",
            "version": 1,
        },
    )
    problem.refresh_from_db()
    assert problem.status == "in_progress" and not problem.is_supervised


def test_reporter_cannot_edit_other_county_problem(client, city, users, today):
    problem = ProblemFactory(project=city.project_b)
    login(client, users.reporter_a)
    url = reverse("milestones:problem_edit", args=[problem.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"description": "x", "version": 1}).status_code == 404
    resolve = reverse("milestones:problem_resolve", args=[problem.pk])
    assert client.post(resolve, {"resolution": "x", "version": 1}).status_code == 404
    problem.refresh_from_db()
    assert problem.status == "open"


def test_problem_stale_edit_on_page(client, city, users, today):
    problem = ProblemFactory(project=city.project_a)
    url = reverse("milestones:problem_edit", args=[problem.pk])
    login(client, users.reviewer)
    base = {
        "category": "land",
        "description": problem.description,
        "coordination_level": "city",
        "status": "in_progress",
        "version": 1,
    }
    assert client.post(url, base | {"responsible_person": "张三"}).status_code == 302
    response = client.post(url, base | {"responsible_person": "李四"})
    assert "您看到的是旧版本" in text(response)
    problem.refresh_from_db()
    assert problem.responsible_person == "张三"


def test_resolve_problem_message(client, city, users, today):
    problem = ProblemFactory(project=city.project_a)
    login(client, users.reviewer)
    url = reverse("milestones:problem_resolve", args=[problem.pk])
    response = client.post(url, {"resolution": "", "version": 1}, follow=True)
    assert "问题标记为已解决时必须填写解决情况" in text(response)
    response = client.post(url, {"resolution": "指标已下达", "version": 1}, follow=True)
    assert "问题已标记为已解决" in text(response)


def test_problem_list_query_count_is_bounded(
    client, city, users, today, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            ProblemFactory(project=city.project_a, responsible_unit=city.unit_a)

    login(client, users.reviewer)
    make(5)
    with django_assert_max_num_queries(19) as few:  # notices, 2 for hints, 2 for years
        assert client.get(reverse("milestones:problem_list")).status_code == 200
    make(35)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = text(client.get(reverse("milestones:problem_list")))
    assert body.count(">处理</a>") == 40


# ------------------------------------------------------------------ letters, suspension, milestones


def test_letter_issue_print_and_reply(client, city, users, today):
    problem = ProblemFactory(project=city.project_a)
    login(client, users.reviewer)
    data = {
        "kind": "supervision",
        "project": city.project_a.pk,
        "problem": problem.pk,
        "body": "请于十日内解决用地问题",
        "reply_deadline": "2026-04-20",
    }
    # the first submit previews the letter as it will read; nothing is issued yet
    preview = text(client.post(reverse("milestones:letter_create"), data))
    assert "预览：" in preview and "发改督办〔2026〕1号" in preview
    assert "2026年4月20日" in preview
    assert not problem.letters.exists()
    # 返回修改 shows the form again with what was typed
    again = text(client.post(reverse("milestones:letter_create"), {**data, "action": "edit"}))
    assert "请于十日内解决用地问题" in again and not problem.letters.exists()
    response = client.post(
        reverse("milestones:letter_create"), {**data, "action": "issue"}, follow=True
    )
    body = text(response)
    assert "督办函已发出：发改督办〔2026〕1号" in body
    assert "letter_print.css" in body
    letter = problem.letters.get()
    login(client, users.reporter_a)
    response = client.post(
        reverse("milestones:letter_reply", args=[letter.pk]),
        {"reply": "已协调落实", "version": letter.version},
        follow=True,
    )
    assert "回复已提交" in text(response) and "已协调落实" in text(response)


def test_letters_scoped_for_reporter(client, city, users, today):
    letter = SupervisionLetterFactory(project=city.project_b)
    login(client, users.reporter_a)
    assert client.get(reverse("milestones:letter_detail", args=[letter.pk])).status_code == 404
    assert (
        client.post(
            reverse("milestones:letter_reply", args=[letter.pk]), {"reply": "x"}
        ).status_code
        == 404
    )
    assert letter.number not in text(client.get(reverse("milestones:letter_list")))


def test_suspension_request_and_decision(client, city, users, today):
    login(client, users.reporter_a)
    url = reverse("milestones:suspension_request", args=[city.project_a.pk])
    response = client.post(
        url, {"kind": "suspend", "happened_on": "2026-04-08", "reason": "汛期"}, follow=True
    )
    assert "申请已提交，等待市发改委审核" in text(response)
    req = city.project_a.suspensions.get()
    login(client, users.reviewer)
    response = client.post(
        reverse("milestones:suspension_decide", args=[req.pk]), {"decision": "approve"}, follow=True
    )
    assert "停工申请已审核" in text(response)
    body = text(client.get(reverse("registry:project_detail", args=[city.project_a.pk])))
    assert "停工中" in body


def test_pending_suspensions_badge_in_the_reviewers_menu(client, city, users, today):
    from milestones import services as ms

    for project, reason in ((city.project_a, "汛期"), (city.project_b, "环保督察")):
        ms.suspension_request(
            project=project, user=users.admin, kind="suspend",
            happened_on=datetime.date(2026, 4, 8), reason=reason,
        )  # fmt: skip
    # the city reviewer sees both waiting, the county A reviewer only A's
    login(client, users.reviewer)
    assert 'id="suspension-count">2</span>' in client.get(reverse("portal:home")).text
    login(client, users.reviewer_a)
    page = client.get(reverse("portal:home")).text
    assert 'id="suspension-count">1</span>' in page
    # the list asks for a confirmation before deciding, and shows who decided
    listing = client.get(reverse("milestones:suspension_list"), {"status": "pending"}).text
    assert "确认批准甲县项目的停工申请" in listing
    req = city.project_a.suspensions.get()
    client.post(reverse("milestones:suspension_decide", args=[req.pk]),
                {"decision": "reject", "comment": "材料不全"})  # fmt: skip
    listing = client.get(reverse("milestones:suspension_list")).text
    assert "意见：材料不全" in listing
    assert 'id="suspension-count"' not in client.get(reverse("portal:home")).text
    # reporters have no such menu
    login(client, users.reporter_a)
    assert "suspension-count" not in client.get(reverse("portal:home")).text


def test_suspension_request_other_county_404(client, city, users, today):
    login(client, users.reporter_a)
    url = reverse("milestones:suspension_request", args=[city.project_b.pk])
    assert client.get(url).status_code == 404


def test_milestone_edit_and_chart(client, city, users, today):
    login(client, users.reporter_a)
    url = reverse("milestones:milestone_edit", args=[city.project_a.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-kind": "start",
        "form-0-name": "开工",
        "form-0-planned_on": "2026-03-01",
        "form-0-actual_on": "",
        "form-0-note": "",
    }
    response = client.post(url, data, follow=True)
    body = text(response)
    assert "节点计划已保存" in body
    assert "逾期 40 天" in body  # planned 03-01, today 04-10, no actual date
    assert "vendor/echarts/echarts.min.js" in body
    assert (
        client.get(reverse("milestones:milestone_edit", args=[city.project_b.pk])).status_code
        == 404
    )


def test_milestone_completion_date_finishes_the_project(client, city, users, today):
    # given a project in construction whose 竣工 milestone is planned
    from registry.models import Project

    Project.objects.filter(pk=city.project_a.pk).update(
        stage="building", started_on=datetime.date(2024, 4, 1)
    )
    ms = MilestoneFactory(
        project=city.project_a, kind="completion", name="竣工", planned_on=datetime.date(2025, 9, 1)
    )
    login(client, users.reviewer)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(ms.pk),
        "form-0-kind": "completion",
        "form-0-name": "竣工",
        "form-0-planned_on": "2025-09-01",
        "form-0-actual_on": "2025-08-23",
        "form-0-note": "",
    }
    # when its actual date is recorded on the milestone page
    response = client.post(
        reverse("milestones:milestone_edit", args=[city.project_a.pk]), data, follow=True
    )
    # then the project says 竣工 with that date, the page says so, and the history says why
    assert "项目阶段由“在建”改为“竣工”" in text(response)
    project = Project.objects.get(pk=city.project_a.pk)
    assert (project.stage, project.completed_on) == ("completed", datetime.date(2025, 8, 23))
    last = project.history.first()
    assert last.history_user == users.reviewer
    assert last.history_change_reason == "节点“竣工”实际日期记为2025-08-23"


def test_project_detail_panels_show_figures_and_history(client, city, users, today):
    # given a submitted March report and a reviewer known by name
    report = ProgressReportFactory(
        project=city.project_a, month=3, status=ReportStatus.SUBMITTED, invested_month=D("345.67")
    )
    users.reviewer.first_name = "王审核"
    users.reviewer.save()
    login(client, users.reviewer)

    # when the reviewer approves it
    approve = client.post(reverse("milestones:report_approve", args=[report.pk]), {})
    assert approve.status_code == 302
    body = text(client.get(reverse("registry:project_detail", args=[city.project_a.pk])))

    # then the reports panel shows the figure as approved
    reports = re.search(r'id="report-history".*?</table>', body, re.S).group(0)
    assert "345.67" in reports and "已审核" in reports
    # and the change history names the person (not the login name) and what changed
    (approval,) = [r for r in audit_rows(body) if r[2] == "2026年3月月报" and r[3] == "修改"]
    assert approval[1] == "王审核"
    assert "状态：已提交 → 已审核" in approval[4]
    assert "审核人：— → 王审核" in approval[4] and "reviewer" not in approval[4]


# ------------------------------------------------------------------ denied roles


def _rid(city):
    return ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.SUBMITTED).pk


DENIED = [
    # (url name, args builder, method, roles that must get 403)
    ("todo", None, "get", ["reviewer", "leader_city", "nobody"]),
    ("report_new", None, "get", ["reviewer", "leader_city", "nobody"]),
    ("review_queue", None, "get", ["reporter_a", "leader_city", "nobody"]),
    ("windows", None, "get", ["reporter_a", "leader_city", "nobody"]),
    ("problem_list", None, "get", ["leader_city", "nobody"]),
    ("problem_export", None, "get", ["leader_city", "nobody"]),
    ("problem_create", None, "get", ["leader_city", "nobody"]),
    ("letter_list", None, "get", ["leader_city", "nobody"]),
    ("letter_create", None, "get", ["reporter_a", "leader_city", "nobody"]),
    ("suspension_list", None, "get", ["leader_city", "nobody"]),
    ("report_bulk_approve", None, "post", ["reporter_a", "leader_city", "nobody"]),
]


@pytest.mark.parametrize("name,_args,method,roles", DENIED)
def test_denied_roles_get_403(client, city, users, today, name, _args, method, roles):
    for role in roles:
        login(client, getattr(users, role))
        response = getattr(client, method)(reverse(f"milestones:{name}"))
        assert response.status_code == 403, (name, role)


def test_denied_roles_on_object_views(client, city, users, today):
    report_pk = _rid(city)
    problem = ProblemFactory(project=city.project_a)
    letter = SupervisionLetterFactory(project=city.project_a)
    window = ReportingWindowFactory(year=2026, month=3)
    req = city.project_a.suspensions.create(kind="suspend", happened_on=today, reason="x")
    cases = [
        ("report_approve", [report_pk], "post", ["reporter_a", "leader_city", "nobody"]),
        ("report_return", [report_pk], "post", ["reporter_a", "leader_city", "nobody"]),
        ("report_edit", [report_pk], "get", ["reviewer", "leader_city", "nobody"]),
        ("report_detail", [report_pk], "get", ["nobody"]),
        ("problem_edit", [problem.pk], "get", ["leader_city", "nobody"]),
        ("problem_resolve", [problem.pk], "post", ["leader_city", "nobody"]),
        ("letter_detail", [letter.pk], "get", ["leader_city", "nobody"]),
        ("letter_reply", [letter.pk], "post", ["reviewer", "leader_city", "nobody"]),
        ("window_close", [window.pk], "post", ["reporter_a", "leader_city", "nobody"]),
        ("window_reopen", [window.pk], "post", ["reporter_a", "leader_city", "nobody"]),
        ("milestone_edit", [city.project_a.pk], "get", ["leader_city", "nobody"]),
        ("suspension_request", [city.project_a.pk], "get", ["reviewer", "leader_city", "nobody"]),
        ("suspension_decide", [req.pk], "post", ["reporter_a", "leader_city", "nobody"]),
        ("photo", [1], "get", ["nobody"]),
    ]
    for name, args, method, roles in cases:
        for role in roles:
            login(client, getattr(users, role))
            response = getattr(client, method)(reverse(f"milestones:{name}", args=args))
            assert response.status_code == 403, (name, role, response.status_code)
    # nothing changed
    assert ProgressReport.objects.get(pk=report_pk).status == ReportStatus.SUBMITTED
    assert ReportingWindow.objects.get(pk=window.pk).is_open


def test_anonymous_redirected_to_login(client, city):
    response = client.get(reverse("milestones:todo"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_out_of_scope_reviewer_gets_404(client, city, users, today):
    report = ProgressReportFactory(project=city.project_b, month=3, status=ReportStatus.SUBMITTED)
    login(client, users.reviewer_a)
    assert client.get(reverse("milestones:report_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("milestones:report_approve", args=[report.pk])).status_code == 404
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_investment_before_the_start_is_flagged_to_the_reviewer(client, city, users, today):
    from registry.models import Project

    # given a report with investment for a project not started, one for a project started
    # after the report's month, and one for a project started before it
    Project.objects.filter(pk=city.project_b.pk).update(
        stage="building", started_on=datetime.date(2026, 4, 2)
    )
    Project.objects.filter(pk=city.project_town.pk).update(
        stage="building", started_on=datetime.date(2025, 6, 1)
    )
    flagged = ProgressReportFactory(
        project=city.project_a, month=3, status=ReportStatus.SUBMITTED, invested_month=D("80")
    )
    early = ProgressReportFactory(
        project=city.project_b, month=3, status=ReportStatus.SUBMITTED, invested_month=D("50")
    )
    fine = ProgressReportFactory(
        project=city.project_town, month=3, status=ReportStatus.SUBMITTED, invested_month=D("9")
    )
    login(client, users.reviewer)
    # when the reviewer opens the queue and the reports
    queue = text(client.get(reverse("milestones:review_queue")))
    # then the two reports before the start carry the flag, the third does not
    assert queue.count("开工前填报投资") == 2
    detail = text(client.get(reverse("milestones:report_detail", args=[flagged.pk])))
    assert "项目尚未开工（台账无开工时间），本月报告却填报了完成投资，请核实" in detail
    detail = text(client.get(reverse("milestones:report_detail", args=[early.pk])))
    assert "项目开工时间为 2026-04-02，本月报告却填报了开工前的完成投资，请核实" in detail
    detail = text(client.get(reverse("milestones:report_detail", args=[fine.pk])))
    assert "请审核员注意" not in detail
