"""The one workbook engine (core.excel.workbook) every export, template and report uses: user
text never becomes a formula (SPEC §5), numbers and dates stay typed, several sheets share
one file, and the XlsxWriter release its hand-written rows copy is the one installed."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from core.excel.workbook import XLSXWRITER_VERSION, Workbook, table, xlsx_response
from registry.tests.fixtures.workbooks import HOSTILE_TEXTS, formula_cells

ROOT = Path(__file__).resolve().parents[2]


def _reload(data, index=0):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[index]


def _sheet(book, name="表", **options):
    return book.sheet(name, title="标题", columns=[("名称", 20), ("金额(万元)", 12)], **options)


@pytest.mark.parametrize("index", [0, 1])
def test_hostile_text_is_stored_as_text_exactly(index):
    # given the first sheet of a book, or one after another sheet
    book = Workbook()
    if index:
        _sheet(book, "前一个表").append(["其他", 1])
    sheet = _sheet(book)

    # when every hostile text is appended
    for text in HOSTILE_TEXTS:
        sheet.append([text, f"名称{text}"])
    data = book.close()

    # then nothing is a formula and the text is unchanged (no apostrophe added)
    assert formula_cells(data) == []
    cells = [(c.value, c.data_type) for c in _reload(data, index)["A"]][2:]
    assert cells == [(t.replace("\r", "\n"), "s") for t in HOSTILE_TEXTS]


def test_numbers_and_dates_stay_typed():
    book = Workbook()
    sheet = book.sheet("表", title="标题", columns=[("a", 9), ("b", 9), ("c", 9), ("d", 9)])
    day = datetime.date(2026, 3, 1)
    sheet.append([Decimal("1234.50"), 7, day, None])
    ws = _reload(book.close())
    a, b, c = ws["A3"], ws["B3"], ws["C3"]
    assert (a.value, a.data_type) == (1234.5, "n")
    assert (b.value, b.data_type) == (7, "n")
    assert c.value.date() == day and c.is_date and c.number_format == "yyyy-mm-dd"
    assert ws["D3"].value is None


def test_a_formula_is_never_written_even_on_purpose():
    book = Workbook()
    sheet = _sheet(book)
    sheet.append(["=SUM(B3:B4)", 1])
    sheet.note("=1+1")
    data = book.close()
    ws = _reload(data)
    assert formula_cells(data) == []
    assert (ws["A3"].value, ws["A3"].data_type) == ("=SUM(B3:B4)", "s")
    assert (ws["A4"].value, ws["A4"].data_type) == ("=1+1", "s")


def test_control_characters_are_dropped_not_a_crash():
    # given a name with a bell character pasted from another program (xlsx cannot hold it)
    book = Workbook()
    _sheet(book).append(["甲\x07项目\t一期", None])
    assert _reload(book.close())["A3"].value == "甲项目\t一期"


def test_kinds_fills_frames_and_bold_are_applied():
    # given a framed sheet with a lead line, a per-cell fill and a bold total row
    book = Workbook()
    sheet = _sheet(book, kinds=[None, "pct"], lead="说明文字", border=True)
    sheet.append(["甲", Decimal("12.50")], fill=("#FFC7CE", None))
    sheet.append(["合计", None], bold=True)
    ws = _reload(book.close())

    # then the lead spans the columns under the title, the header is frozen under it
    assert ws["A2"].value == "说明文字" and "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A4" and ws["A3"].value == "名称"
    assert ws["A4"].fill.fgColor.rgb.endswith("FFC7CE") and ws["B4"].fill.fill_type is None
    assert (ws["B4"].value, ws["B4"].number_format) == (12.5, "0.00")
    assert ws["A5"].font.b and ws["B5"].font.b and ws["B5"].border.left.style == "thin"


def test_a_workbook_written_to_a_path(tmp_path):
    path = tmp_path / "报表.xlsx"
    book = Workbook(path)
    _sheet(book, "一").append(["甲", 1])
    _sheet(book, "二").append(["乙", 2])
    assert book.close() is None
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["一", "二"] and wb["二"]["A3"].value == "乙"


def test_table_and_its_download():
    data = table(title="清单", sheet="表", headers=["名称", "金额"], rows=[["+1", 3]],
                 money_columns=[1])  # fmt: skip
    response = xlsx_response(data, "清单-2026.xlsx")
    ws = _reload(response.content)
    assert (ws["A3"].value, ws["A3"].data_type) == ("+1", "s")
    assert ws["B3"].number_format == "#,##0.00"
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "filename*=utf-8''%E6%B8%85%E5%8D%95-2026.xlsx" in response["Content-Disposition"]


def test_xlsxwriter_is_the_release_the_streamed_rows_copy():
    # The row writer (core.excel.stream) writes XlsxWriter's own row XML and calls its
    # private helpers: another release must be checked (test_excel_stream) before pinning.
    pinned = re.search(r"^XlsxWriter==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert xlsxwriter.__version__ == XLSXWRITER_VERSION == pinned.group(1)
