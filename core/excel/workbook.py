"""The one workbook engine: every spreadsheet the system writes (exports, import templates,
report workbooks) is a `Workbook` of streamed sheets, or a `table` when it is one list.

    book = Workbook()                    # in memory; Workbook(path) writes a file
    sheet = book.sheet("汇总", title="…", columns=[("项目名称", 36), ("总投资(万元)", 16)],
                       kinds=[None, "money"])
    sheet.append([project.name, project.total_investment])
    data = book.close()                  # bytes (None when written to a path)

Safety (SPEC §5): a str is only ever written as an inline string, never a formula, exactly
as typed (no apostrophe added), so `=HYPERLINK(…)`, `+cmd|…` stay text and an export imports
back unchanged; control characters xlsx cannot hold are dropped, a CR becomes a line break.
Numbers and dates stay typed. There is no way to write a formula.

Rows are written as XlsxWriter's row XML by hand (`stream.StreamedSheet.append`), which
bench/pages.py measured to take the city's ledger export from 2.98 s to 1.47 s and the
problem export from 0.87 s to 0.47 s (bench/RESULTS.md; targets 3 s and 1 s).
That code copies private parts of XlsxWriter: `XLSXWRITER_VERSION` is the release it was
checked against, and a test fails when another one is installed.
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from core.excel.stream import StreamedSheet, new_book

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSXWRITER_VERSION = "3.3.1"


class Workbook:
    """An xlsx file of sheets added in order, each written row by row in flat memory."""

    def __init__(self, path=None):
        self._buffer = None if path else io.BytesIO()
        self._book = new_book(path or self._buffer)

    def sheet(self, name, *, title, columns, **options) -> StreamedSheet:
        """A new sheet: title row, optional `lead` text, header, then `append`ed rows.

        `columns`: (label, width) pairs, units in the labels (万元, %); options: `kinds`
        (number format per column: money, area, date, text, pct, count), `lead`, `border`
        (every data cell framed), `freeze` and `freeze_cols`, `header_fill`, `merge_title`,
        `header_height` (see `StreamedSheet`)."""
        return StreamedSheet(sheet=name, title=title, columns=columns, book=self._book, **options)

    def close(self) -> bytes | None:
        self._book.close()
        return self._buffer.getvalue() if self._buffer is not None else None


def table(*, title, sheet, headers, rows, money_columns=(), widths=None) -> bytes:
    """A one-sheet list export: title row, header row, frozen header, number formats.

    `headers` are labels (units in them, e.g. "R(%)"); `rows` are lists of plain values;
    dates get the date format, `money_columns` (indexes) the money format."""
    book = Workbook()
    money = set(money_columns)
    out = book.sheet(
        sheet,
        title=title,
        columns=[(h, (widths or {}).get(j, 14)) for j, h in enumerate(headers)],
        kinds=["money" if j in money else None for j in range(len(headers))],
    )
    for values in rows:
        out.append(values)
    return book.close()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook as a download named `filename` (Chinese names kept, RFC 5987)."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
