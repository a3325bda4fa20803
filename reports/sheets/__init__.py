"""The report workbooks (SPEC §3.4): exactly the sheets the spec names, every number taken
from assessments (metrics, selectors, scoring, rates, records, summary), streamed in
write-only mode so memory stays flat as the city grows.

Every sheet: a title row with the report name and period, units in the headers (万元, %), a
frozen header, column widths, number formats, a 合计 row equal to the sum of the rows where
summing means something, 红黄绿 fills on status cells; text always through `safe_cell`.
"""

from decimal import Decimal

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.choices import STATUS_COLOUR
from registry.excel.writer import (
    BORDER,
    CENTER,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    MONEY_FORMAT,
    TITLE_FONT,
    safe_cell,
)

PCT_FORMAT = "0.00"
COUNT_FORMAT = "0"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILLS = {
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "grey": PatternFill("solid", fgColor="EDEDED"),
}


class Col:
    """A column: its header (with the unit), width and kind (text, money, pct, count, date,
    status — a status cell is filled 红黄绿 by its value)."""

    def __init__(self, label, width=12, kind="text"):
        self.label, self.width, self.kind = label, width, kind


def status_fill(status):
    colour = STATUS_COLOUR.get(status)
    return FILLS.get(colour)


class Sheet:
    """One write-only sheet: title, optional lead text, header, rows, an optional 合计 row."""

    def __init__(self, wb, name, title, cols, *, lead=""):
        self.ws = wb.create_sheet(name)
        self.cols = cols
        ws = self.ws
        for j, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = col.width
        header_row = 3 if lead else 2
        ws.freeze_panes = f"A{header_row + 1}"
        last = get_column_letter(max(1, len(cols)))
        ws.row_dimensions[1].height = 28
        ws.append([safe_cell(ws, title, font=TITLE_FONT, alignment=CENTER)])
        ws.merged_cells.add(f"A1:{last}1")
        if lead:
            ws.row_dimensions[2].height = 15 * (1 + len(lead) // 60)
            ws.append([safe_cell(ws, lead, alignment=WRAP)])
            ws.merged_cells.add(f"A2:{last}2")
        ws.append(
            [
                safe_cell(
                    ws, c.label, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=CENTER
                )  # fmt: skip
                for c in cols
            ]
        )
        self.rows = 0

    def _cell(self, col, value, *, font=None, status=None):
        fmt = {
            "money": MONEY_FORMAT,
            "pct": PCT_FORMAT,
            "count": COUNT_FORMAT,
            "date": DATE_FORMAT,
        }.get(col.kind)
        fill = status_fill(status) if col.kind == "status" else None
        if col.kind == "status" and value is not None and not isinstance(value, str):
            value = str(value)
        if isinstance(value, Decimal) and col.kind == "pct":
            value = value.quantize(Decimal("0.01"))
        return safe_cell(self.ws, value, number_format=fmt, fill=fill, font=font, border=BORDER)

    def row(self, values, *, status=None, font=None):
        """`status`: the Status value whose colour fills this row's status cells."""
        self.ws.append(
            [
                self._cell(c, v, font=font, status=status)
                for c, v in zip(self.cols, values, strict=True)
            ]
        )
        self.rows += 1

    def cells(self, values, cols, *, status=None):
        """A row whose cells are formatted by `cols` rather than the sheet's columns."""
        self.ws.append([self._cell(c, v, status=status) for c, v in zip(cols, values, strict=True)])
        self.rows += 1

    def total(self, values):
        self.row(values, font=BOLD)

    def empty(self, text="（无）"):
        self.ws.append([safe_cell(self.ws, text)])
