"""County plans as printed: one sheet per nature (续建 / 新开工, said only in the sheet name and
title), hierarchical 序号 (1.1, 一.1), nested headings and 小计 rows, a two-row header
(2026年计划投资 over 上半年 | 全年), "—" for an empty amount, 建设年限 with months and 建设地点
naming a town after the county. Such a file imports exactly; a sheet whose visible rows are
not read as data is an error naming the sheet, never a "0行" success."""

import datetime
from decimal import Decimal

import openpyxl
import pytest

from core.excel import values
from core.excel.values import span_dates, span_months
from registry.choices import Category, Nature, ProjectLevel, RegionLevel
from registry.ledger_import import ledger_import
from registry.models import AnnualPlan, Project
from registry.tests.factories import RegionFactory
from registry.tests.fixtures.workbooks import to_bytes

pytestmark = pytest.mark.django_db

TOP = ["序号", "项目名称", "建设内容及规模", "建设地点", "建设年限", "总投资", "至上年底累计完成投资",
       "2026年计划投资", None, "项目业主"]  # fmt: skip
SUB = [None] * 7 + ["上半年", "全年", None]


def _sheet(wb, name, title, rows):
    ws = wb.create_sheet(name)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    ws.append([None] * 8 + ["单位：万元"])
    ws.append(TOP)
    ws.append(SUB)
    ws.merge_cells(start_row=3, start_column=8, end_row=3, end_column=9)
    for col in (1, 2, 3, 4, 5, 6, 7, 10):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for row in rows:
        ws.append(row)
    return ws


def _data(unreadable, row):
    """A project row; unreadable: pasted as one line of text in the first cell, as happens
    when a table is copied out of a document."""
    return [" ".join(str(c) for c in row if c is not None)] if unreadable else row


def county_plan(unreadable=False):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    u = unreadable
    _sheet(wb, "续建", "甲县2026年县级重点项目计划表（续建项目）", [
        ["", "合计", "", "", "", 52000, 18000, 9000, 21000, ""],
        ["一、产业项目", None, None, None, None, 42000, 15000, 8000, 18000],
        ["（一）先进制造", None, None, None, None, 42000, 15000, 8000, 18000],
        _data(u, ["1.1", "甲县新能源电池项目", "年产2GWh电池", "甲县城南街道", "2025.03-2027.12",
                  42000, 15000, 8000, 18000, "甲县新能源公司"]),
        ["小计", None, None, None, None, 42000, 15000, 8000, 18000],
        ["二、基础设施项目", None, None, None, None, 10000, 3000, "—", 3000],
        _data(u, ["二.1", "甲县城乡供水一体化", "管网60公里", "甲县", "2025年6月至2027年6月",
                  10000, 3000, "—", 3000, "甲县水务公司"]),
    ])  # fmt: skip
    _sheet(wb, "新开工", "甲县2026年县级重点项目计划表（新开工项目）", [
        ["一、社会事业项目", None, None, None, None, 8000, None, 1000, 5000],
        _data(u, ["1.1", "甲县人民医院新院区", "床位500张", "甲县城关镇", "2026年3月至2028年6月",
                  8000, "—", 1000, 5000, "甲县卫健局"]),
    ])  # fmt: skip
    return to_bytes(wb)


@pytest.fixture
def south(city):
    # a town named without its county: the plan writes "甲县城南街道"
    return RegionFactory(
        name="城南街道", code="370102002", level=RegionLevel.TOWN, parent=city.county_a
    )


def test_a_county_plan_in_two_sheets_imports_exactly(city, users, south):
    result = ledger_import(
        county_plan(), file_name="甲县计划.xlsx", dry_run=False, user=users.admin
    )
    assert result.errors == []
    assert len(result.new) == 3
    battery = Project.objects.get(name="甲县新能源电池项目")
    assert battery.region == south
    assert (battery.level, battery.nature, battery.category) == (
        ProjectLevel.COUNTY, Nature.CONTINUING, Category.INDUSTRY,
    )  # fmt: skip
    assert (battery.total_investment, battery.invested_before_year) == (
        Decimal("42000.00"), Decimal("15000.00"),
    )  # fmt: skip
    assert (battery.planned_start, battery.planned_finish) == (
        datetime.date(2025, 3, 1), datetime.date(2027, 12, 31),
    )  # fmt: skip
    assert AnnualPlan.objects.get(project=battery, year=2026).planned_investment == Decimal(
        "18000.00"
    )
    water = Project.objects.get(name="甲县城乡供水一体化")
    assert (water.region, water.nature, water.category) == (
        city.county_a, Nature.CONTINUING, Category.INFRASTRUCTURE,
    )  # fmt: skip
    assert (water.planned_start, water.planned_finish) == (
        datetime.date(2025, 6, 1), datetime.date(2027, 6, 30),
    )  # fmt: skip
    hospital = Project.objects.get(name="甲县人民医院新院区")
    assert (hospital.region, hospital.nature, hospital.category) == (
        city.town_a, Nature.NEW, Category.SOCIAL,
    )  # fmt: skip
    assert hospital.invested_before_year == Decimal("0.00")
    assert (hospital.planned_start, hospital.planned_finish) == (
        datetime.date(2026, 3, 1), datetime.date(2028, 6, 30),
    )  # fmt: skip
    assert AnnualPlan.objects.get(project=hospital, year=2026).planned_investment == Decimal(
        "5000.00"
    )


def test_a_sheet_with_rows_but_no_data_is_refused_by_name(city, users):
    result = ledger_import(county_plan(unreadable=True), dry_run=True, user=users.admin)
    assert result.errors, "visible rows read as nothing must not be a success"
    assert any("续建" in e for e in result.errors)
    assert not Project.objects.filter(name__startswith="甲县新能源").exists()


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2025.03-2027.12", ((2025, 3, 1), (2027, 12, 31))),
        ("2026年3月至2028年6月", ((2026, 3, 1), (2028, 6, 30))),
        ("2025.3—2026.2", ((2025, 3, 1), (2026, 2, 28))),
        ("2024-2026", ((2024, 1, 1), (2026, 12, 31))),
        ("2026年", ((2026, 1, 1), (2026, 12, 31))),
    ],
)
def test_spans_with_months_give_the_planned_months(text, dates):
    start, finish = span_dates(*span_months(text))
    assert (start, finish) == tuple(datetime.date(*d) for d in dates)


@pytest.mark.parametrize("text", ["2026.13-2027.01", "2027.06-2027.03"])
def test_impossible_months_are_refused(text):
    with pytest.raises(values.CellError):
        span_months(text)
