"""The ledger list and export carry the bulletin's 1-M月累计完成投资 and 完成率 for the
ledger's month; the monthly bulletin's region table has 开工率 and, when the rule set turns
it on, the ranking sentence."""

import io
import re
from decimal import Decimal

import openpyxl
from django.urls import reverse

from conftest import make_user
from core.signals import changed
from registry.choices import Role

D = Decimal


def _city_reviewer(client, c):
    client.force_login(make_user("drc_cols", Role.REVIEWER, region=c.city))


def test_ledger_list_shows_the_bulletins_ytd_and_rate_for_its_month(report_city, client):
    c = report_city
    _city_reviewer(client, c)
    # when the city opens the 2026 ledger for March
    page = client.get(reverse("portal:project_list"), {"year": 2026, "month": 3})
    html = page.text
    # then the header names the period
    assert "1-3月累计完成投资(万元)" in html
    rows = {p.pk: (p.ytd_m, p.rate_m) for p in page.context["projects"]}
    # a leaf: March's approved YTD over its plan
    assert rows[c.a1.pk] == (D("300.00"), D("25.00"))  # 300 / 1200
    # a package: its sub-projects' sums (200 + 100) / (800 + 400)
    assert rows[c.pkg.pk] == (D("300.00"), D("25.00"))
    # and the same numbers as the bulletin's region table for the same month
    doc = client.get("/reports/bulletin/", {"kind": "monthly", "period": "2026-03"}).context["doc"]
    by_region = {r["region"].pk: r["figures"] for r in doc.dash.regions}
    west = by_region[c.b.pk]
    assert rows[c.pkg.pk][0] + rows[c.b3.pk][0] == west.ytd == D("450.00")
    east = by_region[c.a.pk]
    assert rows[c.a1.pk][0] + rows[c.a2.pk][0] == east.ytd
    assert re.search(r'<td class="num"[^>]*>300.00</td><td class="num"[^>]*>25.0%</td>', html)


def test_ledger_export_has_the_two_columns_with_the_same_figures(report_city, client):
    c = report_city
    _city_reviewer(client, c)
    resp = client.get(reverse("portal:ledger_export"), {"year": 2026, "month": 3})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    header = [cell.value for cell in ws[2]]
    assert header[-2:] == ["1-3月累计完成投资(万元)", "1-3月完成率(%)"]
    rows = {r[1]: r[-2:] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] != "合计"}
    assert [D(str(v)) for v in rows[c.a2.code]] == [D("50"), D("5")]  # 50 / 1000
    assert [D(str(v)) for v in rows[c.pkg.code]] == [D("300"), D("25")]
    total = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "合计"][0]
    doc = client.get("/reports/bulletin/", {"kind": "monthly", "period": "2026-03"}).context["doc"]
    assert D(str(total[-2])) == doc.dash.totals.ytd
    assert D(str(total[-1])).quantize(D("0.01")) == doc.dash.totals.completion_rate


def _bulletin(client, period="2026-03"):
    return client.get("/reports/bulletin/", {"kind": "monthly", "period": period})


def test_region_table_shows_each_regions_start_rate(report_city, client):
    c = report_city
    # given: 东县 plans two starts, one started; 西区 plans its package (a sub-project started)
    c.a2.started_on = None
    c.a2.save()
    for p in (c.a1, c.a2, c.b1):
        p.annual_plans.filter(year=2026).update(plan_start=True)
        changed([p.pk])  # a bulk update says which projects it touched
    c.a2.save()  # the bulk update above sends no signal: move the figure cache on
    _city_reviewer(client, c)
    resp = _bulletin(client)
    cells = {r["region"].name: r["figures"].start_rate for r in resp.context["doc"].dash.regions}
    # then 东县 1 ÷ 2 = 50%, 西区 1 ÷ 1 = 100%, and the city 2 ÷ 3
    assert cells == {"东县": D("50.00"), "西区": D("100.00")}
    html = resp.text
    assert '<th class="num" title="已开工÷本年度计划开工">开工率</th>' in html
    rates = html.split('data-col="start-rate">')[1:]
    assert [r.split("<")[0] for r in rates] == ["50.0%", "100.0%", "66.7%"]


def test_monthly_ranking_sentence_only_when_the_rules_turn_it_on(report_city, client):
    from assessments.tests.helpers import rules_2026

    c = report_city
    _city_reviewer(client, c)
    # by default: no ranking in a monthly bulletin
    assert 'id="monthly-ranking"' not in _bulletin(client).text
    assert "综合考评" not in _bulletin(client).text
    # when the city turns it on
    rules = rules_2026()
    rules.monthly_ranking = True
    rules.save()
    resp = _bulletin(client)
    # then the first and last regions are named, as the quarterly bulletin does
    ranking = resp.context["doc"].ranking
    assert len(ranking) == 1
    assert ranking[0].startswith("2026年3月县区综合考评，") and "位列第一" in ranking[0]
    assert "排名最后" in ranking[0]
    assert f'<p class="bulletin-para" id="monthly-ranking">{ranking[0]}</p>' in resp.text


def test_the_city_turns_the_monthly_ranking_on_from_the_rules_page(report_city, client):
    from assessments.tests.helpers import rules_2026

    rules = rules_2026()
    _city_reviewer(client, report_city)
    listing = client.get(reverse("assessments:rule_list")).text
    assert '<td data-col="monthly-ranking">不载明</td>' in listing  # off by default
    url = reverse("assessments:rule_edit", args=[rules.pk])
    form = client.get(url).context["form"]
    assert "monthly_ranking" in form.fields
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data["monthly_ranking"] = "on"
    assert client.post(url, data).status_code == 302
    rules.refresh_from_db()
    assert rules.monthly_ranking is True
    listing = client.get(reverse("assessments:rule_list")).text
    assert '<td data-col="monthly-ranking">载明</td>' in listing
