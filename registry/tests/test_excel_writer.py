"""The safe cell writer every export uses: user text never becomes a formula (SPEC §5)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook

from registry.excel.writer import formula_cell, safe_cell, safe_row, save_workbook
from registry.tests.fixtures.workbooks import HOSTILE_TEXTS, formula_cells


def _reload(wb):
    data = save_workbook(wb)
    return data, openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


@pytest.mark.parametrize("write_only", [True, False])
def test_hostile_text_is_stored_as_text_exactly(write_only):
    # given a streaming or an ordinary sheet
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("表") if write_only else wb.active

    # when every hostile text is written through safe_row
    for text in HOSTILE_TEXTS:
        ws.append(safe_row(ws, [text, f"名称{text}"]))
    data, back = _reload(wb)

    # then nothing is a formula and the text is unchanged (no apostrophe added)
    assert formula_cells(data) == []
    cells = [(c.value, c.data_type) for c in back["A"]]
    assert cells == [(t.replace("\r", "\n"), "s") for t in HOSTILE_TEXTS]


def test_numbers_and_dates_stay_typed():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    day = datetime.date(2026, 3, 1)
    ws.append(safe_row(ws, [Decimal("1234.50"), 7, day, None]))
    _data, back = _reload(wb)
    a, b, c = back["A1"], back["B1"], back["C1"]
    assert (a.value, a.data_type) == (1234.5, "n")
    assert (b.value, b.data_type) == (7, "n")
    assert c.value.date() == day and c.is_date


def test_formula_cell_is_the_one_way_to_write_a_formula():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    ws.append([safe_cell(ws, 1), safe_cell(ws, 2), formula_cell(ws, "=SUM(A1:B1)")])
    data, back = _reload(wb)
    assert formula_cells(data) != []
    assert (back["C1"].value, back["C1"].data_type) == ("=SUM(A1:B1)", "f")
    with pytest.raises(ValueError):
        formula_cell(ws, "SUM(A1)")


def test_control_characters_are_dropped_not_a_crash():
    # given a name with a bell character pasted from another program (xlsx cannot hold it)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")

    # when / then: written without openpyxl's IllegalCharacterError
    ws.append([safe_cell(ws, "甲\x07项目\t一期")])
    _data, back = _reload(wb)
    assert back["A1"].value == "甲项目\t一期"


def test_style_keywords_are_applied():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    ws.append([safe_cell(ws, "=标题", font=openpyxl.styles.Font(bold=True), number_format="@")])
    _data, back = _reload(wb)
    assert back["A1"].font.bold and back["A1"].number_format == "@"
    assert back["A1"].data_type == "s"
