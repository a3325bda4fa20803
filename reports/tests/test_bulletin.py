"""The printable 通报 page: scoped, from the one source of numbers, bad input → 400."""

import datetime
import html as html_lib
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import metrics
from assessments.scoring import scores
from assessments.services import assess_month
from conftest import login
from core.periods import Period, parse_period
from milestones.models import ProgressReport
from registry.selectors import year_list
from reports.bulletin import last_closed

pytestmark = pytest.mark.django_db
URL = "/reports/bulletin/"


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_url_is_the_named_route():
    assert reverse("bulletin:page") == URL


def test_city_reviewer_gets_the_whole_city_bulletin(client, users, judged):
    # when the city DRC opens June's monthly bulletin
    login(client, users.reviewer)
    resp = client.get(URL, {"kind": "monthly", "period": "2026-06"})
    # then it is the city's document, opening with the home page's paragraph
    assert resp.status_code == 200
    html = resp.text
    assert '<h1 class="bulletin-title">示例市重点建设项目进展情况通报</h1>' in html
    # and, not published yet, it is a live 草稿 without an issue number
    assert "草稿（发布时编号）" in html and 'id="draft-badge"' in html
    paragraph = metrics.dashboard(year_list(2026), 2026, 6).paragraph
    assert paragraph.startswith("今年重点建设项目4项，项目总投资4.0亿元")
    assert f'<p class="bulletin-para" id="summary-paragraph">{paragraph}</p>' in html
    # and the lists name the lagging and the warning projects with their reasons
    doc = resp.context["doc"]
    lists = {x["key"]: [r["name"] for r in x["rows"]] for x in doc.lists}
    assert lists["lagging"] == ["甲县项目"] and lists["warning"] == ["甲县城关镇项目"]
    assert "滞后项目（1项）" in _text(html) and "G=-25.00个百分点" in html
    # and the chart data are in a json_script block, never in inline script
    data = json.loads(re.search(r'id="bulletin-chart-data"[^>]*>(.*?)</script>', html).group(1))
    assert data["regions"]["names"] == ["甲县", "乙区"]
    assert data["regions"]["rate"] == ["32.50", "50.00"]  # 甲县 780/2400, 乙区 1200/2400
    assert [s["count"] for s in data["statuses"]] == [1, 1, 2, 0, 0]
    assert data["trend"]["months"] == [f"{m}月" for m in range(1, 7)]
    assert "<script>" not in html and "onclick" not in html


def test_a_long_list_prints_its_first_rows_and_links_to_the_whole_list(
    client, users, judged, monkeypatch
):
    # given June with two lagging projects (乙区项目 falls to 150 of 1200) and a bulletin
    # that prints one row a list
    report = ProgressReport.objects.get(project=judged.project_b, year=2026, month=6)
    report.invested_ytd = Decimal("150")
    report.save()
    assess_month(year=2026, month=6)
    monkeypatch.setattr("reports.bulletin.LIST_LIMIT", 1)
    login(client, users.reviewer)
    resp = client.get(URL, {"period": "2026-06"})
    text = _text(resp.text)
    # then the heading counts both, the table prints the first by project code
    assert "滞后项目（2项）" in text
    lagging = next(x for x in resp.context["doc"].lists if x["key"] == "lagging")
    first = min((judged.project_a.code, "甲县项目"), (judged.project_b.code, "乙区项目"))[1]
    assert [r["name"] for r in lagging["rows"]] == [first]
    # and a note says so and links the lagging list of the same month, which has both
    assert "注：共2项，此处列出前1项" in text
    link = re.search(r'data-more="lagging">[^<]*<a href="([^"]+)"', resp.text).group(1)
    page = client.get(html_lib.unescape(link))
    assert page.status_code == 200
    assert "甲县项目" in page.text and "乙区项目" in page.text
    # and the short lists carry no such note
    assert 'data-more="warning"' not in resp.text


def test_county_reviewer_sees_only_their_county(client, users, judged):
    login(client, users.reviewer_a)
    resp = client.get(URL, {"period": "2026-06"})
    assert resp.status_code == 200
    html = resp.text
    assert "甲县重点建设项目进展情况通报" in html
    assert "乙区项目" not in html and "市交通局乙区道路" not in html
    assert "今年重点建设项目2项" in html
    assert [r.name for r in resp.context["regions"]] == ["甲县"]
    # and asking for the other county is refused with a Chinese message, nothing shown
    resp = client.get(URL, {"period": "2026-06", "region": judged.county_b.pk})
    assert resp.status_code == 400
    assert "所选地区不存在或不在您的管辖范围内" in resp.text
    assert "乙区项目" not in resp.text


def test_city_reviewer_picks_a_county(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(URL, {"period": "2026-06", "region": judged.county_b.pk})
    assert resp.status_code == 200
    assert "乙区重点建设项目进展情况通报" in resp.text
    assert "今年重点建设项目2项" in resp.text
    assert "甲县项目" not in resp.text


def test_form_fields_make_the_period(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(URL, {"kind": "quarterly", "year": "2026", "month": "6", "quarter": "2"})
    assert resp.context["doc"].params.period == Period("quarter", 2026, 2)


def test_quarter_names_the_first_and_the_last_region(client, users, judged):
    # given the scores of Q2 from assessments.scoring
    rows = scores(year_list(2026), parse_period("2026-Q2"))
    first, last = rows[0], rows[-1]
    assert (first.name, last.name) == ("乙区", "甲县")
    # when the quarterly bulletin is opened
    login(client, users.reviewer)
    resp = client.get(URL, {"kind": "quarterly", "period": "2026-Q2"})
    # then it names them, with the same scores
    assert resp.status_code == 200
    text = _text(resp.text)
    assert (
        f"2026年第2季度县区综合考评，乙区以{first.score}分位列第一，甲县以{last.score}分排名最后。"
        in text
    )
    # two ranked regions are no 红榜/黑榜 (SPEC §3.8 needs three)
    assert "红榜：乙区。" not in text and "黑榜：甲县。" not in text
    assert resp.context["doc"].issue == "草稿（发布时编号）"


def test_monthly_bulletin_has_no_ranking(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(URL, {"period": "2026-06"})
    assert "红榜" not in resp.text and 'id="ranking"' not in resp.text


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period": "2026-13"}, "月份应在1到12之间"),
        ({"period": "二〇二六"}, "期间格式不正确"),
        ({"kind": "monthly", "period": "2026-Q2"}, "此处期间应为月份"),
        ({"kind": "quarterly", "period": "2026-06"}, "此处期间应为季度"),
        ({"kind": "yearly"}, "通报类型只能是月度"),
        ({"period": "2026-06", "region": "abc"}, "所选地区不存在"),
    ],
)
def test_bad_input_is_a_chinese_400(client, users, judged, query, message):
    login(client, users.reviewer)
    resp = client.get(URL, query)
    assert resp.status_code == 400
    assert message in resp.text


def test_user_without_role_is_refused(client, users):
    login(client, users.nobody)
    assert client.get(URL).status_code == 403


def test_user_text_is_escaped(client, users, judged):
    # given a lagging project whose name is markup
    judged.project_a.name = '<img src=x onerror="alert(1)">工程'
    judged.project_a.save()
    judged.county_a.name = "<b>甲县</b>"
    judged.county_a.save()
    login(client, users.reviewer)
    resp = client.get(URL, {"period": "2026-06"})
    html = resp.text
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "<b>甲县</b>" not in html  # escaped in the table, \u003C in the chart data


@pytest.mark.parametrize(
    "today, kind, expected",
    [
        (datetime.date(2026, 11, 23), "monthly", Period("month", 2026, 10)),
        # December's deadline (5 January) has not passed on the 5th: November is the last
        # closed month until the 6th
        (datetime.date(2026, 1, 5), "monthly", Period("month", 2025, 11)),
        (datetime.date(2026, 1, 6), "monthly", Period("month", 2025, 12)),
        (datetime.date(2026, 11, 23), "quarterly", Period("quarter", 2026, 3)),
        (datetime.date(2026, 2, 1), "quarterly", Period("quarter", 2025, 4)),
        (datetime.date(2026, 4, 1), "quarterly", Period("quarter", 2025, 4)),
        (datetime.date(2026, 4, 6), "quarterly", Period("quarter", 2026, 1)),
    ],
)
def test_default_period_is_the_last_closed_one(today, kind, expected):
    assert last_closed(kind, today) == expected


def test_home_links_to_the_bulletin(client, users, judged):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:home"), {"year": 2026, "month": 6})
    assert 'href="/reports/bulletin/?period=2026-06"' in resp.text
