"""Big list exports (ledger, problems, judgement lists) written with XlsxWriter.

openpyxl's write-only mode spent 11 of the 13 s of a 20,000-project ledger export building a
cell object and a style per cell. XlsxWriter in `constant_memory` mode writes each
row's XML as soon as the next row starts, so time is about a third and memory stays flat
whatever the number of rows.

The safety rule of `registry.excel.writer` holds here too (SPEC §5): a str is only ever
written with `write_string`, so text such as `=HYPERLINK(…)` or `+cmd|…` stays text; the
workbook is also opened with every string conversion off, in case a later change calls the
generic `write`. Control characters xlsx cannot store are dropped, as `safe_cell` does.
"""

import datetime
import io
import math
import re
from decimal import Decimal

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import (
    _preserve_whitespace,
    _utf16_len,
    _utf16_truncate,
    xl_col_to_name,
)
from xlsxwriter.xmlwriter import XMLwriter

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
NUMBER_FORMATS = {"money": MONEY_FORMAT, "area": MONEY_FORMAT, "date": DATE_FORMAT,
                  "text": TEXT_FORMAT}  # fmt: skip
STRING_MAX = 32767  # UTF-16 units in a cell
HEADER_COLOUR = "#DDEBF7"
BORDER_COLOUR = "#999999"
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class StreamedSheet:
    """One sheet: a merged title row, a styled header row, then data rows in order.

    `columns` are (label, width) pairs; `kinds` (same length, optional) name each column's
    number format ("money", "area", "date", "text" or None)."""

    def __init__(self, *, sheet, title, columns, kinds=None, freeze_cols=0, header_fill=None):
        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, _OPTIONS)
        self.ws = self.book.add_worksheet(sheet)
        self.width = len(columns)
        self.kinds = list(kinds or [None] * self.width)
        self._formats, self._rows = {}, {}
        self.row_index = 0
        for j, (_label, width) in enumerate(columns):
            self.ws.set_column(j, j, width)
        self.ws.freeze_panes(2, freeze_cols)
        self.ws.set_row(0, 28)
        self.ws.set_row(1, 32)
        title_format = self.book.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        # merge_range's own value goes through the generic write(): write the text ourselves.
        if self.width > 1:
            self.ws.merge_range(0, 0, 0, self.width - 1, "", title_format)
        self.ws.write_string(0, 0, _clean(title), title_format)
        header = self.book.add_format(
            {
                "bold": True,
                "bg_color": header_fill or HEADER_COLOUR,
                "border": 1,
                "border_color": BORDER_COLOUR,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }  # fmt: skip
        )
        for j, (label, _width) in enumerate(columns):
            self.ws.write_string(1, j, _clean(label), header)
        self.row_index = 2

    def _format(self, kind, fill=None, bold=False):
        key = (kind, fill, bold)
        if key not in self._formats:
            spec = {}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if fill:
                spec["bg_color"] = fill
            if bold:
                spec["bold"] = True
            self._formats[key] = self.book.add_format(spec) if spec else None
        return self._formats[key]

    def _row_formats(self, kinds, fill, bold):
        """Each column's format for a row of this fill and weight (looked up once, not per
        cell: a city's ledger has half a million cells)."""
        key = (kinds, fill, bold)  # kinds None: the sheet's own
        if key not in self._rows:
            kinds = kinds or self.kinds
            formats = [self._format(k, fill, bold) for k in kinds]
            # A blank cell is written when it shows something (a fill, bold) or keeps what is
            # typed into it as text (an identifier column's "@").
            blanks = [bool(fill or bold or k == "text") for k in kinds]
            self._rows[key] = list(zip(map(_xf, formats), blanks, strict=True))
        return self._rows[key]

    def append(self, values, *, fill=None, bold=False, kinds=None):
        """One data row. Blank cells are written only when they carry a fill (a whole
        overdue row is shaded), bold, or the text format.

        The row's XML is written here, straight to the worksheet's row file, in the form
        XlsxWriter's own writers give it (a test compares the two byte for byte): going
        through a cell tuple, a table and a per-cell dispatch cost two thirds of a city's
        ledger export. Strings are always inline strings, never formulas."""
        ws, r = self.ws, self.row_index
        if ws.table:  # the title and header rows XlsxWriter still holds
            ws._write_single_row(r)
        formats = self._row_formats(tuple(kinds) if kinds else None, fill, bold)
        ref = str(r + 1)
        cells, last = [], -1
        add = cells.append
        for j, (value, (fmt, blank)) in enumerate(zip(values, formats, strict=False)):
            head = f'<c r="{_COLUMN[j]}{ref}"{fmt}'
            if value is None or value == "":
                if not blank:
                    continue
                add(head + "/>")
            elif isinstance(value, str):
                add(head + _inline_string(value))
            elif isinstance(value, bool):
                add(f'{head} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float, Decimal)):
                # Excel stores every number as a double; 万元 to the cent survives.
                number = float(value)
                if not math.isfinite(number):
                    raise TypeError("xlsx cells hold finite numbers only")
                add(f"{head}><v>{number:.16G}</v></c>")
            elif isinstance(value, (datetime.date, datetime.datetime)):
                # A date always shows as one, whatever the column's kind or the row's fill.
                date = _xf(self._format("date", fill, bold))
                add(
                    f'<c r="{_COLUMN[j]}{ref}"{date}><v>{ws._convert_date_time(value):.16G}</v></c>'
                )
            else:
                add(head + _inline_string(str(value)))
            last = j
        if cells:
            ws._check_dimensions(r, 0)
            ws._check_dimensions(r, last)
            ws.fh.write(f'<row r="{ref}">{"".join(cells)}</row>')
        ws.previous_row = r
        self.row_index += 1

    @property
    def data_rows(self):
        return self.row_index - 2

    def list_validation(self, column, choices, label, last_row):
        """A dropdown on `column` for data rows 3‥last_row (1-based, as Excel numbers them)."""
        self.ws.data_validation(
            2, column, max(last_row - 1, 2), column,
            {"validate": "list", "source": list(choices), "ignore_blank": True,
             "error_type": "stop", "error_title": "输入有误",
             "error_message": f"{label}只能选择：" + "、".join(choices)},
        )  # fmt: skip

    def autofilter(self):
        self.ws.autofilter(1, 0, max(self.row_index - 1, 1), self.width - 1)

    def close(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()


# What `_clean` changes: the control characters xlsx cannot hold, and CR.
_UNCLEAN = re.compile(r"[\000-\010\013\014\016-\037\r]")


def _clean(text: str) -> str:
    if _UNCLEAN.search(text) is None:  # nearly every cell: one scan, no copies
        return text
    # A bare CR would be written as the escape _x000D_, which Excel decodes but other readers
    # (openpyxl, the importer) show literally; a line break reads the same everywhere.
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _xf(fmt) -> str:
    """A cell's style attribute as XlsxWriter writes it (none for the default style)."""
    index = fmt._get_xf_index() if fmt is not None else 0
    return f' s="{index}"' if index else ""


_COLUMN = [xl_col_to_name(j) for j in range(256)]
# What makes a string leave the fast path: XML's special characters, the _xHHHH_ escape
# XlsxWriter guards, the two non-characters it escapes, leading or trailing white space.
_SPECIAL = re.compile(r"[&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")


def _inline_string(text: str) -> str:
    """The rest of an inline string cell: XlsxWriter's `_write_string` and `_write_cell`
    (constant_memory) in one pass. Rich-text markup is not honoured: text is always text."""
    text = _clean(text)
    if len(text) > STRING_MAX // 2 and _utf16_len(text) > STRING_MAX:
        text = _utf16_truncate(text, STRING_MAX)
    if _SPECIAL.search(text) is None:  # nearly every cell
        return f' t="inlineStr"><is><t>{text}</t></is></c>'
    text = XMLwriter._escape_control_characters(text)
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
