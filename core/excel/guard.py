"""Bounds on an uploaded spreadsheet, checked before anything parses it.

A 311 KB .xlsx can hold a 300 MB string (deflate shrinks repeated text a thousandfold) or a
cell at XFD1048576 (the reader would fill a 17-billion-cell grid). So, before python-calamine
loads a .xlsx/.ods, this module:

1. reads the zip directory (no inflating): member count, total unzipped size
   (IMPORT_MAX_UNZIPPED_BYTES), how much one member inflates (IMPORT_MAX_ZIP_RATIO);
2. inflates every member itself, in 1 MB pieces, stopping as soon as it yields more than
   the directory declared (a forged directory cannot fool it) and checking its CRC;
3. streams the sheet XML through expat (nothing kept but counters): rows, the last row and
   column used, the longest cell text (IMPORT_MAX_CELL_CHARS) and the total text the cells
   would expand to (IMPORT_MAX_TEXT_CHARS; a 2,000-character shared string referenced by
   a million cells is 2 billion characters once loaded).

.xls (BIFF) is not compressed: its file size (UPLOAD_MAX_BYTES) bounds what it can expand to.
"""

import html
import io
import re
import struct
import zipfile
import zlib
from array import array
from xml.parsers import expat

from django.conf import settings

CHUNK = 1 << 20
RATIO_FROM_BYTES = 1 << 20  # small members may compress well (empty styled rows)
MAX_MEMBERS = 10_000
# Columns a sheet may use: the templates have 20, real ledgers up to ~40. Bounds the grid
# the reader allocates (rows × columns) whatever the cells' addresses say.
MAX_COLUMNS = 64
HEADER_ROWS = 30  # rows above the data a sheet may have (titles, header), as the reader scans

MSG_CORRUPT = "文件无法读取：文件已损坏或不完整，请用Excel打开后重新保存再导入"
MSG_HOSTILE = "文件无法读取：文件解压后异常膨胀（压缩比过高），可能不是正常保存的Excel文件"


class LimitError(Exception):
    """The file exceeds a bound; the message is for the user (Chinese)."""


def setting(name, default):
    return getattr(settings, name, default)


def max_rows():
    return settings.IMPORT_MAX_ROWS


def too_many_rows(limit):
    return f"文件数据超过{limit:,}行的上限，请拆分成多个文件分批导入"


def _col_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


def _split_ref(ref):
    """'C12' → (12, 3); None when malformed."""
    m = _REF.match(ref or "")
    return (int(m.group(2)), _col_number(m.group(1))) if m else None


# -- the zip directory and the members' real sizes -------------------------------------------


def _entry_count(data):
    """Members announced by the end-of-central-directory record (before zipfile builds
    one object per member)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        raise LimitError(MSG_CORRUPT)
    return struct.unpack("<H", data[at + 10 : at + 12])[0]


def check_directory(data, zf):
    if _entry_count(data) > MAX_MEMBERS:
        raise LimitError(MSG_HOSTILE)
    limit = setting("IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
    ratio = setting("IMPORT_MAX_ZIP_RATIO", 100)
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > RATIO_FROM_BYTES and info.file_size > ratio * max(
            info.compress_size, 1
        ):
            raise LimitError(MSG_HOSTILE)
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise LimitError(MSG_CORRUPT)
    if total > limit:
        raise LimitError(
            f"文件无法读取：解压后约{total / 1048576:.0f} MB，超过{limit // 1048576} MB的上限，"
            "请删除多余的工作表、图片后再导入"
        )


def inflate(data, info):
    """Yield a member's bytes as its deflate stream really expands, at most as declared."""
    (name_len, extra_len) = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise LimitError(MSG_CORRUPT)
    produced, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
    else:
        pieces = _deflate_pieces(raw)
    for piece in pieces:
        produced += len(piece)
        if produced > info.file_size:
            raise LimitError(MSG_HOSTILE)  # the directory lied about the size
        crc = zlib.crc32(piece, crc)
        yield piece
    if produced != info.file_size or crc != info.CRC:
        raise LimitError(MSG_CORRUPT)


def _deflate_pieces(raw):
    d = zlib.decompressobj(-15)
    try:
        for i in range(0, len(raw), 64 * 1024):
            buf = raw[i : i + 64 * 1024]
            while buf:
                # At most 1 MB out per call: a bomb never sits in memory whole.
                out = d.decompress(buf, CHUNK)
                buf = d.unconsumed_tail
                if out:
                    yield out
        if tail := d.flush():
            yield tail
    except zlib.error:
        raise LimitError(MSG_CORRUPT) from None
    if not d.eof:
        raise LimitError(MSG_CORRUPT)


# -- the sheet XML -----------------------------------------------------------------------------


class _Budget:
    """Counters shared by every sheet of one workbook."""

    def __init__(self):
        self.max_chars = setting("IMPORT_MAX_CELL_CHARS", 2000)
        self.max_text = setting("IMPORT_MAX_TEXT_CHARS", 20_000_000)
        self.row_limit = max_rows() + HEADER_ROWS
        self.rows = 0
        self.text = 0

    def add_rows(self, n, last_row):
        self.rows += n
        if self.rows > self.row_limit or last_row > self.row_limit:
            raise LimitError(too_many_rows(max_rows()))

    def add_cell(self, where, chars, times=1):
        if chars > self.max_chars:
            raise LimitError(
                f"{where}的文字有{chars:,}个字，超过{self.max_chars:,}个字的上限，请删减后再导入"
            )
        self.add_text(chars * times)

    def add_text(self, chars):
        self.text += chars
        if self.text > self.max_text:
            raise LimitError(
                f"文件的文字总量超过{self.max_text:,}个字的上限，请拆分成多个文件分批导入"
            )

    def check_column(self, where, col):
        if col > MAX_COLUMNS:
            raise LimitError(f"{where}超出了第{MAX_COLUMNS}列，请删除表格右侧多余的列后再导入")


def _local(name):
    """Local part of a namespaced expat name ('uri local' → 'local')."""
    return name.rpartition(" ")[2]


def _attr(attrs, local, default=None):
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return default


def _int_attr(attrs, local):
    value = _attr(attrs, local, "1")
    return int(value) if value.isdigit() else 1


def _parse(pieces, start, end, chars):
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    parser.EndElementHandler = lambda name: end(_local(name))
    parser.CharacterDataHandler = chars
    try:
        for piece in pieces:
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise LimitError(MSG_CORRUPT) from None


# .xlsx XML is scanned with bytes regexes over 1 MB pieces cut at element boundaries (C
# speed: a 50,000-row sheet in about a second); ODS, rarer, goes through expat below.
PIECE_CARRY = 4 << 20  # no row or shared string of a bounded file is this long
_SI_END = re.compile(rb"</(?:\w+:)?si>")
_SI = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>", re.S)
_RPH_OR_TAG = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>|<[^>]*>", re.S)
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_SHARED_CELL = re.compile(rb't="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3}\d+)"')


def _text_len(xml):
    """Characters of an XML fragment's text (entities decoded)."""
    return len(html.unescape(_RPH_OR_TAG.sub(b"", xml).decode("utf-8", "replace")))


def _last_end(buf, end_re, skip):
    """End of the last match of end_re in buf (searching back from the end), or None."""
    at = len(buf)
    while at > skip - 16:
        start = max(0, at - 65536, skip - 16)
        matches = list(end_re.finditer(buf, start, min(len(buf), at + 16)))
        if matches:
            return matches[-1].end()
        if start <= max(0, skip - 16):
            return None
        at = start
    return None


def _blocks(pieces, end_re, too_long):
    """Whole elements at a time: each block ends at the last `end_re` of what was read."""
    carry = b""
    for piece in pieces:
        buf = carry + piece
        end = _last_end(buf, end_re, len(carry))
        if end is None:
            carry = buf
        else:
            yield buf[:end]
            carry = buf[end:]
        if len(carry) > PIECE_CARRY:
            raise LimitError(too_long)
    if carry:
        yield carry


def scan_shared_strings(pieces, budget):
    """Length of every shared string (phonetic runs excluded, as the reader drops them)."""
    lengths = array("L")
    too_long = f"文件中有单元格的文字超过{budget.max_chars:,}个字的上限，请删减后再导入"
    for block in _blocks(pieces, _SI_END, too_long):
        for m in _SI.finditer(block):
            n = _text_len(m.group(1))
            lengths.append(n)
            # The reader keeps every shared string once: that counts as text.
            budget.add_text(n)
    return lengths


def _digits_above(n):
    """Regex of the decimal numbers greater than n (no leading zeros)."""
    s = str(n)
    alts = [rf"[1-9]\d{{{len(s)},}}"]
    for i, ch in enumerate(s):
        if ch != "9":
            alts.append(rf"{s[:i]}[{int(ch) + 1}-9]\d{{{len(s) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")"


def _letters_above(n):
    """Regex of the column letters after column n (A=1 … XFD=16384)."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    alts = [rf"[A-Z]{{{len(letters) + 1},3}}"]
    for i, ch in enumerate(letters):
        if ch != "Z":
            alts.append(rf"{letters[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{len(letters) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")"


def scan_xlsx_sheet(pieces, label, shared, budget):
    too_long = f"工作表“{label}”中有单元格的文字超过{budget.max_chars:,}个字的上限，请删减后再导入"
    long_run = re.compile(rb">([^<]{%d,})<" % budget.max_chars)
    # Rows and columns past the limits, wherever an address says so (row or cell).
    far = re.compile(
        (
            rf'r="(?:[A-Z]{{1,3}}{_digits_above(budget.row_limit)}|{_letters_above(MAX_COLUMNS)}\d+)"'
        ).encode()
    )
    row_too_far = re.compile(
        (rf'<(?:\w+:)?row\b[^>]*\br="{_digits_above(budget.row_limit)}"').encode()
    )
    long_ids = {i for i, n in enumerate(shared) if n > budget.max_chars}
    for block in _blocks(pieces, _ROW_END, too_long):
        budget.add_rows(len(_ROW.findall(block)), 0)
        if row_too_far.search(block):
            raise LimitError(too_many_rows(max_rows()))
        if m := far.search(block):
            ref = m.group(0)[3:-1].decode()
            if _split_ref(ref)[0] > budget.row_limit:
                raise LimitError(too_many_rows(max_rows()))
            budget.check_column(f"工作表“{label}”单元格{ref}", MAX_COLUMNS + 1)
        for m in long_run.finditer(block):
            n = _text_len(m.group(1))
            if n > budget.max_chars:
                budget.add_cell(_cell_at(block, m.start(), label), n)
        indexes = [int(i) for i in _SHARED_CELL.findall(block)]
        try:
            # The reader copies the shared string into every cell that uses it.
            budget.add_text(sum(map(shared.__getitem__, indexes)))
        except IndexError:
            raise LimitError(MSG_CORRUPT) from None
        if long_ids and (bad := next((i for i in indexes if i in long_ids), None)) is not None:
            at = re.search(rb"<v>\s*%d\s*<" % bad, block).start()
            budget.add_cell(_cell_at(block, at, label), shared[bad])


def _cell_at(block, at, label):
    start = block.rfind(b"<c ", 0, at)
    ref = _REF_ATTR.search(block, start) if start >= 0 else None
    return f"工作表“{label}”单元格{ref.group(1).decode() if ref else ''}"


def scan_ods_content(pieces, budget):
    """content.xml: repeated rows and columns count as many times as the reader expands them."""
    state = {"sheet": "", "row": 0, "rows_rep": 1, "col": 0, "cols_rep": 1, "chars": 0,
             "in_cell": False, "has": False, "row_has": False}  # fmt: skip

    def start(name, attrs):
        if name == "table":
            state.update(sheet=_attr(attrs, "name", ""), row=0)
        elif name == "table-row":
            state.update(rows_rep=_int_attr(attrs, "number-rows-repeated"), col=0, row_has=False)
        elif name in ("table-cell", "covered-table-cell"):
            state.update(cols_rep=_int_attr(attrs, "number-columns-repeated"), chars=0,
                         in_cell=True, has=_attr(attrs, "value-type") is not None)  # fmt: skip
            state["chars"] += len(_attr(attrs, "string-value", ""))
        elif name == "s" and state["in_cell"]:
            state["chars"] += _int_attr(attrs, "c")  # <text:s text:c="n"/>: n spaces

    def end(name):
        if name in ("table-cell", "covered-table-cell"):
            state["in_cell"] = False
            last_col = state["col"] + state["cols_rep"]
            if state["chars"] or state["has"]:
                state["row_has"] = True
                where = f"工作表“{state['sheet']}”第{state['row'] + 1}行第{last_col}列"
                budget.check_column(where, last_col)
                budget.add_cell(where, state["chars"], state["cols_rep"] * state["rows_rep"])
            state["col"] = last_col
        elif name == "table-row":
            if state["row_has"]:
                budget.add_rows(state["rows_rep"], state["row"] + state["rows_rep"])
            state["row"] += state["rows_rep"]

    def chars(text):
        if state["in_cell"]:
            state["chars"] += len(text)

    _parse(pieces, start, end, chars)


# -- the workbook ------------------------------------------------------------------------------


def _small_text(data, info):
    if info is None or info.file_size > CHUNK:
        return ""
    return b"".join(inflate(data, info)).decode("utf-8", "replace")


def _xlsx_sheets(data, infos):
    """{member path: sheet name} for every sheet the workbook points to."""
    names = dict(re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"',
                            _small_text(data, infos.get("xl/workbook.xml"))))  # fmt: skip
    by_id = {rid: name for name, rid in names.items()}
    sheets = {}
    rels = _small_text(data, infos.get("xl/_rels/workbook.xml.rels"))
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]*)"', tag)
        target = re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target and "worksheet" in tag:
            path = target.group(1)
            path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            sheets[path] = by_id.get(rid.group(1), path)
    for path in infos:
        if re.match(r"xl/worksheets/[^/]+\.xml$", path):
            sheets.setdefault(path, path.rsplit("/", 1)[-1])
    return sheets


def check_zip(data, kind):
    """Refuse a .xlsx/.ods (bytes) beyond the bounds, with a Chinese LimitError."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = {i.filename: i for i in zf.infolist()}
    except (zipfile.BadZipFile, ValueError, EOFError, struct.error, NotImplementedError):
        raise LimitError(MSG_CORRUPT) from None
    check_directory(data, zf)
    budget = _Budget()
    scanned = set()
    if kind == "xlsx":
        sst = infos.get("xl/sharedStrings.xml")
        shared = scan_shared_strings(inflate(data, sst), budget) if sst else array("L")
        scanned.add("xl/sharedStrings.xml")
        for path, label in _xlsx_sheets(data, infos).items():
            if path in infos and path not in scanned:
                scan_xlsx_sheet(inflate(data, infos[path]), label, shared, budget)
                scanned.add(path)
    elif "content.xml" in infos:
        scan_ods_content(inflate(data, infos["content.xml"]), budget)
        scanned.add("content.xml")
    for path, info in infos.items():
        if path not in scanned:
            for _piece in inflate(data, info):
                pass  # sizes and CRC: what the reader will inflate is what was declared


def check_grid(label, height, width):
    """Rows × columns of a loaded sheet (.xls), before it is converted to Python."""
    if height > max_rows() + HEADER_ROWS:
        raise LimitError(too_many_rows(max_rows()))
    if width > MAX_COLUMNS:
        raise LimitError(f"工作表“{label}”超出了第{MAX_COLUMNS}列，请删除表格右侧多余的列后再导入")


def check_cells(label, rows):
    """Cell text of a loaded sheet (.xls: its size already bounds the total)."""
    limit = setting("IMPORT_MAX_CELL_CHARS", 2000)
    for i, row in enumerate(rows, start=1):
        for j, cell in enumerate(row, start=1):
            if isinstance(cell, str) and len(cell) > limit:
                raise LimitError(
                    f"工作表“{label}”第{i}行第{j}列的文字有{len(cell):,}个字，"
                    f"超过{limit:,}个字的上限，请删减后再导入"
                )
