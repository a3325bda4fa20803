"""Read messy real spreadsheets (.xlsx, .xls, .ods) into rows keyed by template column.

python-calamine reads all three formats quickly. Before it loads anything, the file is
sized (UPLOAD_MAX_BYTES, before it is even read), sniffed (empty, not a spreadsheet,
encrypted) and, for the zip formats, bounded by core.excel.guard (unzipped size,
compression ratio, rows, columns, cell text) by streaming the zip, so a hostile file is
refused without ever being loaded into memory. This module is the one entry point of both
the ledger and the progress import.
"""

import io
import os
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine
from django.conf import settings

from core.excel import guard, values
from core.excel.guard import MSG_CORRUPT, too_many_rows
from core.excel.schema import (
    AREA,
    CHOICE,
    DATE,
    INT,
    MONEY,
    MONTH,
    SPAN,
    UNIT_FACTORS,
    normalise,
)

MAGIC_ZIP = b"PK\x03\x04"
MAGIC_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SCAN_ROWS = 30
SUPPORTED = "支持 .xlsx、.xls、.ods 格式"
MSG_NOT_SHEET = f"文件无法读取：不是Excel表格文件（{SUPPORTED}）"
MSG_ENCRYPTED = "文件已加密（设置了打开密码），请取消密码后另存再导入"
_TOTAL_WORDS = ("合计", "小计", "总计", "累计合计")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SUB_NUMBER = re.compile(r"^[\d.．、\-－)）]+$")
_SECTION = re.compile(r"^([一二三四五六七八九十百]+|\d+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)[、.．)）]")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user (Chinese)."""


def max_rows():
    return settings.IMPORT_MAX_ROWS


def max_bytes():
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


@dataclass
class SheetData:
    name: str
    header_row: int  # 1-based, as Excel shows it
    columns: dict  # key -> (column index, unit or None)
    rows: list = field(default_factory=list)  # [(row number, {key: raw value})]
    year_hint: int | None = None
    titles: list = field(default_factory=list)  # texts above the header (title, unit)
    # row number → the group headings above it, outermost first ("一、续建项目", "（一）工业")
    groups: dict = field(default_factory=dict)


@dataclass
class WorkbookData:
    sheets: list
    skipped: list  # sheet names without a recognisable header

    @property
    def rows_total(self):
        return sum(len(s.rows) for s in self.sheets)

    @property
    def year_hint(self):
        return next((s.year_hint for s in self.sheets if s.year_hint), None)


def _too_big(size):
    return ImportFileError(
        f"文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes() // 1048576} MB"
    )


def _size(source):
    """The size of a path, file or bytes, without reading it."""
    if isinstance(source, (bytes, bytearray)):
        return len(source)
    if getattr(source, "size", None) is not None:
        return source.size
    if hasattr(source, "seek") and hasattr(source, "tell"):
        source.seek(0, os.SEEK_END)
        size = source.tell()
        source.seek(0)
        return size
    return os.path.getsize(source)


def _read_bytes(source):
    if (size := _size(source)) > max_bytes():
        raise _too_big(size)  # a 10 GB file on the command line is never read in
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes() + 1)
        return data if isinstance(data, bytes) else data.encode()
    with open(source, "rb") as fh:
        return fh.read(max_bytes() + 1)


def sniff(data):
    """'xlsx' | 'ods' | 'xls', or ImportFileError with the reason."""
    if not data:
        raise ImportFileError("文件为空，请选择填写好的Excel文件")
    if len(data) > max_bytes():
        raise _too_big(len(data))
    if data.startswith(MAGIC_CFB):
        # An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream.
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data:
            raise ImportFileError(MSG_ENCRYPTED)
        return "xls"
    if data.startswith(MAGIC_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                small = "mimetype" in names and zf.getinfo("mimetype").file_size < 200
                if small and b"spreadsheet" in zf.read("mimetype"):
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except Exception:  # zipfile raises BadZipFile, EOFError, ValueError… on broken files
            raise ImportFileError(MSG_CORRUPT) from None
    raise ImportFileError(MSG_NOT_SHEET)


def check_file(source):
    """Every bound that can be checked without parsing: (bytes, kind) or ImportFileError.

    The upload forms call it too, so a hostile file is refused with a 400 at once.
    """
    data = _read_bytes(source)
    kind = sniff(data)
    if kind in ("xlsx", "ods"):
        try:
            guard.check_zip(data, kind)
        except guard.LimitError as exc:
            raise ImportFileError(str(exc)) from None
    return data, kind


def _open(data, kind):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ImportFileError(MSG_ENCRYPTED) from None
    except Exception as exc:  # calamine raises several error types for broken files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFileError(MSG_ENCRYPTED) from None
        raise ImportFileError(MSG_CORRUPT) from None


def _load_rows(wb, idx, name, kind):
    try:
        sheet = wb.get_sheet_by_index(idx)
        if kind == "xls":
            # .xls is not zipped (its size bounds its text), but one cell far out (IV65536)
            # still makes a big grid of blanks: bound rows × columns before converting.
            guard.check_grid(name, sheet.height, sheet.width)
        rows = sheet.to_python(skip_empty_area=False)
        if kind == "xls":
            guard.check_cells(name, rows)
    except python_calamine.PasswordError:
        raise ImportFileError(MSG_ENCRYPTED) from None
    except guard.LimitError as exc:
        raise ImportFileError(str(exc)) from None
    except Exception:  # a sheet calamine cannot decode: a broken file, not a server error
        raise ImportFileError(MSG_CORRUPT) from None
    return rows


def _cell_text(value):
    return normalise(values.to_text(value)) if not values.is_blank(value) else ""


def find_header(rows, schema):
    """(row index, {key: (col, unit)}) of the first row naming the schema's key columns."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for j, cell in enumerate(row):
            if values.is_blank(cell) or not isinstance(cell, str):
                continue
            key, unit = schema.match(cell)
            if key and key not in found:
                found[key] = (j, unit)
        if len(found) >= 3 and all(k in found for k in schema.key_columns):
            return i, found
    return None, None


def _title_unit(rows):
    """'单位：亿元' in a title row applies to money columns whose header has no unit."""
    for row in rows:
        for cell in row:
            text = _cell_text(cell)
            if "单位" in text:
                for unit in ("亿元", "万元"):
                    if unit in text:
                        return unit
    return None


def _year_hint(rows):
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and (m := _YEAR.search(cell)):
                return int(m.group(1))
    return None


def _heading(row):
    """The text of a group heading row ('一、产业项目（12项）', '（二）基础设施类'), else None.

    The first filled cell starts with a numbering and goes on with words; a project row's
    first cell is its 序号 alone ('1', '1、')."""
    for cell in row[:4]:
        if values.is_blank(cell):
            continue
        text = values.to_text(cell).strip()
        m = _SECTION.match(text.lstrip("(（"))
        rest = text.lstrip("(（")[m.end() :].strip() if m else ""
        # "1.1", "一.2", "2-3": a hierarchical 序号 of a project row, not a heading
        return text if rest and not _SUB_NUMBER.match(rest) else None
    return None


def _heading_depth(text) -> int:
    """How deep a heading sits in the usual numbering of Chinese lists: 一、 (1) › （一） (2)
    › 1. (3) › （1） (4); a heading opens a group inside any shallower one."""
    bracketed = text[:1] in "(（"
    chinese = _SECTION.match(text.lstrip("(（")).group(1)[0] in "一二三四五六七八九十百ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
    return (1 if chinese else 3) + (1 if bracketed else 0)


def _is_skip_row(row, columns):
    """Blank rows, 合计/小计 rows, repeated headers and section rows ('一、产业项目')."""
    filled = [(j, c) for j, c in enumerate(row) if not values.is_blank(c)]
    if not filled:
        return True
    for _j, c in filled[:4]:
        text = _cell_text(c)
        if any(w in text for w in _TOTAL_WORDS):
            return True
    if len(filled) == 1:
        j, c = filled[0]
        text = values.to_text(c)
        name_col = columns.get("name", (None,))[0]
        code_col = columns.get("code", (None,))[0]
        if j not in (name_col, code_col) or _SECTION.match(text):
            return True
    return False


# Under a header spanning two columns, the sub-column holding the year's figure.
_WHOLE_YEAR = ("全年", "年度", "合计")


def _merge_sub_header(rows, idx, columns, schema) -> bool:
    """A two-row header ("2026年计划投资" over "上半年 | 全年"): bind a column spanning several
    sub-columns to its whole-year one, take columns named only in the second row, and say
    whether that row is a sub-header: words only, nothing under the key columns, some of
    them under the blank cells of a merged header."""
    if idx + 1 >= len(rows):
        return False
    top, sub = rows[idx], rows[idx + 1]
    texts = {j: values.to_text(c).strip() for j, c in enumerate(sub) if not values.is_blank(c)}
    keys = {columns[k][0] for k in schema.key_columns if k in columns}
    under_merged = any(j >= len(top) or values.is_blank(top[j]) for j in texts)
    if not texts or keys & texts.keys() or not under_merged:
        return False
    if any(not isinstance(sub[j], str) or _numeric(sub[j]) for j in texts):
        return False
    for key, (j, unit) in list(columns.items()):
        span = [j]
        while span[-1] + 1 < len(top) and values.is_blank(top[span[-1] + 1]):
            span.append(span[-1] + 1)
        whole = [k for k in span if any(w in normalise(texts.get(k, "")) for w in _WHOLE_YEAR)]
        if len(span) > 1 and whole:
            columns[key] = (whole[0], unit)
    for j, text in texts.items():
        if j >= len(top) or values.is_blank(top[j]):
            key, unit = schema.match(text)
            if key and key not in columns:
                columns[key] = (j, unit)
    return True


def _numeric(text) -> bool:
    try:
        return values.to_decimal(text) is not None
    except values.CellError:
        return False


def _unread_rows(rows, sheet) -> int:
    """Visible rows below the header that are neither data nor a total line."""
    count = 0
    for row in rows[sheet.header_row :]:
        if row is None:
            continue
        filled = [c for c in row if not values.is_blank(c)]
        if filled and not any(w in _cell_text(c) for c in filled[:4] for w in _TOTAL_WORDS):
            count += 1
    return count


def read_sheet(name, rows, schema, row_offset=0):
    header_idx, columns = find_header(rows, schema)
    if header_idx is None:
        return None
    above = rows[:header_idx]
    default_unit = _title_unit(above)
    for key, (j, unit) in list(columns.items()):
        if schema.by_key[key].kind == MONEY and unit is None and default_unit:
            columns[key] = (j, default_unit)
    sheet = SheetData(
        name=name,
        header_row=header_idx + 1 + row_offset,
        columns=columns,
        year_hint=_year_hint(above),
    )
    sheet.titles = [values.to_text(c) for r in above for c in r if not values.is_blank(c)]
    header_texts = {j: _cell_text(rows[header_idx][j]) for j, _u in columns.values()}
    first = header_idx + (2 if _merge_sub_header(rows, header_idx, columns, schema) else 1)
    group = []  # (level, text) of the headings in force, outermost first
    for i in range(first, len(rows)):
        row = rows[i]
        heading = _heading(row)
        if heading is not None:
            depth = _heading_depth(heading)
            group = [g for g in group if g[0] < depth] + [(depth, heading)]
            continue
        if _is_skip_row(row, columns):
            continue
        if all(_cell_text(row[j]) == t for j, t in header_texts.items() if j < len(row)):
            continue  # the header repeated (printed page breaks)
        raw = {key: (row[j] if j < len(row) else None) for key, (j, _u) in columns.items()}
        sheet.rows.append((i + 1 + row_offset, raw))
        # The raw row is not needed again: freeing it as we go keeps a 50,000-row sheet
        # from being held twice (as read and keyed by column) at the import's peak.
        rows[i] = None
        if group:
            sheet.groups[i + 1 + row_offset] = tuple(text for _d, text in group)
    return sheet


def read_workbook(source, schema):
    """Every sheet of the workbook with a recognisable header, rows keyed by column."""
    data, kind = check_file(source)
    wb = _open(data, kind)
    sheets, skipped = [], []
    try:
        for idx, sheet_name in enumerate(wb.sheet_names):
            rows = _load_rows(wb, idx, sheet_name, kind)
            parsed = read_sheet(sheet_name, rows, schema)
            if parsed is None:
                if any(any(not values.is_blank(c) for c in r) for r in rows):
                    skipped.append(sheet_name)
                continue
            if not parsed.rows and (unread := _unread_rows(rows, parsed)):
                raise ImportFileError(
                    f"工作表“{sheet_name}”第{parsed.header_row}行是表头，其下有{unread}行内容，"
                    "但没有一行能识别为项目数据：请检查序号、项目名称等列是否与表头对齐"
                )
            sheets.append(parsed)
    finally:
        wb.close()
    if not sheets:
        if not skipped:
            raise ImportFileError("文件中没有数据")
        wanted = "、".join(f"“{schema.by_key[k].label}”" for k in schema.key_columns)
        raise ImportFileError(
            f"没有找到表头：每个工作表的前{HEADER_SCAN_ROWS}行中都没有包含{wanted}等列的表头行，"
            "请使用导入模板"
        )
    result = WorkbookData(sheets=sheets, skipped=skipped)
    if result.rows_total > max_rows():
        raise ImportFileError(too_many_rows(max_rows()))
    return result


def parse_cell(column, unit, raw, choices=None, field=None):
    """Convert one raw cell by column kind; blank → None. Raises values.CellError.

    `field` is the model field the value will be stored in: the value must fit it.
    """
    if values.is_blank(raw):
        return None
    return values.check_limits(_convert(column, unit, raw, choices), field, raw)


def _convert(column, unit, raw, choices):
    kind = column.kind
    if kind == MONEY:
        return values.to_decimal(raw, UNIT_FACTORS.get(unit or "万元", 1))
    if kind == AREA:
        return values.to_decimal(raw)
    if kind == INT:
        return values.to_int(raw)
    if kind == DATE:
        return values.to_date(raw)
    if kind == MONTH:
        return values.to_month(raw)
    if kind == SPAN:
        return values.span_months(raw)
    text = values.to_text(raw)
    if kind == CHOICE and choices is not None:
        key = normalise(text)
        if key not in choices:
            allowed = "、".join(dict.fromkeys(choices.values_labels))
            raise values.CellError(f"无法识别 “{values.shown(text)}”（可填：{allowed}）")
        return choices[key]
    return text
