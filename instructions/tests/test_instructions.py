"""领导批示 end to end below the browser: a leader writes, the unit answers, the leader reads
已反馈; overdue judged as of today; scope; attachments through the private-file view."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Notice
from instructions import rules, services
from instructions.choices import InstructionState
from instructions.models import Instruction
from instructions.notices import send_due
from milestones.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _issue(project, user, **kw):
    kw.setdefault("deadline", datetime.date(2026, 4, 17))
    return services.instruction_issue(project=project, text="请加快征迁进度", user=user, **kw)


def test_leader_writes_from_the_project_page(
    client, city, users, clock, django_capture_on_commit_callbacks
):
    # given the city leader on a county-A project's page
    client.force_login(users.leader_city)
    panel = client.get(reverse("instructions:project_panel", args=[city.project_a.pk]))
    assert "写批示" in panel.content.decode()
    url = reverse("instructions:create") + f"?project={city.project_a.pk}"
    assert client.get(url).status_code == 200
    # when they sign a 批示
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "请于月底前完成征迁", "deadline": "2026-04-20"})
    # then it is a task for the project's unit, and county A's reporter is told
    instruction = Instruction.objects.get()
    assert response.status_code == 302
    assert instruction.unit == city.unit_a and instruction.issued_by == users.leader_city
    told = set(
        Notice.objects.filter(kind="instruction").values_list("recipient__username", flat=True)
    )
    assert told == {"reporter_a"}
    assert rules.state(instruction) == InstructionState.PENDING


def test_a_deadline_in_the_past_is_refused_in_chinese(client, city, users, clock):
    client.force_login(users.leader_city)
    url = reverse("instructions:create") + f"?project={city.project_a.pk}"
    response = client.post(url, {"text": "请推进", "deadline": "2026-04-01"})
    assert response.status_code == 200
    assert "反馈时限不能早于今天" in response.content.decode()
    assert not Instruction.objects.exists()


def test_reporters_may_not_write_and_out_of_scope_is_404(client, city, users, clock):
    client.force_login(users.reporter_a)
    url = reverse("instructions:create") + f"?project={city.project_a.pk}"
    assert client.get(url).status_code == 403
    client.force_login(users.leader_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("instructions:create") + "?project=abc").status_code == 404


def test_on_a_problem_goes_to_its_responsible_unit(city, users, clock):
    # given a county-B problem whose responsible unit is the city's transport bureau
    problem = ProblemFactory(project=city.project_b, responsible_unit=city.unit_city)
    instruction = _issue(city.project_b, users.leader_city, problem=problem)
    assert instruction.unit == city.unit_city
    # then the unit's clerk sees it although the project is not the unit's
    from instructions.selectors import instructions_for

    assert instructions_for(user=users.unit_clerk).filter(pk=instruction.pk).exists()
    assert not instructions_for(user=users.reporter_a).filter(pk=instruction.pk).exists()


def test_feedback_with_attachment_answers_and_tells_the_leader(
    client, city, users, clock, private_media, django_capture_on_commit_callbacks
):
    instruction = _issue(city.project_a, users.leader_city)
    client.force_login(users.reporter_a)
    upload = SimpleUploadedFile("征迁协议.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("instructions:feedback", args=[instruction.pk]),
            {"text": "已完成征迁协议签订", "files": [upload], "version": instruction.version},
        )
    assert response.status_code == 302
    instruction.refresh_from_db()
    assert rules.state(instruction) == InstructionState.ANSWERED
    attachment = instruction.feedback.get().attachments.get()
    assert attachment.original_name == "征迁协议.pdf"
    # the leader is told and reads 已反馈 on the detail page, with the file through the scope
    assert Notice.objects.filter(recipient=users.leader_city, kind="instruction_reply").exists()
    client.force_login(users.leader_city)
    page = client.get(reverse("instructions:detail", args=[instruction.pk])).content.decode()
    assert "已反馈" in page and "征迁协议.pdf" in page
    download = client.get(attachment.file.url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(users.reporter_b)
    assert client.get(attachment.file.url).status_code == 404
    # the history shows who answered
    assert instruction.history.filter(history_change_reason="反馈").exists()


def test_a_feedback_that_is_not_a_document_is_refused(client, city, users, clock, private_media):
    instruction = _issue(city.project_a, users.leader_city)
    client.force_login(users.reporter_a)
    fake = SimpleUploadedFile("说明.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        reverse("instructions:feedback", args=[instruction.pk]),
        {"text": "见附件", "files": [fake], "version": instruction.version},
        follow=True,
    )
    assert "不是PDF" in response.content.decode()
    instruction.refresh_from_db()
    assert instruction.status == "pending" and not instruction.feedback.exists()


def test_a_stale_form_is_refused(city, users, clock):
    instruction = _issue(city.project_a, users.leader_city)
    services.feedback_add(instruction=instruction, text="第一次", uploads=[], version=1,
                          user=users.reporter_a)  # fmt: skip
    with pytest.raises(Exception, match="旧版本"):
        services.feedback_add(instruction=instruction, text="第二次", uploads=[], version=1,
                              user=users.reporter_a)  # fmt: skip


def test_overdue_as_of_today_and_reminders_once(city, users, clock):
    instruction = _issue(city.project_a, users.leader_city, deadline=datetime.date(2026, 4, 11))
    # two days before: the unit is reminded, once however often the job runs
    assert send_due()["due_soon"] == 1
    assert send_due()["due_soon"] == 0
    assert rules.state(instruction) == InstructionState.PENDING
    # the day after the deadline it is 逾期未反馈 for the leader, and the overdue notice goes
    # to the reporters, the reviewers in scope and the leader
    clock.move_to(datetime.datetime(2026, 4, 12, 9, tzinfo=clock_tz()))
    instruction.refresh_from_db()
    assert rules.state(instruction) == InstructionState.OVERDUE
    assert send_due()["overdue"] == 4  # reporter_a, reviewer, reviewer_a, leader_city
    assert send_due()["overdue"] == 0
    # a late answer reads 逾期后反馈
    services.feedback_add(instruction=instruction, text="已办结", uploads=[], version=1,
                          user=users.reporter_a)  # fmt: skip
    instruction.refresh_from_db()
    assert rules.state(instruction) == InstructionState.ANSWERED_LATE


def clock_tz():
    from instructions.tests.conftest import SHANGHAI

    return SHANGHAI


def test_list_filters_and_leader_summary(client, city, users, clock):
    answered = _issue(city.project_a, users.leader_city)
    services.feedback_add(instruction=answered, text="已办", uploads=[], version=1,
                          user=users.reporter_a)  # fmt: skip
    _issue(city.project_b, users.leader_city)
    Instruction.objects.filter(project=city.project_b).update(
        issued_on=datetime.date(2026, 4, 1), deadline=datetime.date(2026, 4, 5)
    )
    client.force_login(users.leader_city)
    summary = client.get(reverse("instructions:leader_summary")).content.decode()
    assert 'id="mine-answered">1<' in summary and 'id="mine-overdue">1<' in summary
    overdue = client.get(reverse("instructions:list") + "?mine=1&state=overdue").content.decode()
    assert city.project_b.name in overdue and city.project_a.name not in overdue
    bad = client.get(reverse("instructions:list") + "?state=nonsense")
    assert bad.status_code == 400
    # a county-B leader sees county B's only
    client.force_login(users.leader_b)
    page = client.get(reverse("instructions:list")).content.decode()
    assert city.project_b.name in page and city.project_a.name not in page
    assert mail.outbox is not None
