"""The streamed writer of the big exports (registry.excel.stream): the same safety rule as
the cell writer (SPEC §5) and the same layout, through XlsxWriter."""

import datetime
import io
from decimal import Decimal

import openpyxl

from registry.excel.stream import StreamedSheet
from registry.tests.fixtures.workbooks import HOSTILE_TEXTS, formula_cells


def _sheet(**kwargs):
    defaults = {"sheet": "表", "title": "标题", "columns": [("名称", 20), ("金额(万元)", 12)]}
    return StreamedSheet(**{**defaults, **kwargs})


def _reload(data):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_hostile_text_is_text_exactly():
    # given every text a hostile or careless user may type (= + - @ tab CR …)
    sheet = _sheet()
    for text in HOSTILE_TEXTS:
        sheet.append([text, f"名称{text}"])

    # when written and read back
    data = sheet.close()
    ws = _reload(data)

    # then no cell is a formula and each reads back as typed (a CR as a line break)
    assert formula_cells(data) == []
    cells = [(c.value, c.data_type) for c in ws["A"]][2:]
    assert cells == [(t.replace("\r\n", "\n").replace("\r", "\n"), "s") for t in HOSTILE_TEXTS]


def test_layout_numbers_dates_and_fills():
    # given a money column, a date and a shaded row
    sheet = _sheet(kinds=[None, "money"], freeze_cols=1)
    day = datetime.date(2026, 3, 1)
    sheet.append(["甲\x07项目", Decimal("1234.50")])
    sheet.append([day, 7], fill="#F8D7DA")
    sheet.append(["合计", None], bold=True)
    ws = _reload(sheet.close())

    # then the title spans the columns, the header is frozen, values keep their types
    assert ws["A1"].value == "标题"
    assert "A1:B1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "B3"
    assert [c.value for c in ws[2]] == ["名称", "金额(万元)"]
    assert ws["A3"].value == "甲项目"  # a control character xlsx cannot hold is dropped
    assert (ws["B3"].value, ws["B3"].number_format) == (1234.5, "#,##0.00")
    assert ws["A4"].value.date() == day and ws["A4"].number_format == "yyyy-mm-dd"
    assert ws["B4"].fill.fgColor.rgb.endswith("F8D7DA")
    assert ws["A5"].font.b and ws["B5"].value is None


def test_validation_and_filter():
    sheet = _sheet()
    for n in range(3):
        sheet.append([f"项目{n}", n])
    sheet.list_validation(0, ["是", "否"], "名称", 5)
    sheet.autofilter()
    ws = _reload(sheet.close())
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == "A3:A5" and dv.formula1 == '"是,否"'
    assert ws.auto_filter.ref == "A2:B5"
