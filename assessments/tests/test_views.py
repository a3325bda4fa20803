"""Pages of the assessments app: scoped, filtered, exported; bad input gets a Chinese 4xx."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessments.services import assess_month
from assessments.tests.helpers import rules_2026
from conftest import login
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


def approve_june(project, ytd):
    ProgressReportFactory(
        project=project, month=6, status=ReportStatus.APPROVED, invested_ytd=Decimal(ytd)
    )


@pytest.fixture
def judged(city):
    """June 2026: project A lagging, the town project warning, B and the city-unit one normal."""
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
    approve_june(city.project_a, "300")  # R 25%, T 50% → 滞后
    approve_june(city.project_town, "480")  # G −10 → 预警
    approve_june(city.project_b, "600")
    approve_june(city.project_city_unit, "600")
    assess_month(year=2026, month=6)
    return city


def xlsx_codes(resp):
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    return [row[0] for row in ws.iter_rows(min_row=3, values_only=True)]


def test_home_is_served_by_assessments_under_the_registry_name(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(reverse("portal:home"), {"year": 2026, "month": 6})
    assert resp.status_code == 200
    dash = resp.context["dash"]
    rows = {r["region"].name: r["figures"].count for r in dash.regions}
    assert rows == {"甲县": 2, "乙区": 2}  # the town project rolls up to its county
    assert dash.totals.status_counts["lagging"] == 1
    assert "今年重点建设项目4项" in resp.text


def test_home_denies_a_user_without_role(client, users, judged):
    login(client, users.nobody)
    assert client.get(reverse("portal:home")).status_code == 403


@pytest.mark.parametrize(
    "who,kind,expected",
    [
        ("reviewer", "lagging", ["project_a"]),
        ("reviewer", "warning", ["project_town"]),
        ("reporter_b", "lagging", []),  # A is outside county B
        ("reviewer_a", "warning", ["project_town"]),
    ],
)
def test_status_lists_are_scoped_and_match_their_export(client, users, judged, who, kind, expected):
    login(client, getattr(users, who))
    query = {"year": 2026, "month": 6}
    page = client.get(reverse("assessments:list", args=[kind]), query)
    export = client.get(reverse("assessments:export", args=[kind]), query)
    codes = sorted(getattr(judged, n).code for n in expected)
    assert sorted(r.project.code for r in page.context["rows"]) == codes
    assert sorted(xlsx_codes(export)) == codes


def test_lagging_row_shows_its_reason_and_links_the_project(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:list", args=["lagging"]), {"year": 2026, "month": 6})
    assert "G=-25.00个百分点（≤-20，滞后）" in resp.text
    assert reverse("registry:project_detail", args=[judged.project_a.pk]) in resp.text


def test_region_filter_narrows_the_list(client, users, judged):
    login(client, users.reviewer)
    query = {"year": 2026, "month": 6, "region": judged.county_b.pk}
    resp = client.get(reverse("assessments:list", args=["lagging"]), query)
    assert resp.context["total_count"] == 0


def test_unstarted_list_finds_a_project_past_its_planned_start(client, users, city):
    # given three started projects and B, due on 20 May, not started
    for p in (city.project_a, city.project_town, city.project_city_unit):
        p.started_on = datetime.date(2026, 3, 1)
        p.save()
    city.project_b.planned_start = datetime.date(2026, 5, 20)
    city.project_b.save()
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:list", args=["unstarted"]), {"year": 2026, "month": 6})
    assert [r.project.pk for r in resp.context["rows"]] == [city.project_b.pk]
    assert "应开未开41天（计划开工2026-05-20）" in resp.text


@pytest.mark.parametrize("query", [{"month": "13"}, {"month": "十"}, {"year": "abc"}])
def test_bad_period_is_a_chinese_400(client, users, judged, query):
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:list", args=["warning"]), query)
    assert resp.status_code == 400 and "请求参数有误" in resp.text


def test_unknown_list_is_404(client, users, judged):
    login(client, users.reviewer)
    assert client.get(reverse("assessments:list", args=["nothing"])).status_code == 404


def test_ledger_list_shows_status_and_filters_by_it(client, users, judged):
    login(client, users.reviewer)
    # (June asked for: the default is the last closed month, not the latest judged one)
    query = {"year": 2026, "month": 6, "status": "lagging"}
    resp = client.get(reverse("portal:project_list"), query)
    assert [p.pk for p in resp.context["projects"]] == [judged.project_a.pk]
    assert resp.context["figures"].status_counts["lagging"] == 1
    assert "25.0%" in resp.text  # 完成率 column


def test_status_strip_is_scoped(client, users, judged):
    login(client, users.reporter_b)
    url = reverse("assessments:project_strip", args=[judged.project_a.pk])
    assert client.get(url).status_code == 404
    login(client, users.reporter_a)
    resp = client.get(url, {"year": 2026})
    assert resp.status_code == 200
    assert 'data-month="6" data-colour="red"' in resp.text
    assert 'data-month="5" data-colour="none"' in resp.text


def test_county_reviewer_cannot_edit_rules(client, users, judged):
    login(client, users.reviewer_a)
    assert client.get(reverse("assessments:rule_list")).status_code == 200
    rules = rules_2026()
    assert client.get(reverse("assessments:rule_edit", args=[rules.pk])).status_code == 403
    login(client, users.leader_city)
    assert client.get(reverse("assessments:rule_list")).status_code == 403


def test_city_reviewer_edits_rules_and_bad_weights_are_refused(client, users, judged):
    login(client, users.reviewer)
    rules = rules_2026()
    url = reverse("assessments:rule_edit", args=[rules.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["is_active"] = "on"
    data["warn_points"] = "-15"
    resp = client.post(url, data)
    assert resp.status_code == 302
    rules.refresh_from_db()
    assert rules.warn_points == Decimal("-15")
    data["weight_investment"] = "50"
    resp = client.post(url, data)
    assert "五项得分权重之和应为100（当前为110" in resp.text


def test_export_writes_formula_like_text_as_text(client, users, judged):
    # given a lagging project whose name a user typed as a formula
    judged.project_a.name = '=HYPERLINK("http://x","点我")'
    judged.project_a.save()
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:export", args=["lagging"]), {"year": 2026, "month": 6})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cell = ws.cell(row=3, column=2)
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"


def _count_queries(client, url, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, query)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, query).status_code == 200
    return len(ctx)


PAGES = [
    ("portal:home", [], {"year": 2026}),
    ("assessments:scores", [], {"period": "2026-06"}),
    ("assessments:list", ["lagging"], {"year": 2026, "month": 6}),
    ("assessments:list", ["milestones"], {"year": 2026, "month": 6}),
    ("portal:project_list", [], {"year": 2026}),
]


@pytest.mark.parametrize("name,args,query", PAGES, ids=[f"{p[0]}{p[1]}" for p in PAGES])
def test_pages_have_the_same_query_count_for_few_and_many_projects(
    client, users, judged, name, args, query
):
    from registry.tests.factories import AnnualPlanFactory, ProjectFactory

    login(client, users.reviewer)
    url = reverse(name, args=args)
    few = _count_queries(client, url, query)
    for _ in range(30):
        p = ProjectFactory(region=judged.county_a, unit=judged.unit_a)
        AnnualPlanFactory(project=p)
        approve_june(p, "300")
    assess_month(year=2026, month=6)
    assert _count_queries(client, url, query) == few
