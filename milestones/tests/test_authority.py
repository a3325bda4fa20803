"""Who may decide what: the citywide 调度期, a problem's deadline, level, 督办
and owner, and the API schema."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login
from milestones import services
from milestones.models import Problem, ReportingWindow
from milestones.tests.factories import ProblemFactory, ReportingWindowFactory
from registry.scoping import is_city_level, visible_units

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


# ------------------------------------------------------------------ 调度期


def test_only_city_reviewers_and_admins_are_city_level(users):
    assert is_city_level(users.reviewer) and is_city_level(users.admin)
    assert not is_city_level(users.reviewer_a)
    assert not is_city_level(users.leader_city)  # a leader reads, never decides
    assert not is_city_level(users.reporter_a)


def test_county_reviewer_cannot_open_close_or_reopen_the_window(client, city, users, today):
    # given an open March window and a closed February one
    march = ReportingWindowFactory(year=2026, month=3)
    february = ReportingWindowFactory(year=2026, month=2, is_open=False)
    before = list(ReportingWindow.objects.order_by("pk").values())
    login(client, users.reviewer_a)

    # when the 甲县 reviewer opens January, closes March and reopens February
    opened = client.post(reverse("milestones:windows"), {"year": 2026, "month": 1})
    closed = client.post(reverse("milestones:window_close", args=[march.pk]))
    reopened = client.post(reverse("milestones:window_reopen", args=[february.pk]))

    # then every one is refused with the reason, and no window changed
    for response in (opened, closed, reopened):
        assert response.status_code == 403
        assert "只有市级审核员或管理员可以开放或关闭" in text(response)
    assert list(ReportingWindow.objects.order_by("pk").values()) == before
    # the list still shows the windows, without the buttons
    page = text(client.get(reverse("milestones:windows")))
    assert "2026年3月" in page and "开放调度期" not in page and "重新开放" not in page


def test_window_services_refuse_a_county_reviewer(city, users, today):
    with pytest.raises(PermissionDenied):
        services.window_open(year=2026, month=3, user=users.reviewer_a)
    window = services.window_open(year=2026, month=3, user=users.admin)
    with pytest.raises(PermissionDenied):
        services.window_close(window=window, user=users.reviewer_a)
    assert ReportingWindow.objects.get(pk=window.pk).is_open


# ------------------------------------------------------------------ problems


@pytest.fixture
def overdue(city, today):
    """A 甲县 problem whose deadline has passed: it is overdue."""
    problem = ProblemFactory(
        project=city.project_a,
        deadline=datetime.date(2026, 3, 31),
        coordination_level="county",
        responsible_unit=city.unit_a,
    )
    assert problem.is_overdue(today)
    return problem


def test_reporter_edit_cannot_move_the_deadline(client, city, users, overdue, today):
    # given the reporter's edit form
    url = reverse("milestones:problem_edit", args=[overdue.pk])
    login(client, users.reporter_a)
    form = text(client.get(url))
    assert 'name="deadline"' in form and "disabled" in form

    # when a crafted POST moves the deadline and the level and reports progress
    response = client.post(url, {
        "category": "funds", "description": "改写的描述", "coordination_level": "province",
        "responsible_unit": city.unit_b.pk, "deadline": "2026-12-31", "status": "in_progress",
        "is_supervised": "on", "progress_note": "已上报用地指标", "version": overdue.version,
    })  # fmt: skip

    # then progress is saved, and the reviewer's fields are as they were: still overdue
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.progress_note == "已上报用地指标" and overdue.status == "in_progress"
    assert overdue.deadline == datetime.date(2026, 3, 31)
    assert overdue.coordination_level == "county" and not overdue.is_supervised
    assert overdue.responsible_unit == city.unit_a and overdue.category == "land"
    assert overdue.is_overdue(today)


def test_problem_service_refuses_reporters_deadline_change(city, users, overdue):
    for field, value in (
        ("deadline", datetime.date(2026, 12, 31)),
        ("coordination_level", "city"),
        ("is_supervised", True),
    ):
        with pytest.raises(ValidationError) as exc:
            services.problem_update(
                problem=overdue, data={field: value}, version=overdue.version, user=users.reporter_a
            )
        assert "由审核员设定" in exc.value.messages[0]
    overdue.refresh_from_db()
    assert overdue.deadline == datetime.date(2026, 3, 31) and overdue.version == 1
    # the reporter's own part goes through; the reviewer may move the deadline
    services.problem_update(
        problem=overdue, data={"progress_note": "推进中"}, version=1, user=users.reporter_a
    )
    services.problem_update(
        problem=overdue, data={"deadline": datetime.date(2026, 12, 31)}, version=2,
        user=users.reviewer,
    )  # fmt: skip
    overdue.refresh_from_db()
    assert overdue.progress_note == "推进中" and overdue.deadline == datetime.date(2026, 12, 31)


def test_reporter_cannot_create_a_supervised_problem(city, users):
    with pytest.raises(ValidationError):
        services.problem_create(
            project=city.project_a,
            data={"category": "land", "description": "x", "is_supervised": True},
            user=users.reporter_a,
        )
    assert not Problem.objects.exists()


def test_unit_choices_are_the_users_scope(client, city, users, today):
    # given the 甲县 reporter's new-problem form
    login(client, users.reporter_a)
    form = text(client.get(reverse("milestones:problem_create")))

    # then only 甲县's units are offered
    assert "甲县发改局" in form
    assert "乙区住建局" not in form and "市交通局" not in form

    # and a forged 乙区 unit is refused, nothing created
    data = {"project": city.project_a.pk, "category": "land", "description": "用地",
            "coordination_level": "county", "status": "open", "responsible_unit": city.unit_b.pk}  # fmt: skip
    response = client.post(reverse("milestones:problem_create"), data)
    assert response.status_code == 200
    assert "所选责任单位不在您的管理范围内" in text(response)
    assert not Problem.objects.exists()

    # the city reviewer may name any unit of the city
    login(client, users.reviewer)
    form = text(client.get(reverse("milestones:problem_create")))
    assert "乙区住建局" in form and "市交通局" in form


def test_visible_units_by_role(city, users):
    def names(user):
        return set(visible_units(user).values_list("name", flat=True))

    assert names(users.reporter_a) == {"甲县发改局"}
    assert names(users.reviewer_a) == {"甲县发改局"}
    assert names(users.unit_clerk) == {"市交通局"}
    assert names(users.reviewer) == {"甲县发改局", "乙区住建局", "市交通局"} <= names(users.admin)
    assert names(users.nobody) == set()


def test_problem_service_refuses_an_out_of_scope_unit(city, users, overdue):
    with pytest.raises(ValidationError) as exc:
        services.problem_create(
            project=city.project_a,
            data={"category": "land", "description": "x", "responsible_unit": city.unit_b},
            user=users.reviewer_a,
        )
    assert exc.value.message_dict == {"responsible_unit": ["所选责任单位不在您的管理范围内"]}
    with pytest.raises(ValidationError):
        services.problem_update(
            problem=overdue, data={"responsible_unit": city.unit_b}, version=1,
            user=users.reviewer_a,
        )  # fmt: skip
    overdue.refresh_from_db()
    assert overdue.responsible_unit == city.unit_a


# ------------------------------------------------------------------ API schema


def test_api_schema_and_docs_need_login(client, users):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")
    assert schema.status_code in (401, 403) and b"openapi" not in schema.content
    assert docs.status_code == 302 and "/login/" in docs.url
    login(client, users.reporter_a)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
