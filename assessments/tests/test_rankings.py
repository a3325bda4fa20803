"""Rankings (SPEC §3.8): 1–M月累计 is a score period; a ranking shown anywhere names its period
and equals the scores page for it; 红榜/黑榜 need three ranked and never name one unit twice;
within one county the ranking is of its towns, not the county against itself."""

import datetime
import html
import re
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.scoring import COMPONENTS, ScoreRow, Tally, boards, scores
from conftest import login
from core.periods import Period, parse_period
from registry.selectors import year_list

D = Decimal
pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def _rows(*scores_):
    return [ScoreRow(i, f"第{i}名", Tally(), score=D(s)) for i, s in enumerate(scores_, 1)]


@pytest.mark.parametrize(
    "ranked,expected",
    [
        (["90"], [""]),  # one alone is not first and last at once
        (["90", "80"], ["", ""]),  # two: no boards (SPEC §3.8 needs three)
        (["90", "80", "70"], ["红榜", "", "黑榜"]),
        (["80", "80", "80"], ["", "", ""]),  # nothing tells the first from the last
    ],
)
def test_boards_need_three_ranked_and_name_no_unit_twice(ranked, expected):
    rows = _rows(*ranked)
    boards(rows)
    assert [r.board for r in rows] == expected


def test_a_ytd_period_parses_and_scores_january_to_m():
    period = parse_period("2026-01..11", allow=("ytd",))
    assert period == Period("ytd", 2026, 11)
    assert (period.months, period.label) == (list(range(1, 12)), "2026年1-11月累计")


def test_scores_page_offers_every_score_period(client, users, city):
    login(client, users.reviewer)
    resp = client.get(reverse("assessments:scores"), {"period": "2026-01..10"})
    assert resp.status_code == 200
    assert "2026年1-10月累计县区得分排名" in resp.text
    # the period picker offers the four kinds, 1–M月累计 chosen
    options = set(re.findall(r'<option value="([^"]+)"', resp.text))
    assert {"month", "ytd", "quarter", "year"} <= options
    assert 'data-period="2026-01..10"' in resp.text
    # two ranked counties: named, but no 红榜/黑榜
    assert "参与排名的不足3个，不设红榜、黑榜" in resp.text


def test_a_county_user_ranks_the_county_s_towns(client, users, city):
    # when county A's reviewer opens the scores page (A has 城关镇 and its own projects)
    login(client, users.reviewer_a)
    resp = client.get(reverse("assessments:scores"), {"period": "2026-01..06"})
    # then the towns rank, with the county's own projects as 本级, and not 甲县 alone
    names = sorted(r.name for r in resp.context["rows"])
    assert names == ["甲县城关镇", "甲县本级"]
    assert "2026年1-6月累计乡镇（街道）得分排名" in resp.text
    # and the dashboard's ranking is the same
    charts = client.get(reverse("api:dashboard_charts"), {"year": 2026, "month": 6}).json()
    assert sorted(r["name"] for r in charts["ranking"]) == names
    # while the city reviewer still ranks the counties
    rows = scores(year_list(2026), Period("ytd", 2026, 6))
    assert sorted(r.name for r in rows) == ["乙区", "甲县"]


def _scores_table(page: str) -> list[tuple[str, str, str]]:
    """(rank, name, score) of each row of the scores page's table, as printed."""
    body = re.search(r'id="scores-table".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]  # fmt: skip
        out.append((cells[0], cells[1], cells[3 + len(COMPONENTS)]))
    return out


@pytest.fixture
def demo_on_8_december():
    with time_machine.travel(datetime.datetime(2026, 12, 8, 10, tzinfo=SHANGHAI), tick=False):
        call_command("seed_demo", stdout=StringIO())
        yield


@pytest.mark.parametrize("username", ["drc", "drc_lj"])
def test_the_dashboard_ranking_equals_the_scores_page(client, demo_on_8_december, username):
    client.force_login(get_user_model().objects.get(username=username))
    # given the dashboard: its ranking names its period and links to the scores page
    page = client.get(reverse("assessments:dashboard")).text
    link = html.unescape(re.search(r'id="ranking-link" href="([^"]+)"', page).group(1))
    period = re.search(r"period=([^&]+)", link).group(1)
    title = re.search(r'id="ranking-title">([^<]+)<', page).group(1)
    label = parse_period(period, allow=("ytd",)).label
    assert title.endswith(f"综合得分排名（{label}）")
    # when the dashboard's table (drawn from the charts API) and that page are read
    month = int(period.split("..")[1])
    charts = client.get(reverse("api:dashboard_charts"), {"year": 2026, "month": month}).json()
    shown = [(str(r["rank"]), r["name"], str(r["score"])) for r in charts["ranking"]]
    scores_page = client.get(link).text
    # then they are the same rows, in the same order, with the same scores
    assert shown and shown == _scores_table(scores_page)
    assert f"{label}{title.split('综合')[0]}得分排名" in scores_page
    if username == "drc_lj":  # a county's ranking is of its towns
        assert "临江县" not in [name for _r, name, _s in shown]
    # and 红榜/黑榜 never name one unit twice
    marked = [r["name"] for r in charts["ranking"] if r["board"]]
    assert len(marked) == len(set(marked))
