"""Pages: role by role, in Chinese, scoped, in a bounded number of queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from registry import services
from registry.choices import ApprovalItem, FundingSource, TeamRole
from registry.models import Approval, Funding, Land, Project, WorkTeamMember
from registry.tests.factories import AnnualPlanFactory, LeaderFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    resp = client.get(reverse("login"))
    assert resp.status_code == 200
    assert "用户名" in resp.text and "密码" in resp.text and "登录" in resp.text


def test_wrong_password_shows_chinese_error(client, users):
    resp = client.post(reverse("login"), {"username": "reporter_a", "password": "wrong"})
    assert "用户名或密码不正确" in resp.text


def test_real_login_lands_on_dashboard(client, users):
    resp = client.post(
        reverse("login"), {"username": "reviewer_a", "password": "pw-test-123"}, follow=True
    )
    assert resp.status_code == 200
    assert "重点项目总览" in resp.text


def test_a_reporter_lands_on_their_own_work(client, users):
    resp = client.post(
        reverse("login"), {"username": "reporter_a", "password": "pw-test-123"}, follow=True
    )
    assert resp.status_code == 200
    assert "我的填报工作" in resp.text and "重点项目总览" not in resp.text


@pytest.mark.parametrize("url_name", ["portal:home", "portal:project_list"])
def test_anonymous_is_sent_to_login(client, city, url_name):
    resp = client.get(reverse(url_name))
    assert resp.status_code == 302 and reverse("login") in resp.url


def test_user_without_role_is_refused(client, users):
    login(client, users.nobody)
    assert client.get(reverse("portal:project_list")).status_code == 403
    assert client.get(reverse("portal:home")).status_code == 403


def test_project_list_shows_only_scope(client, users):
    login(client, users.reporter_a)
    resp = client.get(reverse("portal:project_list"))
    assert "甲县项目" in resp.text and "甲县城关镇项目" in resp.text
    assert "乙区项目" not in resp.text


def test_reporter_typing_other_county_url_gets_404(client, users, city):
    login(client, users.reporter_a)
    resp = client.get(reverse("registry:project_detail", args=[city.project_b.pk]))
    assert resp.status_code == 404
    own = client.get(reverse("registry:project_detail", args=[city.project_a.pk]))
    assert own.status_code == 200 and "五个一" in own.text


def test_county_leader_cannot_open_other_county_project(client, users, city):
    login(client, users.leader_b)
    assert (
        client.get(reverse("registry:project_detail", args=[city.project_a.pk])).status_code == 404
    )


def test_region_filter_includes_towns(client, users, city):
    login(client, users.reviewer)
    resp = client.get(reverse("portal:project_list"), {"region": city.county_a.pk})
    assert "甲县城关镇项目" in resp.text and "乙区项目" not in resp.text


def test_reporter_cannot_filter_into_other_county(client, users, city):
    login(client, users.reporter_a)
    resp = client.get(reverse("portal:project_list"), {"region": city.county_b.pk})
    # the page answers, the region list offers only the reporter's own regions, and the
    # out-of-scope choice matches nothing instead of showing the other county's projects
    assert resp.status_code == 200
    regions = re.search(r'<select name="region".*?</select>', resp.text, re.S).group(0)
    assert f'value="{city.county_a.pk}"' in regions and f'value="{city.town_a.pk}"' in regions
    assert f'value="{city.county_b.pk}"' not in regions
    page = re.sub(r"<[^>]+>", "", resp.text)
    assert "共 0 项" in page and "没有符合条件的项目" in page
    assert "乙区项目" not in resp.text and "市交通局乙区道路" not in resp.text


def test_text_filter_and_ordering(client, users):
    login(client, users.reviewer)
    resp = client.get(
        reverse("portal:project_list"), {"q": "乙区", "ordering": "-total_investment"}
    )
    assert "乙区项目" in resp.text and "甲县项目" not in resp.text


@pytest.mark.parametrize("n", [5, 60])
def test_project_list_page_has_bounded_queries(
    client, users, city, django_assert_max_num_queries, n
):
    for _ in range(n):
        AnnualPlanFactory(project=ProjectFactory(region=city.county_a, unit=city.unit_a))
    login(client, users.reviewer)
    client.get(reverse("portal:project_list"))  # warm the session
    # 12 for the list itself + 5 for the judged month and its counts (assessments.metrics)
    # + 5 for the page rows' 1-M月 figures + 2 for the period (closed months)
    # + 3 for the idle-timeout session refresh (savepoint, update, release), the same for any
    # number of rows; + 1 for the top bar's unread-notice count.
    # 3 for the year selector (list years, closed years, the default period's year).
    with django_assert_max_num_queries(28):  # 1 停复工 badge
        resp = client.get(reverse("portal:project_list"))
    assert resp.status_code == 200
    assert len(re.findall(r'href="/projects/\d+/"', resp.text)) == min(20, n + 4)


def test_project_list_pages_by_twenty(client, users, city):
    for _ in range(30):
        ProjectFactory(region=city.county_a, unit=city.unit_a)
    login(client, users.reviewer)
    resp = client.get(reverse("portal:project_list") + "?year=")  # every year's projects
    assert len(resp.context["projects"]) == 20
    assert "共 34 条" in resp.text


def _furnish(project, n, user):
    """n of everything the project page lists: plans, team, funds, approvals, 五个一 history,
    ledger edits, reports, milestones, problems and letters."""
    from milestones.choices import ReportStatus
    from milestones.tests.factories import (
        MilestoneFactory,
        ProblemFactory,
        ProgressReportFactory,
        SupervisionLetterFactory,
    )

    for year in range(2026 - n, 2026):
        AnnualPlanFactory(project=project, year=year)
    Land.objects.create(project=project, required_area=Decimal("10.00"))
    for i in range(n):
        WorkTeamMember.objects.create(project=project, name=f"成员{i}", role=TeamRole.MEMBER)
    for source in list(FundingSource)[:n]:
        Funding.objects.create(project=project, source=source, planned=Decimal("100.00"))
    for item in list(ApprovalItem)[:n]:
        Approval.objects.create(project=project, item=item)
    services.project_assign_contract(project=project, user=user)
    for i in range(n):
        leader = LeaderFactory(region=project.region, name=f"{project.name}领导{i}")
        services.project_update(
            project=project, data={"leader": leader}, version=project.version, user=user
        )
        project.refresh_from_db()
    for month in range(1, n + 1):
        ProgressReportFactory(
            project=project, month=month, status=ReportStatus.APPROVED, reviewed_by=user
        )
        MilestoneFactory(project=project, name=f"节点{month}")
        ProblemFactory(project=project)
        SupervisionLetterFactory(project=project)


def _queries_for_page(client, url):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries), resp


def test_project_detail_queries_do_not_grow_with_the_data(client, users, city):
    # given two projects of the same kind, one with one of everything, one with seven
    small = ProjectFactory(region=city.county_a, unit=city.unit_a, name="小项目")
    big = ProjectFactory(region=city.county_a, unit=city.unit_a, name="大项目")
    _furnish(small, 1, users.reviewer)
    _furnish(big, 7, users.reviewer)
    login(client, users.reviewer)

    # when each page is opened
    n_small, _ = _queries_for_page(client, reverse("registry:project_detail", args=[small.pk]))
    n_big, page = _queries_for_page(client, reverse("registry:project_detail", args=[big.pk]))

    # then the big one lists everything in the same number of queries
    assert "大项目领导6" in page.text and "成员6" in page.text and "节点7" in page.text
    assert n_big == n_small, f"{n_small} queries for 1 of each, {n_big} for 7 of each"
    assert n_small <= 45


@pytest.mark.parametrize("who", ["reporter_a", "leader_city", "nobody"])
def test_edit_page_denied_to_non_reviewers(client, users, city, who):
    login(client, getattr(users, who))
    resp = client.get(reverse("registry:project_edit", args=[city.project_a.pk]))
    assert resp.status_code == 403


def test_county_reviewer_cannot_edit_other_county(client, users, city):
    login(client, users.reviewer_a)
    assert client.get(reverse("registry:project_edit", args=[city.project_b.pk])).status_code == 404


def _edit_data(project, **over):
    data = {
        "name": project.name,
        "level": project.level,
        "category": project.category,
        "sector": project.sector,
        "nature": project.nature,
        "stage": project.stage,
        "region": project.region_id,
        "unit": project.unit_id,
        "leader": project.leader_id,
        "total_investment": "12345.67",
        "planned_start": "2026-03-01",
        "planned_finish": "2027-12-31",
        "version": project.version,
    }
    data.update(over)
    return data


def test_reviewer_edits_project_and_history_records_it(client, users, city):
    login(client, users.reviewer)
    p = city.project_a
    resp = client.post(reverse("registry:project_edit", args=[p.pk]), _edit_data(p))
    assert resp.status_code == 302
    p.refresh_from_db()
    assert str(p.total_investment) == "12345.67"
    assert p.version == 2
    assert p.history.first().history_user == users.reviewer


def test_stale_project_edit_is_refused_and_first_kept(client, users, city):
    p = city.project_a
    url = reverse("registry:project_edit", args=[p.pk])
    login(client, users.reviewer)
    first = client.post(url, _edit_data(p, total_investment="20000.00"))
    assert first.status_code == 302
    # second editor opened the form at version 1 too
    second = client.post(url, _edit_data(p, total_investment="30000.00", version=1))
    assert second.status_code == 200
    assert "已被" in second.text and "请刷新页面" in second.text
    assert str(Project.objects.get(pk=p.pk).total_investment) == "20000.00"


def test_edit_rejects_finish_before_start_with_message(client, users, city):
    login(client, users.reviewer)
    p = city.project_a
    resp = client.post(
        reverse("registry:project_edit", args=[p.pk]),
        _edit_data(p, planned_start="2026-06-01", planned_finish="2026-05-01"),
    )
    assert "计划竣工时间不能早于计划开工时间" in resp.text


def test_edit_rejects_negative_money(client, users, city):
    login(client, users.reviewer)
    p = city.project_a
    resp = client.post(
        reverse("registry:project_edit", args=[p.pk]), _edit_data(p, total_investment="-1")
    )
    assert resp.status_code == 200
    assert '<div class="invalid-feedback d-block">确保该值大于或等于0.00。</div>' in resp.text
    assert Project.objects.get(pk=p.pk).total_investment == p.total_investment


def test_county_reviewer_cannot_move_project_to_other_county(client, users, city):
    login(client, users.reviewer_a)
    p = city.project_a
    resp = client.post(
        reverse("registry:project_edit", args=[p.pk]),
        _edit_data(p, region=city.county_b.pk),
    )
    assert resp.status_code == 200
    assert "选择一个有效的选项" in resp.text
    assert Project.objects.get(pk=p.pk).region == city.county_a


# The 预警督办 menu's entries (tested with the assessments pages), not role-specific links.
DROPDOWN_ONLY = {"预警项目", "滞后项目", "应开未开", "节点逾期", "问题逾期", "应入统未入统"}
DROPDOWN_ONLY |= {
    "得分排名·五率",
    "绩效库·负面清单",
    "年末预计·下月风险",
    "考核规则",
    "批示逾期未反馈",
}
NAV_LINKS = ["首页", "项目台账", "本月待填报", "审核队列", "调度期", "问题清单", "两函一单"]
NAV_LINKS += [
    "Excel导入",
    "后台管理",
    "驾驶舱",
    "调度报表",
    "年度名单",
    "停复工",
    "观摩评比",
    "领导批示",
    "谋划储备",
]


@pytest.mark.parametrize(
    "who,shown",
    [
        (
            "reporter_a",
            {
                "首页",
                "项目台账",
                "本月待填报",
                "问题清单",
                "两函一单",
                "Excel导入",
                "观摩评比",
                "领导批示",
                "谋划储备",
            },
        ),
        (
            "reviewer",
            {"首页", "驾驶舱", "项目台账", "审核队列", "调度期", "问题清单", "两函一单"}
            | {"Excel导入", "调度报表", "年度名单", "停复工", "观摩评比", "领导批示", "谋划储备"},
        ),
        (
            "reviewer_a",  # a county reviewer: no 年度名单 (a city action)
            {"首页", "驾驶舱", "项目台账", "审核队列", "调度期", "问题清单", "两函一单"}
            | {"Excel导入", "调度报表", "停复工", "观摩评比", "领导批示", "谋划储备"},
        ),
        (
            "leader_city",
            {"首页", "驾驶舱", "项目台账", "调度报表", "观摩评比", "领导批示", "谋划储备"},
        ),
        ("admin", set(NAV_LINKS) - {"本月待填报"}),
    ],
)
def test_navigation_by_role(client, users, who, shown):
    # each role's top bar links to its own work and to nothing else
    login(client, getattr(users, who))
    resp = client.get(reverse("portal:home"))
    nav = re.search(r"<nav.*?</nav>", resp.text, re.S).group(0)
    links = set(re.findall(r'class="nav-link" href="[^"]+">([^<]+)</a>', nav))
    # the reviewers' 审核 menu: its entries count as links of the top bar
    links |= {t.strip() for t in re.findall(r'class="dropdown-item" href="[^"]+">([^<]+)', nav)}
    links -= DROPDOWN_ONLY
    assert links == shown


def test_project_page_offers_ledger_editing_to_reviewers_only(client, users, city):
    url = reverse("registry:project_detail", args=[city.project_a.pk])
    edit = reverse("registry:project_edit", args=[city.project_a.pk])
    login(client, users.reviewer)
    assert f'href="{edit}"' in client.get(url).text
    for who in ("leader_city", "reporter_a"):
        login(client, getattr(users, who))
        page = client.get(url)
        assert page.status_code == 200 and f'href="{edit}"' not in page.text


def test_leader_sees_my_projects_on_dashboard(client, users, city):
    # given a leader linked to the contracting leader of project A
    leader = city.project_a.leader
    leader.user = users.leader_city
    leader.save()
    login(client, users.leader_city)
    resp = client.get(reverse("portal:home"))
    assert "我包保的项目（1项）" in resp.text and "甲县项目" in resp.text
    # and the page leads with them, above the city's figures
    assert resp.text.index("我包保的项目") < resp.text.index('data-kpi="count"')


def test_county_leader_without_contracted_projects_sees_an_empty_state(client, users, city):
    from registry.tests.factories import LeaderFactory

    LeaderFactory(name="无项目县长", region=city.county_b, user=users.leader_b)
    login(client, users.leader_b)
    resp = client.get(reverse("portal:home"))
    assert "我包保的项目（0项）" in resp.text
    assert "年度名单中暂无您包保的项目" in resp.text
    # an empty card is no lead: the city's figures come first
    assert resp.text.index('data-kpi="count"') < resp.text.index("我包保的项目")


def test_leader_home_lists_fifty_and_links_to_all(client, users, city):
    from registry.tests.factories import AnnualPlanFactory, ProjectFactory

    leader = city.project_a.leader
    leader.user = users.leader_city
    leader.save()
    for _ in range(55):
        p = ProjectFactory(region=city.county_a, unit=city.unit_a, leader=leader)
        AnnualPlanFactory(project=p)
    login(client, users.leader_city)
    resp = client.get(reverse("portal:home"))
    assert "我包保的项目（56项）" in resp.text
    assert f"leader={leader.pk}" in resp.text and "查看全部56项" in resp.text
    assert resp.text.count('<tr><td class="text-nowrap" data-label="项目编号">2026-') == 50


def test_denied_and_missing_pages_are_chinese(client, users, city):
    login(client, users.reporter_a)
    denied = client.get(reverse("registry:project_edit", args=[city.project_a.pk]))
    assert denied.status_code == 403 and "无权访问" in denied.text
    missing = client.get(reverse("registry:project_detail", args=[city.project_b.pk]))
    assert missing.status_code == 404 and "不在您的管辖范围内" in missing.text
