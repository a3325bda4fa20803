"""Generated codes follow the region's existing pattern."""

import pytest

from registry.codes import CodeAllocator
from registry.ledger_import import ledger_import
from registry.models import Project
from registry.tests.factories import ProjectFactory, RegionFactory, UnitFactory
from registry.tests.fixtures.workbooks import row, simple_ledger

pytestmark = pytest.mark.django_db


def test_allocator_follows_each_countys_pattern_and_width():
    coded = [("2026-LJX-0007", 1), ("2026-LJX-0003", 1), ("2025-QS-012", 2), ("2026-QS-009", 2)]
    codes = CodeAllocator(2026, coded)
    assert codes.next(1) == "2026-LJX-0008"
    assert codes.next(1) == "2026-LJX-0009"
    assert codes.next(2) == "2026-QS-010"  # this year's abbreviation and width
    assert codes.next(3) == "2026-XM-0001"  # a county with no codes yet
    # a county coded only in earlier years keeps its abbreviation
    assert CodeAllocator(2027, coded).next(1) == "2027-LJX-0001"


def test_import_gives_new_rows_their_countys_codes(city):
    ProjectFactory.reset_sequence()
    Project.objects.filter(pk=city.project_a.pk).update(code="2026-JX-0041")
    Project.objects.filter(pk=city.project_town.pk).update(code="2026-JX-0042")
    new_county = RegionFactory(name="丙县", code="370104", parent=city.city, level="county")
    UnitFactory(name="丙县发改局", region=new_county)
    rows = [
        row(name="甲县新项目一", region="甲县城关镇"),  # a town: its county's pattern
        row(name="甲县新项目二", region="甲县"),
        row(name="丙县新项目", region="丙县", unit="丙县发改局"),
    ]
    result = ledger_import(simple_ledger(rows), dry_run=False)
    assert result.errors == []
    codes = dict(Project.objects.filter(name__contains="新项目").values_list("name", "code"))
    assert codes == {
        "甲县新项目一": "2026-JX-0043",
        "甲县新项目二": "2026-JX-0044",
        "丙县新项目": "2026-XM-0001",
    }
    # and the preview names them the same way, with the amounts and dates to check
    preview = ledger_import(simple_ledger([row(name="再一个", region="甲县")]), dry_run=True)
    (item,) = preview.new
    assert item["code"] == "2026-JX-0045（自动生成）"
    assert (item["total"], item["plan"], item["start"], item["finish"]) == (
        "1000.00", "200.00", "2026-03-01", "2027-06-30"
    )  # fmt: skip


def test_template_instructions_use_a_county_of_this_city(city):
    import io

    import openpyxl

    from registry.excel.writer import ledger_template

    city.county_a.name = "江北区"  # the county with the lowest code
    city.county_a.save()
    wb = openpyxl.load_workbook(io.BytesIO(ledger_template(2026)))
    notes = {r[0]: r[1] for r in wb["填写说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["所属地区"] == "必填，填写系统中的县区或乡镇名称（如“江北区”）"
