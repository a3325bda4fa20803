"""The report workbooks (SPEC §3.4): exactly the sheets the spec names, every number taken
from assessments (metrics, selectors, scoring, rates, records, summary), written row by
row by the workbook engine (core.excel.workbook) so memory stays flat as the city grows.

Every sheet: a title row with the report name and period, units in the headers (万元, %), a
frozen header, column widths, number formats, a 合计 row equal to the sum of the rows where
summing means something, 红黄绿 fills on status cells; text is always text, never a formula.
"""

from decimal import Decimal

from assessments.choices import STATUS_COLOUR

# The engine's number formats a report column takes (other kinds are plain cells).
NUMBER_KINDS = ("money", "pct", "count", "date")
FILLS = {"red": "#FFC7CE", "yellow": "#FFEB9C", "green": "#C6EFCE", "grey": "#EDEDED"}


class Col:
    """A column: its header (with the unit), width and kind (text, money, pct, count, date,
    status — a status cell is filled 红黄绿 by its value)."""

    def __init__(self, label, width=12, kind="text"):
        self.label, self.width, self.kind = label, width, kind

    @property
    def number_kind(self):
        return self.kind if self.kind in NUMBER_KINDS else None


def status_fill(status):
    colour = STATUS_COLOUR.get(status)
    return FILLS.get(colour)


class Sheet:
    """One report sheet on the workbook engine (core.excel.workbook): title, optional lead
    text, header, framed rows, an optional 合计 row."""

    def __init__(self, wb, name, title, cols, *, lead=""):
        self.cols = cols
        self.out = wb.sheet(
            name,
            title=title,
            columns=[(c.label, c.width) for c in cols],
            kinds=[c.number_kind for c in cols],
            lead=lead,
            border=True,
            header_height=None,
        )
        self.rows = 0

    @staticmethod
    def _values(cols, values):
        out = []
        for col, value in zip(cols, values, strict=True):
            if col.kind == "status" and value is not None and not isinstance(value, str):
                value = str(value)
            if isinstance(value, Decimal) and col.kind == "pct":
                value = value.quantize(Decimal("0.01"))
            out.append(value)
        return out

    @staticmethod
    def _fills(cols, status):
        """The status colour on the row's status cells (None: no fill anywhere)."""
        colour = status_fill(status)
        return tuple(colour if c.kind == "status" else None for c in cols) if colour else None

    def row(self, values, *, status=None, bold=False):
        """`status`: the Status value whose colour fills this row's status cells."""
        self.out.append(self._values(self.cols, values), fill=self._fills(self.cols, status),
                        bold=bold)  # fmt: skip
        self.rows += 1

    def cells(self, values, cols, *, status=None):
        """A row whose cells are formatted by `cols` rather than the sheet's columns."""
        self.out.append(self._values(cols, values), fill=self._fills(cols, status),
                        kinds=[c.number_kind for c in cols])  # fmt: skip
        self.rows += 1

    def total(self, values):
        self.row(values, bold=True)

    def empty(self, text="（无）"):
        self.out.note(text)
