"""督办 and letter replies go through versioned, audited services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login
from milestones import services
from milestones.models import Problem, SupervisionLetter
from milestones.services import letter as letter_services
from milestones.tests.factories import ProblemFactory

STALE = "您看到的是旧版本"


def _text(response):
    return response.content.decode()


def _issue(problem, user, kind="supervision"):
    return services.letter_issue(
        kind=kind,
        project=problem.project,
        problem=problem,
        body="请限期解决用地问题",
        reply_deadline=datetime.date(2026, 4, 20),
        user=user,
    )


def test_supervision_letter_sets_dubian_as_an_audited_versioned_edit(city, users, today):
    # given an open problem at version 1
    problem = ProblemFactory(project=city.project_a)
    history_before = problem.history.count()
    # when a reviewer issues a 督办函 on it
    letter = _issue(problem, users.reviewer)
    # then 督办 is set, the version moved on, and history says who and why
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.is_supervised and problem.version == 2
    assert problem.history.count() == history_before + 1
    last = problem.history.latest("history_date")
    assert last.is_supervised and last.history_user == users.reviewer
    assert last.history_change_reason == f"发出督办函{letter.number}"


def test_stale_problem_form_cannot_clear_dubian(client, city, users, today):
    # given a reviewer opened the problem form (version 1, 督办 unticked)
    problem = ProblemFactory(project=city.project_a)
    login(client, users.reviewer)
    url = reverse("milestones:problem_edit", args=[problem.pk])
    assert client.get(url).status_code == 200
    stale = {
        "project": city.project_a.pk,
        "category": problem.category,
        "description": problem.description,
        "coordination_level": problem.coordination_level,
        "deadline": "2026-06-30",
        "status": "in_progress",
        "progress_note": "正在协调",
        "version": 1,
    }
    # and meanwhile a 督办函 was issued on it
    _issue(problem, users.admin)
    # when the stale form is saved (督办 unticked)
    response = client.post(url, stale)
    # then it is refused in Chinese and 督办 stays set
    assert response.status_code == 200
    assert STALE in _text(response)
    problem.refresh_from_db()
    assert problem.is_supervised and problem.progress_note == ""


def test_second_supervision_letter_leaves_problem_untouched(city, users, today):
    problem = ProblemFactory(project=city.project_a)
    _issue(problem, users.reviewer)
    _issue(problem, users.reviewer)
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.version == 2 and problem.history.count() == 2  # created, then 督办 once


def test_reminder_letter_does_not_touch_the_problem(city, users, today):
    problem = ProblemFactory(project=city.project_a)
    _issue(problem, users.reviewer, kind="reminder")
    problem = Problem.objects.get(pk=problem.pk)
    assert not problem.is_supervised and problem.version == 1


def test_stale_reply_is_refused_and_first_reply_kept(client, city, users, today):
    # given a letter, and two reporters who opened it (version 1)
    problem = ProblemFactory(project=city.project_a)
    letter = _issue(problem, users.reviewer)
    url = reverse("milestones:letter_reply", args=[letter.pk])
    login(client, users.reporter_a)
    assert client.get(reverse("milestones:letter_detail", args=[letter.pk])).status_code == 200
    # when the first replies and then the second replies from the same stale page
    first = client.post(url, {"reply": "已落实用地指标", "version": 1}, follow=True)
    second = client.post(url, {"reply": "尚未解决", "version": 1}, follow=True)
    # then the first reply stands, the second is told in Chinese, and both steps are audited
    assert "回复已提交" in _text(first)
    assert STALE in _text(second)
    letter = SupervisionLetter.objects.get(pk=letter.pk)
    assert letter.reply == "已落实用地指标" and letter.version == 2
    rows = list(letter.history.order_by("history_date"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert rows[-1].reply == "已落实用地指标" and rows[-1].history_user == users.reporter_a
    # and the letter page shows the change record
    page = _text(client.get(reverse("milestones:letter_detail", args=[letter.pk])))
    assert "变更记录" in page and "已落实用地指标" in page


def test_reply_without_version_is_refused(city, users, today):
    letter = _issue(ProblemFactory(project=city.project_a), users.reviewer)
    with pytest.raises(ValidationError, match="请刷新页面后重试"):
        services.letter_reply(letter=letter, reply="已解决", version=None, user=users.reporter_a)
    assert SupervisionLetter.objects.get(pk=letter.pk).reply == ""


def test_letter_numbers_skip_a_number_taken_meanwhile(city, users, today, monkeypatch):
    # given another reviewer's letter took 发改督办〔2026〕1号 after we counted
    problem = ProblemFactory(project=city.project_a)
    first = _issue(problem, users.reviewer)
    real = letter_services.next_letter_number
    monkeypatch.setattr(
        letter_services,
        "next_letter_number",
        lambda *, kind, year, skip=0: real(kind=kind, year=year, skip=skip - 1),
    )
    # when a second letter is issued with the stale count
    second = _issue(problem, users.reviewer)
    # then it gets the next free number, not an error
    assert first.number == "发改督办〔2026〕1号" and second.number == "发改督办〔2026〕2号"
