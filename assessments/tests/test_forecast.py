"""The explainable year-end forecast on a hand-computed city, June 2026.

2025 (the earlier year) has two leaves; the city's curve is their summed approved YTD:

| month        | 1  | 2  | 3   | 4   | 5   | 6   | 7    | … | 12   |
|--------------|----|----|-----|-----|-----|-----|------|---|------|
| X (all year) | 20 | 50 | 100 | 200 | 300 | 400 | 500  |   | 1000 |
| Y (to June)  | 0  | 0  | 50  | 100 | 300 | 500 | (500 carried)  | 500  |
| S(m) %       |    |    | 10  | 20  | 40  | 60  | 66.67|   | 100  |

2026 leaves (万元):
- A (甲县, plan 1500): 50/100/200/300/420/600. n=3: run-rate (600−200)÷3 = 133.33;
  RR = 600 + 133.33×6 = 1399.98; SP = 600 ÷ 60% = 1000.00; expected (1399.98+1000)÷2 =
  1199.99; 完成率 79.9993 → 80.00%.
- B (甲县, sub-project of package P, plan 1000): 10/20/30/40/50, June not approved: June
  carries 50; run-rate (50−30)÷3 = 6.67; RR = 90.02; SP = 83.33; expected 86.675 → 86.68.
- C (乙区, plan 500, finished 2026-05-20): 100…500, June 500: stays 500, 100.00%.
甲县 1286.67 of 2500 = 51.47%; total 1786.67 of 3000 = 59.56%.
Without 2025: A = RR = 1399.98 (93.33%), B = 90.02, C = 500; total 1990.00.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments import forecast
from assessments.choices import Status
from assessments.services import assess_month
from assessments.tests.helpers import leaf
from milestones.choices import MilestoneKind, ReportStatus
from milestones.tests.factories import MilestoneFactory, ProblemFactory, ProgressReportFactory
from registry.choices import RegionLevel, Role
from registry.selectors import year_list
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    make_user,
)

D = Decimal
pytestmark = pytest.mark.django_db
BOTH = "按近3个月平均及去年同期进度测算"
RUN_RATE_ONLY = "按近3个月平均测算（无往年同期进度可参照）"


@pytest.fixture
def regions():
    city = RegionFactory(name="预测市", code="390100", level=RegionLevel.CITY)
    a = RegionFactory(name="甲县", code="390101", level=RegionLevel.COUNTY, parent=city)
    b = RegionFactory(name="乙区", code="390102", level=RegionLevel.COUNTY, parent=city)
    return city, a, b


def _year_2025(region):
    for name, ytds in [
        ("去年全年项目", [20, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]),
        ("去年六月竣工项目", [0, 0, 50, 100, 300, 500]),
    ]:
        p = ProjectFactory(name=name, region=region, year=2025)
        AnnualPlanFactory(project=p, year=2025, planned_investment=D("1000"))
        for month, ytd in enumerate(ytds, start=1):
            ProgressReportFactory(
                project=p, year=2025, month=month, status=ReportStatus.APPROVED,
                invested_month=D(0), invested_ytd=D(ytd),
            )  # fmt: skip


def _year_2026(a, b):
    p = {}
    p["A"] = leaf(
        name="甲县甲项目", region=a, plan="1500",
        reports=[(1, "50"), (2, "100"), (3, "200"), (4, "300"), (5, "420"), (6, "600")],
    )  # fmt: skip
    p["P"] = ProjectFactory(name="甲县打包项目", region=a, is_package=True)
    p["B"] = leaf(
        name="甲县乙子项目", region=a, plan="1000", package=p["P"],
        reports=[(1, "10"), (2, "20"), (3, "30"), (4, "40"), (5, "50")],
    )  # fmt: skip
    p["C"] = leaf(
        name="乙区丙项目", region=b, plan="500", completed_on=datetime.date(2026, 5, 20),
        reports=[(1, "100"), (2, "200"), (3, "300"), (4, "400"), (5, "500"), (6, "500")],
    )  # fmt: skip
    return p


@pytest.fixture
def hand(regions):
    city, a, b = regions
    _year_2025(a)
    return _year_2026(a, b)


def _scoped():
    return year_list(2026)


def test_city_curve_is_last_years_cumulative_share(hand):
    # when the curve of the year before 2026 is read
    curve = forecast.city_curve(2026)

    # then it is 2025's, a finished project's last figure carried forward
    assert curve.year == 2025
    assert curve.shares[3] == D("10.00") and curve.shares[6] == D("60.00")
    assert curve.shares[7] == D("66.67") and curve.shares[12] == D("100.00")


def test_leaf_forecasts_equal_the_hand_computed_figures(hand):
    # when June 2026 is forecast
    out = forecast.outlook(_scoped(), 2026, 6)

    # then every leaf has the hand-computed amount, rate and basis; the package is not a row
    rows = {r.name: r.forecast for r in out.projects}
    assert set(rows) == {"甲县甲项目", "甲县乙子项目", "乙区丙项目"}
    a, b, c = rows["甲县甲项目"], rows["甲县乙子项目"], rows["乙区丙项目"]
    assert (a.run_rate, a.by_run_rate, a.by_season) == (D("133.33"), D("1399.98"), D("1000.00"))
    assert (a.expected, a.rate, a.basis) == (D("1199.99"), D("80.00"), BOTH)
    assert a.formula == (
        "按月均：600.00+133.33×6=1399.98；按同期进度：600.00÷60.00%×100.00%=1000.00；"
        "预计=(1399.98+1000.00)÷2=1199.99"
    )
    assert (b.ytd, b.run_rate, b.by_run_rate, b.by_season) == (
        D("50.00"), D("6.67"), D("90.02"), D("83.33"),
    )  # fmt: skip
    assert (b.expected, b.rate) == (D("86.68"), D("8.67"))
    assert b.basis == BOTH + "；该项目无6月已审核月报，按此前最近一次已审核累计计（无则为0）"
    assert (c.expected, c.rate, c.basis) == (
        D("500.00"),
        D("100.00"),
        "项目已竣工，按实际完成投资计",
    )


def test_regions_sum_their_leaves_with_the_package_rule(hand):
    out = forecast.outlook(_scoped(), 2026, 6)

    regions = {r.region.name: r for r in out.regions}
    jia, yi = regions["甲县"], regions["乙区"]
    assert (jia.forecast.count, jia.forecast.plan) == (2, D("2500.00"))
    assert (jia.forecast.expected, jia.forecast.rate) == (D("1286.67"), D("51.47"))
    assert jia.figures.count == 2  # 甲项目 + the package (counted once), as on the dashboard
    assert (
        jia.forecast.basis
        == BOTH + "；其中1项无6月已审核月报，按此前最近一次已审核累计计（无则为0）"
    )
    assert yi.forecast.basis == BOTH + "，其中1项已竣工按实际完成计"
    assert (out.total.forecast.expected, out.total.forecast.rate) == (D("1786.67"), D("59.56"))
    # the current 完成率 beside it is the dashboard's, which also counts B's latest approved
    # cumulative figure when its June is not approved
    assert jia.figures.completion_rate == D("26.00")


def test_without_an_earlier_year_the_forecast_is_the_run_rate(regions):
    # given only 2026's reports
    city, a, b = regions
    _year_2026(a, b)

    out = forecast.outlook(_scoped(), 2026, 6)

    rows = {r.name: r.forecast for r in out.projects}
    a = rows["甲县甲项目"]
    assert (a.expected, a.rate, a.by_season, a.basis) == (
        D("1399.98"), D("93.33"), None, RUN_RATE_ONLY,
    )  # fmt: skip
    assert a.formula == "按月均：600.00+133.33×6=1399.98，预计=1399.98"
    assert rows["甲县乙子项目"].expected == D("90.02")
    assert out.curve.year is None and out.total.forecast.expected == D("1990.00")


def test_early_months_average_the_months_there_are(regions):
    # given February: the run-rate averages two months
    city, a, b = regions
    _year_2026(a, b)

    f = {r.name: r.forecast for r in forecast.outlook(_scoped(), 2026, 2).projects}["甲县甲项目"]

    assert (f.window, f.run_rate, f.expected) == (2, D("50.00"), D("600.00"))
    assert f.basis == "按近2个月平均测算（无往年同期进度可参照）"


# ----------------------------------------------------------------------------- at risk


@pytest.fixture
def risky(regions):
    """June 2026 without an earlier year, T = month/12 (no schedules):
    - D 滑坡 (甲县, 1200): 100…500, June 500: G 0 in May, −8.33 in June (正常); July
      run-rate (500−300)÷3 = 66.67 → 566.67, R 47.22%, T 58.33% → G −11.11: 预警.
    - E 节点 (甲县, 1200): 100…600 on schedule (G 0), 竣工 milestone due 2026-07-10 open.
    - F 督办 (乙区, 1200): on schedule, 督办 problem due 2026-07-15 unresolved.
    - G 稳定 (乙区, 1200): on schedule, nothing open: stays 正常, not listed.
    - H 滞后 (甲县, 1200): 20…120 (G −40): already 滞后, not listed."""
    city, a, b = regions
    six = [(m, str(100 * m)) for m in range(1, 7)]
    p = {
        "D": leaf(name="滑坡项目", region=a, reports=[*six[:5], (6, "500")]),
        "E": leaf(name="节点项目", region=a, reports=six),
        "F": leaf(name="督办项目", region=b, reports=six),
        "G": leaf(name="稳定项目", region=b, reports=six),
        "H": leaf(name="滞后项目", region=a, reports=[(m, str(20 * m)) for m in range(1, 7)]),
    }
    MilestoneFactory(
        project=p["E"], kind=MilestoneKind.COMPLETION, name="竣工",
        planned_on=datetime.date(2026, 7, 10),
    )  # fmt: skip
    ProblemFactory(
        project=p["F"], description="征迁协调", is_supervised=True,
        deadline=datetime.date(2026, 7, 15),
    )  # fmt: skip
    for month in (5, 6):
        assess_month(year=2026, month=month)
    return p


def test_at_risk_lists_projects_whose_next_month_is_worse_with_reasons(risky):
    rows = {r.project.name: r for r in forecast.at_risk(_scoped(), 2026, 6)}

    assert set(rows) == {"滑坡项目", "节点项目", "督办项目"}
    d = rows["滑坡项目"]
    assert (d.status, d.projected) == (Status.NORMAL, Status.WARNING)
    assert d.reasons[0] == "进度差距扩大：G由0.00变为-8.33个百分点"
    assert d.reasons[1] == (
        "按近3个月平均测算（无往年同期进度可参照），7月末累计约566.67万元（完成率47.22%）"
    )
    assert (
        "7月预计：投资完成率R=47.22%，时间进度T=58.33%，G=-11.11个百分点（≤-10，预警）" in d.reasons
    )
    assert "7月预计：节点“竣工”逾期21天（计划2026-07-10）" in rows["节点项目"].reasons
    assert "7月预计：督办问题“征迁协调”逾期16天（时限2026-07-15）" in rows["督办项目"].reasons
    assert rows["督办项目"].projected_label == "预警"


def test_at_risk_in_december_is_empty(risky):
    assert forecast.at_risk(_scoped(), 2026, 12) == []


# ----------------------------------------------------------------------------- API


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_is_scoped_and_carries_the_basis(hand, regions):
    # given a 乙区 reporter and the city reviewer
    city, a, b = regions
    reporter_b = make_user("fc_reporter_b", Role.REPORTER, region=b)
    reviewer = make_user("fc_reviewer", Role.REVIEWER, region=city)

    # when both ask for June's forecast
    mine = _api(reporter_b).get("/api/forecast/", {"year": 2026, "month": 6}).json()
    every = _api(reviewer).get("/api/forecast/", {"year": 2026, "month": 6}).json()
    projects = _api(reporter_b).get("/api/forecast/projects/", {"year": 2026, "month": 6}).json()

    # then the reporter sees 乙区 only, every figure with its basis
    assert [r["name"] for r in mine["regions"]] == ["乙区"]
    assert mine["total"]["forecast"]["expected"] == "500.00"
    assert [r["name"] for r in projects["results"]] == ["乙区丙项目"]
    assert projects["results"][0]["forecast"]["basis"] == "项目已竣工，按实际完成投资计"
    assert [r["name"] for r in every["regions"]] == ["甲县", "乙区"]
    assert every["total"]["forecast"]["rate"] == "59.56"
    assert every["regions"][0]["forecast"]["basis"].startswith(BOTH)
    assert every["curve_year"] == 2025 and every["curve"][6] == "60.00"


def test_api_at_risk_is_scoped(risky, regions):
    city, a, b = regions
    reporter_b = make_user("fc_reporter_b", Role.REPORTER, region=b)

    rows = _api(reporter_b).get("/api/forecast/at-risk/", {"year": 2026, "month": 6}).json()

    assert [r["name"] for r in rows] == ["督办项目"]
    assert rows[0]["projected_label"] == "预警" and rows[0]["reasons"]


@pytest.mark.parametrize(
    "url", ["/api/forecast/", "/api/forecast/projects/", "/api/forecast/at-risk/"]
)
@pytest.mark.parametrize(
    "params, message",
    [({"month": "13"}, "月份应在1到12之间"), ({"year": "明年"}, "年度格式不正确")],
)
def test_api_bad_period_is_a_chinese_400(regions, url, params, message):
    user = make_user("fc_reviewer", Role.REVIEWER, region=regions[0])

    response = _api(user).get(url, params)

    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "url", ["/api/forecast/", "/api/forecast/projects/", "/api/forecast/at-risk/"]
)
def test_api_queries_do_not_grow_with_projects(regions, url):
    city, a, b = regions
    _year_2025(a)
    user = make_user("fc_reviewer", Role.REVIEWER, region=city)
    client = _api(user)

    def add(n):
        for k in range(n):
            p = leaf(region=a if k % 2 else b, reports=[(1, "100"), (2, "150"), (3, "200")])
            MilestoneFactory(
                project=p, kind=MilestoneKind.OTHER, planned_on=datetime.date(2026, 4, 5)
            )
        assess_month(year=2026, month=3)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"year": 2026, "month": 3, "page_size": 500})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    add(5)
    count()  # roles are read once, then cached
    small, body = count()
    add(95)
    large, body = count()
    assert large == small
    if url.endswith("at-risk/"):
        assert len(body) == 100  # every one has a milestone falling overdue in April
    elif url.endswith("projects/"):
        assert body["count"] == 100


# ----------------------------------------------------------------------------- page


def test_page_shows_every_figure_with_its_basis_and_exports(client, hand, regions):
    import io

    from openpyxl import load_workbook

    city, a, b = regions
    client.force_login(make_user("fc_leader", Role.LEADER, region=city))

    page = client.get("/assessments/forecast/", {"year": 2026, "month": 6})
    export = client.get("/assessments/forecast/export/", {"year": 2026, "month": 6})

    text = page.content.decode()
    assert page.status_code == 200
    assert "1,286.67" in text and "51.47%" in text and BOTH in text
    wb = load_workbook(io.BytesIO(export.content))
    regions_sheet = list(wb.worksheets[0].values)
    total = regions_sheet[-1]
    assert total[0] == "合计" and total[8] == 1786.67 and total[9] == 59.56
    assert total[10].startswith(BOTH)
    assert client.get("/assessments/forecast/", {"month": "0"}).status_code == 400


def test_forecast_page_shows_the_at_risk_count_and_pages_of_them(risky, regions, client):
    # given three projects at risk and a page of two (a city has a thousand of them)
    import unittest.mock

    from django.core.paginator import Paginator

    client.force_login(make_user("fc_reviewer", Role.REVIEWER, region=regions[0]))
    original = Paginator.__init__

    def two_per_page(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, 2 if per_page == 50 else per_page, *args, **kwargs)

    with unittest.mock.patch.object(Paginator, "__init__", two_per_page):
        first = client.get("/assessments/forecast/", {"year": 2026, "month": 6})
        second = client.get("/assessments/forecast/", {"year": 2026, "month": 6, "page": 2})

    # then the header counts all three; the first page lists two, the second the third
    text = first.content.decode()
    assert "7月可能滞后的项目（3项）" in text and "共 3 条，第 1/2 页" in text
    names = ("滑坡项目", "节点项目", "督办项目")
    assert sum(n in text for n in names) == 2
    assert sum(n in second.content.decode() for n in names) == 1
