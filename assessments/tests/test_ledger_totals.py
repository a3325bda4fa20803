"""The ledger export ends with a 合计 row equal to the home page, and marks package and
sub-project rows (SPEC §3.1): money is summed over leaves only."""

import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from conftest import login
from registry.ledger_import import ledger_import
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def sheet(response):
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=3, values_only=True)]
    return [r for r in rows if r["序号"] != "合计"], [r for r in rows if r["序号"] == "合计"]


def test_package_is_marked_and_counted_once_money_from_leaves_only(client, city, users):
    # given a package (its own 9,999 must not be added) with two sub-projects, and a stand-alone
    parent = ProjectFactory(name="甲县打包项目", is_package=True, region=city.county_a,
                            unit=city.unit_a, total_investment=Decimal("9999.00"))  # fmt: skip
    for i, total in enumerate(("300.00", "700.00")):
        sub = ProjectFactory(name=f"打包子项目{i}", package=parent, region=city.county_a,
                             unit=city.unit_a, total_investment=Decimal(total))  # fmt: skip
        AnnualPlanFactory(project=sub, planned_investment=Decimal("100.00"))
    login(client, users.reviewer_a)  # county A: project_a, project_town and the package

    # when
    rows, totals = sheet(client.get(reverse("portal:ledger_export"), {"year": 2026}))

    # then the marks, and one 合计 row: 3 项 (package once), 4 after splitting, leaves' money
    marks = {r["项目名称"]: r["打包情况"] for r in rows}
    assert marks["甲县打包项目"] == "打包项目（不计入合计）"
    assert marks["打包子项目0"] == f"子项目（{parent.code}）"
    assert marks[city.project_a.name] is None
    assert len(totals) == 1
    total = totals[0]
    assert total["项目名称"] == "合计：3项（打包项目拆分后共4项）"
    assert Decimal(str(total["总投资(万元)"])) == Decimal("10000.00") * 2 + Decimal("1000.00")
    assert Decimal(str(total["年度计划投资(万元)"])) == Decimal("1200.00") * 2 + Decimal("200.00")


def test_demo_export_total_equals_the_home_page_and_reimports_unchanged(client):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="drc"))
    home = client.get(reverse("portal:home")).context
    year, figures = home["year"], home["totals"]
    export = client.get(reverse("portal:ledger_export"), {"year": year})
    rows, totals = sheet(export)
    assert (
        totals[0]["项目名称"]
        == f"合计：{figures.count}项（打包项目拆分后共{figures.split_count}项）"
    )
    assert (
        Decimal(str(totals[0]["总投资(万元)"])).quantize(Decimal("0.01"))
        == figures.total_investment
    )
    assert (
        Decimal(str(totals[0]["年度计划投资(万元)"])).quantize(Decimal("0.01"))
        == figures.annual_plan
    )
    page = client.get(reverse("portal:project_list"), {"year": year})
    ledger = page.context["figures"]
    assert (ledger.count, ledger.total_investment) == (figures.count, figures.total_investment)
    assert f"总投资 <strong>{figures.total_investment:,.2f}</strong> 万元" in page.text
    result = ledger_import(export.content, file_name="back.xlsx", dry_run=True)
    assert result.errors == [] and result.changed == [] and result.new == []
