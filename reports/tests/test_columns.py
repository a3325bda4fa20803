"""The ledger list and export carry the bulletin's 1-M月累计完成投资 and 完成率 for the
ledger's month; the monthly bulletin's region table has 开工率 and, when the rule set turns
it on, the ranking sentence."""

import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from conftest import make_user
from registry.choices import Role

D = Decimal


def _city_reviewer(client, c):
    client.force_login(make_user("drc_cols", Role.REVIEWER, region=c.city))


def test_ledger_list_shows_the_bulletins_ytd_and_rate_for_its_month(report_city, client):
    c = report_city
    _city_reviewer(client, c)
    # when the city opens the 2026 ledger (March is the latest judged month)
    page = client.get(reverse("registry:project_list"), {"year": 2026})
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
    assert '<td class="num">300.00</td><td class="num">25.0%</td>' in html


def test_ledger_export_has_the_two_columns_with_the_same_figures(report_city, client):
    c = report_city
    _city_reviewer(client, c)
    resp = client.get(reverse("registry:ledger_export"), {"year": 2026})
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
