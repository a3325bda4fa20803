"""新增项目 on the web (SPEC §3.1, §3.5, §3.8) and the 项目库 page of a project."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from registry import services
from registry.choices import Pool
from registry.models import AnnualPlan, ContractAssignment, Project
from registry.selectors import year_list
from registry.tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
JUNE_15 = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
URL = "/projects/new/"


def form_data(city, **over):
    data = {
        "year": "2026",
        "code": "",
        "name": "甲县智能制造产业园",
        "level": "county",
        "nature": "new",
        "category": "industry",
        "sector": "secondary",
        "region": city.county_a.pk,
        "unit": city.unit_a.pk,
        "leader": "",
        "owner": "甲县产业投资有限公司",
        "contact": "王工",
        "phone": "13800000000",
        "location": "甲县经济开发区",
        "scope": "新建厂房5万平方米",
        "total_investment": "50,000",
        "invested_before_year": "",
        "annual_plan": "12000",
        "planned_start": "2026-07-01",
        "planned_finish": "2028-06-30",
        "pool_reason": "县政府常务会议研究增补",
        "note": "",
    }
    data.update(over)
    return data


def post(client, user, data):
    client.force_login(user)
    return client.post(URL, data)


def test_county_reviewer_adds_a_project_in_scope_as_mid_year_addition(client, city, users):
    # given a county reviewer in June, the 2026 list running
    leader = LeaderFactory(name="李副县长", region=city.county_a)
    with time_machine.travel(JUNE_15, tick=False):
        # when they add a project of their county through the form
        resp = post(client, users.reviewer_a, form_data(city, leader=leader.pk))
    # then it is saved with every field, a generated code, its plan and its 五个一
    project = Project.objects.get(name="甲县智能制造产业园")
    assert resp.status_code == 302 and resp.url == f"/projects/{project.pk}/"
    assert project.region == city.county_a and project.unit == city.unit_a
    assert project.leader == leader and project.owner == "甲县产业投资有限公司"
    assert project.total_investment == Decimal("50000.00")
    assert project.code.startswith("2026-")
    # and it is 增补, dated today, with the reason
    assert project.pool == Pool.ADDED and project.pool_reason == "县政府常务会议研究增补"
    plan = AnnualPlan.objects.get(project=project, year=2026)
    assert plan.planned_investment == Decimal("12000.00")
    assert plan.listed_on == datetime.date(2026, 6, 15)
    # counted for June, not for May
    assert year_list(2026, as_of=datetime.date(2026, 6, 30)).filter(pk=project.pk).exists()
    assert not year_list(2026, as_of=datetime.date(2026, 5, 31)).filter(pk=project.pk).exists()
    # audited under the reviewer, with the contracting record opened
    created = project.history.get(history_type="+")
    assert created.history_user == users.reviewer_a
    assert "年中增补" in created.history_change_reason
    assert plan.history.get(history_type="+").history_user == users.reviewer_a
    assignment = ContractAssignment.objects.get(project=project)
    assert (assignment.leader, assignment.unit) == (leader, city.unit_a)


def test_before_the_year_list_exists_a_new_project_is_formal(client, city, users):
    # given next year's list, not started yet
    with time_machine.travel(JUNE_15, tick=False):
        post(client, users.reviewer_a, form_data(city, year="2027", pool_reason=""))
    project = Project.objects.get(name="甲县智能制造产业园")
    assert project.pool == Pool.LISTED and project.year == 2027
    assert AnnualPlan.objects.get(project=project).listed_on is None


def test_region_of_another_county_is_refused_and_nothing_written(client, city, users):
    before = Project.all_objects.count()
    with time_machine.travel(JUNE_15, tick=False):
        resp = post(client, users.reviewer_a, form_data(city, region=city.county_b.pk))
    assert resp.status_code == 200
    assert "所选地区不在您的管理范围内" in resp.text
    assert (
        Project.all_objects.count() == before
        and not AnnualPlan.objects.filter(project__name="甲县智能制造产业园").exists()
    )
    # what was typed is still there
    assert "甲县产业投资有限公司" in resp.text and "县政府常务会议研究增补" in resp.text


def test_service_refuses_a_region_outside_scope_with_the_import_message(city, users):
    from django.core.exceptions import ValidationError

    from registry.project_create import project_create

    data = {
        "name": "越权项目", "level": "county", "nature": "new", "category": "industry",
        "sector": "secondary", "region": city.county_b, "unit": city.unit_b,
    }  # fmt: skip
    with pytest.raises(ValidationError) as exc, time_machine.travel(JUNE_15, tick=False):
        project_create(
            data=data, year=2026, plan=Decimal(1), user=users.reviewer_a, pool_reason="x"
        )
    assert exc.value.message_dict["region"] == ["“乙区”不在您的管理范围内"]
    assert not Project.objects.filter(name="越权项目").exists()


def test_same_name_in_same_region_is_refused_with_the_import_message(client, city, users):
    with time_machine.travel(JUNE_15, tick=False):
        resp = post(client, users.reviewer_a, form_data(city, name="甲县项目"))
    assert resp.status_code == 200
    assert f"与已有项目“{city.project_a.code} 甲县项目”是同一个项目（名称和地区相同）" in resp.text
    assert Project.objects.filter(name="甲县项目").count() == 1


def test_import_rules_apply_field_by_field(client, city, users):
    data = form_data(
        city,
        code=city.project_b.code,
        level="",
        total_investment="-5",
        annual_plan="约3亿",
        planned_finish="2026-01-01",
        pool_reason="",
    )
    with time_machine.travel(JUNE_15, tick=False):
        resp = post(client, users.reviewer_a, data)
    text = resp.text
    assert "已被其他项目使用" in text  # code
    assert "新项目必须填写" in text  # 项目级别
    assert "不能为负数" in text  # money, the import's cell check
    assert "不是数字 “约3亿”" in text
    assert "早于计划开工时间（2026-07-01）" in text
    assert "请填写增补原因" in text  # the year's list is running: this is a 增补
    assert not Project.objects.filter(name="甲县智能制造产业园").exists()


def test_reporters_and_leaders_may_not_add(client, city, users):
    for user in (users.reporter_a, users.leader_city):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(city)).status_code == 403
    assert not Project.objects.filter(name="甲县智能制造产业园").exists()


def test_ledger_list_links_to_the_form_for_reviewers_only(client, city, users):
    client.force_login(users.reviewer_a)
    assert reverse("registry:project_create") in client.get("/projects/").text
    client.force_login(users.reporter_a)
    assert reverse("registry:project_create") not in client.get("/projects/").text


def test_pool_page_shows_current_pool_and_history(client, city, users):
    # given a project withdrawn on 3 June, then put back as 增补 on 15 June
    p = city.project_a
    for when, pool, reason in (
        (datetime.datetime(2026, 6, 3, 9, 0, tzinfo=TZ), Pool.WITHDRAWN, "资金未落实"),
        (JUNE_15, Pool.ADDED, "资金已落实，重新列入"),
    ):
        p.refresh_from_db()
        with time_machine.travel(when, tick=False):
            services.project_set_pool(
                project=p, pool=pool, reason=reason, version=p.version, user=users.reviewer_a
            )
    # when the reviewer opens the pool page
    client.force_login(users.reviewer_a)
    resp = client.get(f"/projects/{p.pk}/pool/")
    # then it shows the current pool, its date and reason, and both changes with who made them
    assert resp.status_code == 200
    text = resp.text
    assert 'id="pool-current">增补<' in text and "2026-06-15" in text
    assert "资金已落实，重新列入" in text
    rows = resp.context["history"]
    assert [(r["from"], r["to"]) for r in rows[:2]] == [("退库", "增补"), ("正式", "退库")]
    assert rows[1]["reason"] == "资金未落实" and rows[0]["who"] == "reviewer_a"
    assert 'name="back" value="pool"' in text


def test_pool_post_from_the_pool_page_returns_to_it(client, city, users):
    p = city.project_a
    client.force_login(users.reviewer_a)
    data = {"pool": "withdrawn", "reason": "停建", "version": p.version, "back": "pool"}
    resp = client.post(f"/projects/{p.pk}/pool/", data)
    assert resp.status_code == 302 and resp.url == f"/projects/{p.pk}/pool/"
    p.refresh_from_db()
    assert p.pool == Pool.WITHDRAWN


def test_pool_page_out_of_scope_is_404_and_reporter_403(client, city, users):
    client.force_login(users.reviewer_a)
    assert client.get(f"/projects/{city.project_b.pk}/pool/").status_code == 404
    client.force_login(users.reporter_a)
    assert client.get(f"/projects/{city.project_a.pk}/pool/").status_code == 403
