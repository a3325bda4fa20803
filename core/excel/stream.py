"""The sheets of every workbook the system writes (core.excel.workbook), with XlsxWriter.

openpyxl's write-only mode spent 11 of the 13 s of a 20,000-project ledger export building a
cell object and a style per cell. XlsxWriter in `constant_memory` mode writes each
row's XML as soon as the next row starts, so time is about a third and memory stays flat
whatever the number of rows.

The safety rule (SPEC §5): a str is only ever written as an inline string (`write_string` for
the title and header), so text such as `=HYPERLINK(…)` or `+cmd|…` stays text; the workbook
is also opened with every string conversion off, in case a later change calls the generic
`write`. Control characters xlsx cannot store are dropped, a CR becomes a line break.
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
                  "text": TEXT_FORMAT, "pct": "0.00", "count": "0"}  # fmt: skip
STRING_MAX = 32767  # UTF-16 units in a cell
HEADER_COLOUR = "#DDEBF7"
BORDER_COLOUR = "#999999"
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def new_book(target):
    """An XlsxWriter workbook on `target` (a path or a binary buffer) with every string
    conversion off and rows streamed (constant memory)."""
    return xlsxwriter.Workbook(target, _OPTIONS)


class StreamedSheet:
    """One sheet: a title row (merged across the columns), an optional lead row of text, a
    styled header row, then data rows in order.

    `columns` are (label, width) pairs (width None: the default); `kinds` (same length,
    optional) name each column's number format ("money", "area", "date", "text", "pct",
    "count" or None). `book`: the workbook the sheet belongs to (core.excel.workbook); without
    one the sheet is a workbook of its own, returned by `close()`. `border`: every data cell
    framed; `freeze`: the rows down to the header (and `freeze_cols` columns) stay in view."""

    def __init__(self, *, sheet, title, columns, kinds=None, freeze_cols=0, header_fill=None,
                 book=None, lead="", border=False, freeze=True, merge_title=True,
                 header_height=32):  # fmt: skip
        self._buffer = None
        if book is None:
            self._buffer = io.BytesIO()
            book = new_book(self._buffer)
        self.book = book
        self.ws = self.book.add_worksheet(sheet)
        self.width = len(columns)
        self.kinds = list(kinds or [None] * self.width)
        self.border = border
        self._formats, self._rows = {}, {}
        for j, (_label, width) in enumerate(columns):
            if width is not None:
                self.ws.set_column(j, j, width)
        header_row = 2 if lead else 1
        if freeze:
            self.ws.freeze_panes(header_row + 1, freeze_cols)
        self.ws.set_row(0, 28)
        self._text_row(0, title, {"bold": True, "font_size": 14, "align": "center",
                                  "valign": "vcenter"}, merge=merge_title)  # fmt: skip
        if lead:
            self.ws.set_row(1, 15 * (1 + len(lead) // 60))
            self._text_row(1, lead, {"text_wrap": True, "valign": "top"}, merge=True)
        if header_height:
            self.ws.set_row(header_row, header_height)
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
            self.ws.write_string(header_row, j, _clean(label), header)
        self.row_index = header_row + 1
        self._first_data_row = self.row_index

    def _text_row(self, row, text, spec, *, merge):
        fmt = self.book.add_format(spec)
        # merge_range's own value goes through the generic write(): write the text ourselves.
        if merge and self.width > 1:
            self.ws.merge_range(row, 0, row, self.width - 1, "", fmt)
        self.ws.write_string(row, 0, _clean(text), fmt)

    def _format(self, kind, fill=None, bold=False, border=None):
        border = self.border if border is None else border
        key = (kind, fill, bold, border)
        if key not in self._formats:
            spec = {}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if fill:
                spec["bg_color"] = fill
            if bold:
                spec["bold"] = True
            if border:
                spec.update(border=1, border_color=BORDER_COLOUR)
            self._formats[key] = self.book.add_format(spec) if spec else None
        return self._formats[key]

    def _row_formats(self, kinds, fill, bold, border, pad=False):
        """Each column's (style, whether a blank is written, date style) for a row of this
        fill, weight and frame (looked up once, not per cell: a city's ledger has half a
        million cells). `fill` is one colour for the row or one per column."""
        key = (kinds, fill, bold, border, pad)  # kinds None: the sheet's own
        if key not in self._rows:
            kinds = kinds or self.kinds
            fills = fill if isinstance(fill, tuple) else (fill,) * len(kinds)
            fills += (None,) * (len(kinds) - len(fills))
            edge = self.border if border is None else border
            self._rows[key] = [
                # A blank cell is written when it shows something (a fill, bold, a frame) or
                # keeps what is typed into it as text (an identifier column's "@"); a padded
                # row (a template's) writes every blank that has a number format.
                (_xf(self._format(k, f, bold, border)),
                 bool(f or bold or edge or k == "text" or (pad and k in NUMBER_FORMATS)),
                 _xf(self._format("date", f, bold, border)))
                for k, f in zip(kinds, fills, strict=False)
            ]  # fmt: skip
        return self._rows[key]

    def append(self, values, *, fill=None, bold=False, kinds=None, border=None, pad=False):
        """One data row. Blank cells are written only when they carry a fill (a whole
        overdue row is shaded), bold, a frame or the text format. `fill`: a colour for the
        row, or a tuple of one per column (None where unfilled); `border`: override the
        sheet's frame for this row; `pad`: write blanks that carry a number format too (a
        template's first row, so what is typed there takes the column's format).

        The row's XML is written here, straight to the worksheet's row file, in the form
        XlsxWriter's own writers give it (a test compares the two byte for byte): going
        through a cell tuple, a table and a per-cell dispatch cost two thirds of a city's
        ledger export. Strings are always inline strings, never formulas."""
        ws, r = self.ws, self.row_index
        if ws.table:  # the title and header rows XlsxWriter still holds
            ws._write_single_row(r)
        formats = self._row_formats(tuple(kinds) if kinds else None, fill, bold, border, pad)
        ref = str(r + 1)
        cells, last = [], -1
        add = cells.append
        for j, (value, (fmt, blank, date)) in enumerate(zip(values, formats, strict=False)):
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

    def note(self, text):
        """A row of one plain text cell (no frame, no format): "（无）", a heading."""
        self.append([text], kinds=(None,), border=False)

    @property
    def data_rows(self):
        return self.row_index - self._first_data_row

    def list_validation(self, column, choices, label, last_row):
        """A dropdown on `column` for data rows 3‥last_row (1-based, as Excel numbers them)."""
        self.ws.data_validation(
            2, column, max(last_row - 1, 2), column,
            {"validate": "list", "source": list(choices), "ignore_blank": True,
             "error_type": "stop", "error_title": "输入有误",
             "error_message": f"{label}只能选择：" + "、".join(choices)},
        )  # fmt: skip

    def autofilter(self):
        header = self._first_data_row - 1
        self.ws.autofilter(header, 0, max(self.row_index - 1, header), self.width - 1)

    def close(self) -> bytes:
        """The workbook of a sheet made without a `book` (a shared book is closed by it)."""
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
