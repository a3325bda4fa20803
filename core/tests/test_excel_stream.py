"""The streamed writer of the big exports (core.excel.stream): the same safety rule as
the cell writer (SPEC §5) and the same layout, through XlsxWriter."""

import datetime
import io
from decimal import Decimal

import openpyxl

from core.excel.stream import StreamedSheet
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


MIXED = [
    "a & b < c > d",
    "\"引号\" 与 '单引号'",
    " 前导空格",
    "末尾空格 ",
    "\t制表符",
    "换行\n第二行",
    "回车\r\n第二行",
    "字面量 _x0041_ 与 _x005F_",
    "非字符\ufffe\uffff",
    "表情😀",
    "长" * 40000,
    '=HYPERLINK("http://evil","点我")',
    "@SUM(A1)",
    "中文项目名称",
]


def _reference(sheet, values, *, fill=None, bold=False):
    """The same row through XlsxWriter's public writers (the path append() replaces)."""
    from core.excel.stream import _clean

    ws, r = sheet.ws, sheet.row_index
    for j, value in enumerate(values):
        kind = sheet.kinds[j]
        fmt = sheet._format(kind, fill, bold)
        if value is None or value == "":
            if fill or bold or kind == "text":
                ws.write_blank(r, j, None, fmt)
        elif isinstance(value, str):
            ws.write_string(r, j, _clean(value), fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, j, value, fmt)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(r, j, float(value), fmt)
        else:
            ws.write_datetime(r, j, value, sheet._format("date", fill, bold))
    sheet.row_index += 1


def _cells(data):
    """Every cell as a reader sees it: value, type, number format, bold, fill."""
    ws = _reload(data)
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb)
        for row in ws.iter_rows()
        for c in row
        if c.has_style or c.value is not None
    ]


def _texts(data):
    import re
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    return re.findall(r"(<t[^>]*>.*?</t>)", xml, re.S)


def test_rows_are_written_as_xlsxwriter_writes_them():
    # given rows of every kind of value, plain, shaded, bold, with a text (identifier) column
    kinds = [None, "money", "text", "date", None]
    columns = [(f"列{j}", 10) for j in range(5)]
    rows = [(text, Decimal("1234.56"), "0012", None, None) for text in MIXED]
    rows += [
        ("数", 0, "", datetime.date(2026, 3, 1), True),
        ("负", Decimal("-3.10"), None, datetime.datetime(2026, 3, 1, 8, 30), False),
        (None, None, None, None, None),
        ("", 1e-7, "007", "", 12345678901234),
    ]
    fast, slow = _sheet(columns=columns, kinds=kinds), _sheet(columns=columns, kinds=kinds)
    for i, row in enumerate(rows):
        style = {"fill": "#F8D7DA"} if i % 5 == 1 else {"bold": True} if i % 5 == 2 else {}
        fast.append(row, **style)
        _reference(slow, row, **style)
    fast_data, slow_data = fast.close(), slow.close()
    # then a reader sees the same cells, values, types and styles, and the XML text is the
    # same (escapes, the _xHHHH_ guard, kept white space, the 32,767-unit cut)
    assert _cells(fast_data) == _cells(slow_data)
    assert _texts(fast_data) == _texts(slow_data)
    assert formula_cells(fast_data) == []


def test_rich_text_markup_stays_text():
    # XlsxWriter would write "<r>…</r>" as raw rich-text XML; the export writes it as text
    sheet = _sheet()
    sheet.append(["<r><t>伪造</t></r>", 1])
    assert _reload(sheet.close())["A3"].value == "<r><t>伪造</t></r>"
