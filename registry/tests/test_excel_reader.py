"""Spreadsheet reader: cell values, headers, formats (.xlsx/.xls/.ods) and bad files."""

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.excel import values
from core.excel.reader import ImportFileError, read_workbook
from core.excel.schema import split_header
from milestones.progress_sheet import PROGRESS
from registry.excel.headers import LEDGER
from registry.ledger_import import ledger_import
from registry.models import Project
from registry.tests.fixtures.workbooks import TEMPLATE_HEADER, row, simple_ledger, to_bytes
from registry.tests.test_ledger_import import snapshot

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


# -- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "factor", "expected"),
    [
        ("1,234.56", 1, "1234.56"),
        ("１２，３４５．６", 1, "12345.60"),
        (" 800 ", 1, "800.00"),
        (0.1 + 0.2, 1, "0.30"),  # float artefact rounded away
        (1234.565, 1, "1234.57"),
        (3, 1, "3.00"),
        ("3.5", D(10000), "35000.00"),  # 亿元 → 万元
        (0.123456, D(10000), "1234.56"),
        (56_000_000, D("0.0001"), "5600.00"),  # 元 → 万元
    ],
)
def test_to_decimal(raw, factor, expected):
    assert values.to_decimal(raw, D(factor)) == D(expected)


@pytest.mark.parametrize("raw", ["约3亿", "abc", "1.2.3", "NaN", "inf"])
def test_to_decimal_rejects_words(raw):
    with pytest.raises(values.CellError, match="不是数字"):
        values.to_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026.3", datetime.date(2026, 3, 1)),
        ("2026.10", datetime.date(2026, 10, 1)),
        (2026.3, datetime.date(2026, 3, 1)),
        (2026.12, datetime.date(2026, 12, 1)),
        ("2026年3月", datetime.date(2026, 3, 1)),
        ("2026年3月15日", datetime.date(2026, 3, 15)),
        ("2026-03-15", datetime.date(2026, 3, 15)),
        ("2026/3/15", datetime.date(2026, 3, 15)),
        ("2026-03-15 00:00:00", datetime.date(2026, 3, 15)),
        ("２０２６－０３－１５", datetime.date(2026, 3, 15)),
        ("20260315", datetime.date(2026, 3, 15)),
        ("2026-03", datetime.date(2026, 3, 1)),
        (46082, datetime.date(2026, 3, 1)),  # Excel serial
        (46082.0, datetime.date(2026, 3, 1)),
        ("46082", datetime.date(2026, 3, 1)),
        (datetime.datetime(2026, 3, 15, 0, 0), datetime.date(2026, 3, 15)),
        (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15)),
    ],
)
def test_to_date_every_form(raw, expected):
    assert values.to_date(raw) == expected


@pytest.mark.parametrize("raw", ["下个月", "2026-13-01", "2026.13", 12, "2026-02-30"])
def test_to_date_rejects(raw):
    with pytest.raises(values.CellError, match="不是有效日期"):
        values.to_date(raw)


def test_to_text_drops_float_zero_of_numbers():
    assert values.to_text(13912345678.0) == "13912345678"
    assert values.to_text(12.5) == "12.5"


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [
        ("总投资（亿元）", "total_investment", "亿元"),
        ("总投资(万元)", "total_investment", "万元"),
        ("总 投 资\n（万元）", "total_investment", "万元"),
        ("计划总投资【亿元】", "total_investment", "亿元"),
        ("项目责任单位", "unit", None),
        ("责任单位", "unit", None),
        ("*项目名称", "name", None),
        ("２０２６年计划投资（万元）", "annual_plan", "万元"),
        ("2026年度计划投资", "annual_plan", None),
        ("县（市、区）", "region", None),
        ("包保领导", "leader", None),
        ("用地面积（亩）", "land_area", "亩"),
        ("ＰＰＰ", None, None),
    ],
)
def test_header_synonyms(header, key, unit):
    assert LEDGER.match(header) == (key, unit)


def test_split_header():
    assert split_header("年度累计完成投资（万元）") == ("年度累计完成投资", "万元")
    assert PROGRESS.match("本月完成投资")[0] == "month_completed"


# -- reader -------------------------------------------------------------------------------


def test_header_found_under_title_rows_and_skip_rows():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2026年重点项目台账"])
    ws.merge_cells("A1:T1")
    ws.append(["（金额单位：亿元）"])
    ws.append([])
    ws.append(TEMPLATE_HEADER[:11] + ["总投资"])
    ws.append(["一、省重点项目"])
    ws.append(row()[:11] + ["2.5"])
    ws.append(["", "", "合计", "", "", "", "", "", "", "", "", 2.5])
    ws.append(["", "", "小 计"])
    ws.append([])
    ws.append(TEMPLATE_HEADER[:11] + ["总投资"])  # repeated header (print layout)
    ws.append(row(name="第二个")[:11] + ["1"])
    result = read_workbook(to_bytes(wb), LEDGER)
    (sheet,) = result.sheets
    assert sheet.header_row == 4 and sheet.year_hint == 2026
    assert sheet.columns["total_investment"] == (11, "亿元")  # unit from the title row
    assert [n for n, _r in sheet.rows] == [6, 11]


def test_xls_file(city):
    data = (FIXTURES / "ledger.xls").read_bytes()
    result = ledger_import(data, file_name="ledger.xls", dry_run=False)
    assert result.errors == []
    p = Project.objects.get(code="2026-XLS-0001")
    assert p.total_investment == D("12500.00")
    assert p.annual_plans.get(year=2026).planned_investment == D("1200.50")
    assert p.planned_start == datetime.date(2026, 4, 1)
    assert p.planned_finish == datetime.date(2027, 6, 1)
    assert p.phone == "13800000001"
    q = Project.objects.get(code="2026-XLS-0002")
    assert q.total_investment == D("5000.00")
    assert q.planned_start == datetime.date(2026, 3, 19)  # serial 46100
    assert q.region == city.county_b
    assert len(result.new) == 2  # the 合计 row is skipped


def test_ods_file(city):
    data = (FIXTURES / "ledger.ods").read_bytes()
    result = ledger_import(data, file_name="ledger.ods", dry_run=False)
    assert result.errors == []
    p = Project.objects.get(code="2026-ODS-0001")
    assert p.total_investment == D("12500.00")
    assert p.annual_plans.get(year=2026).planned_investment == D("1200.50")
    assert p.planned_start == datetime.date(2026, 4, 1)
    q = Project.objects.get(code="2026-ODS-0002")
    assert q.planned_finish == datetime.date(2026, 12, 31)
    assert len(result.new) == 2


# -- bad files: a clear message, nothing written ------------------------------------------


def huge_xlsx(rows=1_000_000):
    """A real .xlsx with a header and a million data rows, streamed (no openpyxl row loop)."""
    base = zipfile.ZipFile(io.BytesIO(simple_ledger([row()], title=None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in base.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(item, base.read(item.filename))
                continue
            with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
                fh.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
                    b'<c r="A1" t="inlineStr"><is><t>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7'
                    b"\xb0</t></is></c></row>"
                )
                chunk = []
                for n in range(2, rows + 2):
                    chunk.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n))
                    if len(chunk) == 10000:
                        fh.write(b"".join(chunk))
                        chunk = []
                fh.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return out.getvalue()


def _bad(data):
    return ledger_import(data, file_name="bad", dry_run=False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"%PDF-1.4 not a sheet", "不是Excel表格文件"),
        ("项目名称,所属地区\n甲,乙\n".encode(), "不是Excel表格文件"),
        (b"PK\x03\x04broken zip", "文件已损坏"),
        ((FIXTURES / "encrypted.xlsx").read_bytes(), "文件已加密"),
        (to_bytes(openpyxl.Workbook()), "文件中没有数据"),
        (simple_ledger([["a", "b", "c"]], header=["甲", "乙", "丙"]), "没有找到表头"),
    ],
    ids=["empty", "pdf", "csv", "broken-zip", "encrypted", "no-data", "no-header"],
)
def test_bad_files_change_nothing(city, data, message):
    before = snapshot()
    result = _bad(data)
    assert len(result.errors) == 1 and message in result.errors[0], result.errors
    assert not result.applied
    assert snapshot() == before


def test_million_rows_refused_without_loading(city):
    data = huge_xlsx()
    before = snapshot()
    import tracemalloc

    tracemalloc.start()
    result = _bad(data)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.errors == ["文件数据超过50,000行的上限，请拆分成多个文件分批导入"]
    assert peak < 50 * 1024 * 1024  # the sheet (tens of MB of XML) was never inflated
    assert snapshot() == before


def test_file_over_size_limit_refused(city, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    data = simple_ledger([row(name=f"项目{i}") for i in range(50)])
    assert len(data) > 1024
    before = snapshot()
    result = _bad(data)
    assert "文件过大" in result.errors[0] and "上限为" in result.errors[0]
    assert snapshot() == before


def test_row_limit_setting_counts_data_rows(city, settings):
    settings.IMPORT_MAX_ROWS = 3
    data = simple_ledger([row(name=f"项目{i}") for i in range(5)])
    with pytest.raises(ImportFileError, match="超过3行"):
        read_workbook(data, LEDGER)
