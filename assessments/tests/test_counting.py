"""Counting inside one document (SPEC §3.8): every breakdown counts a package once, under its
own level and nature with its sub-projects' money, and adds up to its total.

A hand-built list for June 2026, one county (混县) with a town (混镇), money in 万元:

| project | package of | own level | own nature | region | plan | June YTD | started    |
|---------|------------|-----------|------------|--------|------|----------|------------|
| P1      | C1, C2     | 市重点     | 续建        | 混县    |      |          |            |
| C1      | (P1)       | 省重点     | 新开工      | 混镇    | 1000 | 400      | 2026-03-10 |
| C2      | (P1)       | 县区重点   | 续建        | 混县    | 2000 | 900      | 2025       |
| P2      | D1, D2     | 县区重点   | 新开工      | 混县    |      |          |            |
| D1      | (P2)       | 市重点     | 续建        | 混镇    | 500  | 100      | 2025       |
| D2      | (P2)       | 县区重点   | 新开工      | 混县    | 800  | —        | planned 5-01, not started |
| S1      | —          | 省重点     | 新开工      | 混镇    | 700  | 300      | 2026-02-01 (planned 3-01) |
| S2      | —          | 县区重点   | 前期        | 混县    | 300  | —        |            |

4项 (6 after splitting). By level, each package under its own: 省 S1; 市 P1; 县区 P2, S2 →
1 + 1 + 2 = 4项, 1 + 2 + 3 = 6 leaves. By nature: 续建 P1; 新开工 P2, S1; 前期 S2 → 1 + 2 + 1.
Before, a package was counted once per child's level: 省 (C1, S1) 2 + 市 (P1, P2) 2 + 县区
(P1, P2, S2) 3 = 7 for a total of 4.
"""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.urls import reverse

from assessments import metrics, summary
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory
from registry.choices import Nature, ProjectLevel, RegionLevel, Role
from registry.selectors import year_list
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    make_user,
)

D = Decimal
pytestmark = pytest.mark.django_db
PROV, CITY, COUNTY = ProjectLevel.PROVINCE, ProjectLevel.CITY, ProjectLevel.COUNTY
NEW, CONT, PREP = Nature.NEW, Nature.CONTINUING, Nature.PREPARATORY


def _leaf(name, region, level, nature, plan, ytd=None, package=None, **extra):
    plan_kwargs = {k: extra.pop(k) for k in ("plan_start",) if k in extra}
    p = ProjectFactory(
        name=name, level=level, nature=nature, region=region, package=package,
        total_investment=D(plan) * 3, **extra,
    )  # fmt: skip
    AnnualPlanFactory(project=p, year=2026, planned_investment=D(plan), **plan_kwargs)
    if ytd is not None:
        ProgressReportFactory(
            project=p, month=6, status=ReportStatus.APPROVED, invested_month=D(ytd),
            invested_ytd=D(ytd),
        )  # fmt: skip
    return p


@pytest.fixture
def mixed():
    county = RegionFactory(name="混县", code="370101", level=RegionLevel.COUNTY)
    town = RegionFactory(name="混镇", code="370101001", level=RegionLevel.TOWN, parent=county)
    before = datetime.date(2025, 6, 1)
    p1 = ProjectFactory(name="P1", is_package=True, level=CITY, nature=CONT, region=county)
    p2 = ProjectFactory(name="P2", is_package=True, level=COUNTY, nature=NEW, region=county)
    # fmt: off
    _leaf("C1", town, PROV, NEW, "1000", "400", p1, plan_start=True,
          planned_start=datetime.date(2026, 3, 1), started_on=datetime.date(2026, 3, 10))
    _leaf("C2", county, COUNTY, CONT, "2000", "900", p1, started_on=before)
    _leaf("D1", town, CITY, CONT, "500", "100", p2, started_on=before)
    _leaf("D2", county, COUNTY, NEW, "800", None, p2, plan_start=True,
          planned_start=datetime.date(2026, 5, 1))
    _leaf("S1", town, PROV, NEW, "700", "300", plan_start=True,
          planned_start=datetime.date(2026, 3, 1), started_on=datetime.date(2026, 2, 1))
    _leaf("S2", county, COUNTY, PREP, "300")
    # fmt: on
    return county


def _adds_up(rows, total):
    """Each breakdown row's 项, 拆分后, plan and YTD sum to the total's."""
    for attr in ("count", "split_count", "annual_plan", "ytd", "total_investment"):
        assert sum(getattr(r["figures"], attr) for r in rows) == getattr(total, attr), attr


def test_breakdowns_count_a_package_once_under_its_own_level_and_nature(mixed):
    # when June's breakdowns are computed
    dash = metrics.dashboard(year_list(2026), 2026, 6)
    # then the totals are 4项 (6 leaves)
    assert (dash.totals.count, dash.totals.split_count) == (4, 6)
    # and each package sits under its own level and nature, with its leaves' money
    levels = {r["value"]: (r["figures"].count, r["figures"].split_count) for r in dash.levels}
    assert levels == {PROV: (1, 1), CITY: (1, 2), COUNTY: (2, 3)}
    natures = {r["value"]: (r["figures"].count, r["figures"].ytd) for r in dash.natures}
    assert natures[CONT] == (1, D("1300"))  # P1: C1 400 + C2 900
    assert natures[NEW] == (2, D("400"))  # P2: D1 100 (D2 none) + S1 300
    assert natures[PREP] == (1, D("0"))
    # and every breakdown adds up to its total
    for rows in (dash.levels, dash.natures, dash.regions):
        _adds_up(rows, dash.totals)
    leaves = metrics.load_leaves(year_list(2026), 2026, 6)
    _adds_up(metrics.by_town(leaves, 2026, 6), dash.totals)
    _adds_up(metrics.by_tier(leaves, 2026, 6), dash.totals)


def test_start_and_resumption_counts_are_in_projects(mixed):
    f = metrics.dashboard(year_list(2026), 2026, 6).totals
    # 新开工 P2 (D2 not started, D1 a continuing child started last year: P2 started) and S1
    assert (f.new_projects, f.new_started, f.continuing) == (2, 2, 1)
    # planned starts: P1 (C1, started 3-10 after 3-01), P2 (D2 due 5-01, not started), S1
    # (started 2-01 before 3-01): 3 planned, 2 started, 1 early, 1 missed
    assert (f.planned_starts, f.started, f.started_early, f.missed) == (3, 2, 1, 1)


def _numbers(pattern, text):
    return [int(n) for n in re.findall(pattern, text)]


def _assert_paragraph_adds_up(text: str):
    """The counts the sentences give add up to the paragraph's total (parsed from the text)."""
    (total,) = _numbers(r"今年重点建设项目(\d+)项", text)
    nature_text = re.search(r"。其中((?:续建|新开工|前期|储备).*?)。", text).group(1)
    assert sum(_numbers(r"(?:续建|新开工|前期|储备)项目(\d+)项", nature_text)) == total
    tiers = re.search(r"列入省、市重点项目(\d+)项.*；县区重点项目(\d+)项", text)
    assert int(tiers[1]) + int(tiers[2]) == total
    by = dict(re.findall(r"(续建|新开工)项目(\d+)项", nature_text))
    resumption = _numbers(r"新开工和续建项目(\d+)项", text)
    assert resumption == [int(by.get("续建", 0)) + int(by.get("新开工", 0))]
    unstarted = re.search(r"(\d+)项未开工项目中，(.*?)。", text)
    if unstarted:
        assert sum(_numbers(r"(\d+)项", unstarted[2])) == int(unstarted[1])


def test_the_paragraph_s_breakdowns_add_up(mixed):
    text = summary.bulletin_text(year_list(2026), 2026, 6).text
    assert "今年重点建设项目4项（打包项目拆分后共6项）" in text
    assert "新开工和续建项目3项，开复工2项" in text  # P1 (no 复工 reported), P2 and S1 started
    _assert_paragraph_adds_up(text)


@pytest.fixture
def admin():
    return make_user("counting_admin", Role.ADMIN)


def test_the_api_s_breakdowns_add_up(client, mixed, admin):
    client.force_login(admin)
    data = client.get(reverse("api:dashboard"), {"year": 2026, "month": 6}).json()
    totals = data["totals"]
    for key in ("natures", "levels", "regions"):
        rows = [r["figures"] for r in data[key]]
        assert sum(r["count"] for r in rows) == totals["count"] == 4, key
        assert sum(r["split_count"] for r in rows) == totals["split_count"] == 6, key
        assert sum(D(r["ytd"]) for r in rows) == D(totals["ytd"]), key


def test_the_bulletin_s_milestone_heading_counts_projects(client, mixed, admin):
    from milestones.tests.factories import MilestoneFactory
    from registry.models import Project

    # given S1 with two overdue milestones and C2 with one
    s1, c2 = Project.objects.get(name="S1"), Project.objects.get(name="C2")
    for p, day in ((s1, 3), (s1, 9), (c2, 12)):
        MilestoneFactory(project=p, planned_on=datetime.date(2026, 6, day), actual_on=None)
    # when June's bulletin is printed
    client.force_login(admin)
    resp = client.get(reverse("bulletin:page"), {"kind": "monthly", "period": "2026-06"})
    # then the heading counts the 2 projects, and says how many milestones
    assert "节点逾期项目（2项，3个节点）" in resp.text


@pytest.mark.parametrize(
    "last_year_count,comparable",
    [(3, True), (4, False)],  # this year 4项: 3 is more than a fifth apart (1×5 > 3), 4 not
)
def test_year_on_year_adds_the_comparable_figure_only_when_the_lists_differ(
    mixed, last_year_count, comparable
):
    from registry.models import Project

    # given last year's list: C2 and D1 (carried over, 2025 June YTD 600 and 200 = 800) and
    # `last_year_count − 2` projects that finished in 2025 (June YTD 1000 each)
    region = Project.objects.get(name="S2").region
    for name, ytd in (("C2", "600"), ("D1", "200")):
        p = Project.objects.get(name=name)
        AnnualPlanFactory(project=p, year=2025, planned_investment=D("3000"))
        ProgressReportFactory(
            project=p, year=2025, month=6, status=ReportStatus.APPROVED,
            invested_month=D(ytd), invested_ytd=D(ytd),
        )  # fmt: skip
    for k in range(last_year_count - 2):
        p = ProjectFactory(name=f"旧{k}", region=region, year=2025)
        AnnualPlanFactory(project=p, year=2025, planned_investment=D("3000"))
        ProgressReportFactory(
            project=p, year=2025, month=6, status=ReportStatus.APPROVED,
            invested_month=D("1000"), invested_ytd=D("1000"),
        )  # fmt: skip
    # when June's text is written (this year's YTD 1700: C1 400, C2 900, D1 100, S1 300)
    text = summary.bulletin_text(
        year_list(2026), 2026, 6, last_year_projects=year_list(2025)
    ).sentences["year_on_year"]
    # then (2025 YTD: 800 + 1000 × (n − 2))
    if comparable:
        # 3 against 4项: 1700 − 1800 = −100 (−5.56%); on both lists (P2 via D1, P1 via C2 —
        # packages on both) C2 900 + D1 100 = 1000 against 800: +200, +25.00%
        assert text == (
            "1-6月累计完成投资较去年同期减少0.01亿元，同比下降5.56%"
            "（去年同期重点项目3项，今年4项，规模不同）；"
            "按两年均在库的2项同口径计算，较去年同期增长0.02亿元，同比增长25.00%。"
        )
    else:
        # 4 against 4项: 1700 − 2800 = −1100 (−39.29%), no 同口径
        assert text == "1-6月累计完成投资较去年同期减少0.11亿元，同比下降39.29%。"


@pytest.fixture
def demo_on_8_december():
    import time_machine
    from django.core.management import call_command

    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    with time_machine.travel(datetime.datetime(2026, 12, 8, 10, tzinfo=shanghai), tick=False):
        call_command("seed_demo", stdout=StringIO())
        yield


@pytest.mark.parametrize("username", ["drc", "drc_lj"])
def test_the_demo_s_breakdowns_add_up(client, demo_on_8_december, username):
    from django.contrib.auth import get_user_model

    # given the demo (its packages' sub-projects have levels and natures of their own)
    client.force_login(get_user_model().objects.get(username=username))
    # when the dashboard API and the November bulletin are read
    data = client.get(reverse("api:dashboard"), {"year": 2026, "month": 11}).json()
    page = client.get(reverse("bulletin:page"), {"kind": "monthly", "period": "2026-11"}).text
    # then every breakdown adds up to its total, in the API and in the paragraph
    totals = data["totals"]
    for key in ("natures", "levels", "regions"):
        rows = [r["figures"] for r in data[key]]
        for attr in ("count", "split_count"):
            assert sum(r[attr] for r in rows) == totals[attr], (key, attr)
        for attr in ("ytd", "annual_plan", "total_investment"):
            assert sum(D(r[attr]) for r in rows) == D(totals[attr]), (key, attr)
    text = re.sub(
        r"<[^>]+>", "", re.search(r'id="summary-paragraph">(.*?)</section>', page, re.S)[1]
    )
    _assert_paragraph_adds_up("".join(text.split()))
