"""Letters: the reply deadline follows the problem, and a letter can be withdrawn (作废)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login
from milestones import services
from milestones.choices import LetterStatus
from milestones.letters import default_reply_deadline, letter_withdraw
from milestones.models import SupervisionLetter
from milestones.tests.factories import ProblemFactory, SupervisionLetterFactory

pytestmark = pytest.mark.django_db


def test_reply_deadline_defaults_from_the_problem(city, today):
    soon = ProblemFactory(project=city.project_a, deadline=datetime.date(2026, 5, 20))
    assert default_reply_deadline(soon, today=datetime.date(2026, 4, 10)) == datetime.date(
        2026, 5, 20
    )
    # an overdue (or too close) problem deadline: ten days from today
    late = ProblemFactory(project=city.project_a, deadline=datetime.date(2026, 4, 1))
    assert default_reply_deadline(late, today=datetime.date(2026, 4, 10)) == datetime.date(
        2026, 4, 20
    )
    assert default_reply_deadline(None, today=datetime.date(2026, 4, 10)) == datetime.date(
        2026, 4, 20
    )


def test_the_letter_form_offers_the_problems_deadline(client, city, users, today):
    problem = ProblemFactory(project=city.project_a, deadline=datetime.date(2026, 6, 30))
    login(client, users.reviewer)
    html = client.get(reverse("milestones:letter_create"), {"problem": problem.pk})
    assert 'value="2026-06-30"' in html.content.decode()


def test_withdraw_needs_a_reason_and_keeps_the_letter(city, users, today):
    letter = SupervisionLetterFactory(project=city.project_a)
    with pytest.raises(ValidationError):
        letter_withdraw(letter=letter, reason=" ", version=letter.version, user=users.reviewer)
    done = letter_withdraw(
        letter=letter, reason="问题已在会上解决", version=letter.version, user=users.reviewer
    )
    stored = SupervisionLetter.objects.get(pk=letter.pk)
    assert (stored.status, stored.withdrawn_reason, stored.withdrawn_by) == (
        LetterStatus.WITHDRAWN,
        "问题已在会上解决",
        users.reviewer,
    )
    assert stored.get_status_display() == "已作废"
    assert stored.history.first().history_change_reason == "作废：问题已在会上解决"
    # no longer awaiting a reply, never overdue, and cannot be replied to
    assert not stored.is_overdue(datetime.date(2099, 1, 1))
    assert not SupervisionLetter.objects.filter(status=LetterStatus.ISSUED, pk=letter.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.letter_reply(letter=stored, reply="x", version=done.version, user=users.reporter_a)
    assert exc.value.messages == ["该函件已作废，不能回复"]
    # a stale form cannot withdraw twice either
    with pytest.raises(ValidationError):
        letter_withdraw(letter=stored, reason="再次", version=letter.version, user=users.reviewer)


def test_withdraw_from_the_letter_page(client, city, users, today):
    letter = SupervisionLetterFactory(project=city.project_a)
    login(client, users.reviewer_a)
    page = client.get(reverse("milestones:letter_detail", args=[letter.pk])).content.decode()
    assert "作废函件" in page
    response = client.post(
        reverse("milestones:letter_withdraw", args=[letter.pk]),
        {"reason": "发错单位", "version": letter.version},
        follow=True,
    )
    html = response.content.decode()
    assert "已作废" in html and "发错单位" in html and "函件已作废，无需回复" in html
    # the reporter sees it withdrawn, with no reply box
    login(client, users.reporter_a)
    html = client.get(reverse("milestones:letter_detail", args=[letter.pk])).content.decode()
    assert "已作废" in html and "提交回复" not in html
    # out of scope: 404
    other = SupervisionLetterFactory(project=city.project_b)
    login(client, users.reviewer_a)
    response = client.post(
        reverse("milestones:letter_withdraw", args=[other.pk]),
        {"reason": "x", "version": other.version},
    )
    assert response.status_code == 404
    assert SupervisionLetter.objects.get(pk=other.pk).status == LetterStatus.ISSUED


def test_the_letterhead_names_this_city_not_the_demo_one(client, city, users, today, settings):
    # given a ledger whose top region is 示例市 (not the demo's 江州市)
    letter = SupervisionLetterFactory(project=city.project_a)
    login(client, users.reviewer)
    url = reverse("milestones:letter_detail", args=[letter.pk])
    # then the issued letter is headed and signed by that city's DRC
    html = client.get(url).content.decode()
    assert html.count("示例市发展和改革委员会") == 2 and "江州市" not in html
    # and the preview of a new one too
    problem = ProblemFactory(project=city.project_a)
    form = client.get(reverse("milestones:letter_create"), {"problem": problem.pk}).context["form"]
    data = {k: v.pk if hasattr(v, "pk") else v for k, v in form.initial.items() if v is not None}
    data["action"] = "preview"
    preview = client.post(reverse("milestones:letter_create"), data).content.decode()
    assert "示例市发展和改革委员会" in preview and "江州市" not in preview
    # an installation may name its authority explicitly
    settings.LETTER_AUTHORITY = "示例市重点项目建设领导小组办公室"
    assert "示例市重点项目建设领导小组办公室" in client.get(url).content.decode()
