"""Defect 6: bounds checked before a spreadsheet is parsed (registry/excel/guard.py)."""

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.excel import guard
from core.excel.reader import ImportFileError, check_file, read_workbook
from registry.excel.headers import LEDGER
from registry.tests.fixtures import hostile
from registry.tests.fixtures.workbooks import TEMPLATE_HEADER, row, simple_ledger, to_bytes

FIXTURES = Path(__file__).parents[2] / "registry" / "tests" / "fixtures"


def _refused(data, match):
    with pytest.raises(ImportFileError, match=match):
        read_workbook(data, LEDGER)


def _peak(func):
    tracemalloc.start()
    try:
        func()
    finally:
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_huge_string_refused_from_the_zip_directory():
    data = hostile.huge_string_xlsx(mb=300)
    assert len(data) < 1024 * 1024  # the probe's file: 311 KB for 300 MB
    peak = _peak(lambda: _refused(data, "压缩比过高"))
    assert peak < 20 * 1024 * 1024  # nothing was inflated


def test_huge_string_refused_while_streaming_when_ratio_allowed(settings):
    # given limits that let the directory pass: the scan itself must stay bounded
    settings.IMPORT_MAX_ZIP_RATIO = 10**6
    settings.IMPORT_MAX_UNZIPPED_BYTES = 10**12
    data = hostile.huge_string_xlsx(mb=60)
    peak = _peak(lambda: _refused(data, "文字超过2,000个字的上限"))
    assert peak < 40 * 1024 * 1024


def test_unzipped_size_limit(settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 10_000
    _refused(simple_ledger([row(name=f"项目{i}") for i in range(200)]), "解压后约0 MB，超过0 MB")


def _lie_about_size(data, member, declared):
    """The zip with `member`'s uncompressed size rewritten in both headers."""
    buf = bytearray(data)
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(member)
    struct.pack_into("<I", buf, info.header_offset + 22, declared)  # local header
    name = member.encode()
    at = buf.find(b"PK\x01\x02" + bytes(buf[zf.start_dir + 4 : zf.start_dir + 4]), zf.start_dir)
    while at >= 0:
        name_len = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", buf, at + 24, declared)  # central directory
            break
        at = buf.find(b"PK\x01\x02", at + 46)
    return bytes(buf)


def test_forged_directory_cannot_hide_an_expanding_member():
    # given a sheet that claims 2,000 bytes but inflates to megabytes
    data = simple_ledger([row(name=f"项目{i}", note="备" * 500) for i in range(2000)])
    forged = _lie_about_size(data, "xl/worksheets/sheet1.xml", 2000)
    assert zipfile.ZipFile(io.BytesIO(forged)).getinfo("xl/worksheets/sheet1.xml").file_size == 2000
    # then it is refused as soon as it yields more than declared
    _refused(forged, "文件无法读取")


def _sheet_with(cells):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(TEMPLATE_HEADER)
    ws.append(row(code="G-1"))
    for ref, value in cells.items():
        ws[ref] = value
    return to_bytes(wb)


def test_one_cell_far_away_is_refused_before_the_grid_is_built():
    # a cell at the last row would make the reader fill 1,048,576 rows of blanks
    peak = _peak(lambda: _refused(_sheet_with({"A1048576": "x"}), "超过50,000行的上限"))
    assert peak < 20 * 1024 * 1024


def test_columns_beyond_the_limit_are_refused():
    _refused(_sheet_with({"XFD3": "x"}), "单元格XFD3超出了第64列")
    _refused(_sheet_with({"BM3": "x"}), "单元格BM3超出了第64列")
    assert read_workbook(_sheet_with({"BL3": "x"}), LEDGER).rows_total == 1  # BL is column 64


def test_long_cell_is_named_by_sheet_and_cell(settings):
    settings.IMPORT_MAX_CELL_CHARS = 50
    _refused(
        _sheet_with({"K2": "长" * 51}), "工作表“Sheet”单元格K2的文字有51个字，超过50个字的上限"
    )
    assert read_workbook(_sheet_with({"K2": "长" * 50}), LEDGER).rows_total == 1


def _shared_string_xlsx(refs):
    """Excel-style: every text in sharedStrings, one 1,500-character string used `refs` times."""
    data = hostile.huge_string_xlsx(mb=0)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                body = body.replace(b"<si><t></t></si>", b"<si><t>" + b"x" * 1500 + b"</t></si>")
            elif info.filename == "xl/worksheets/sheet1.xml":
                rows = b"".join(
                    b'<row r="%d"><c r="C%d" t="s"><v>6</v></c></row>' % (n, n)
                    for n in range(3, refs + 3)
                )
                body = body.replace(b"</sheetData>", rows + b"</sheetData>")
            zf.writestr(info.filename, body)
    return out.getvalue()


def test_shared_string_copied_into_many_cells_counts_each_time(settings):
    # the reader copies a shared string into every cell using it
    settings.IMPORT_MAX_TEXT_CHARS = 1_000_000
    _refused(_shared_string_xlsx(700), "文字总量超过1,000,000个字的上限")
    guard.check_zip(_shared_string_xlsx(600), "xlsx")  # 900,000 characters: fine


def _ods_with_repeated_row(times):
    src = zipfile.ZipFile(FIXTURES / "ledger.ods")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "content.xml":
                at = body.rfind(b"<table:table-row", 0, body.rfind(b"office:value-type"))
                body = (
                    body[:at]
                    + b'<table:table-row table:number-rows-repeated="%d"' % times
                    + body[at + len(b"<table:table-row") :]
                )
            compress = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, body, compress_type=compress)
    return out.getvalue()


def test_ods_repeated_rows_count_as_rows():
    _refused(_ods_with_repeated_row(100_000), "超过50,000行的上限")
    check_file(_ods_with_repeated_row(1))


def test_xls_cells_checked_after_loading(settings):
    settings.IMPORT_MAX_CELL_CHARS = 3
    with pytest.raises(guard.LimitError, match="工作表“S”第2行第1列的文字有4个字"):
        guard.check_cells("S", [["abc"], ["abcd"]])
    with pytest.raises(guard.LimitError, match="超出了第64列"):
        guard.check_grid("S", 10, 65)


def test_real_files_pass_the_guard():
    for name in ("ledger.ods", "ledger.xls"):
        check_file((FIXTURES / name).read_bytes())
    check_file(hostile.many_rows_xlsx(2000))


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04" + bytes(100), hostile.png_named_xlsx(), b"\x00" * 10],
    ids=["zip-header-only", "png", "zeros"],
)
def test_unreadable_files_say_so(data):
    _refused(data, "文件无法读取")
