"""Ledger export and blank templates (SPEC §3.4 sheet conventions: title row, units in
headers, frozen header, number formats). The export reads back through the importer
unchanged: same headers, same labels, real date cells, money to the cent."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from registry.excel.choices import LEDGER_CHOICES
from registry.excel.headers import LEDGER_COLUMNS, PROGRESS_COLUMNS

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
TITLE_FONT = Font(size=14, bold=True)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TEMPLATE_ROWS = 2000  # validation lists cover this many data rows in a blank template


def _sheet_head(ws, title, columns):
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append([c.label for c in columns])
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=j)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTER
        ws.column_dimensions[get_column_letter(j)].width = col.width + 2
    ws.row_dimensions[2].height = 32
    ws.freeze_panes = "C3"


def _validations(ws, columns, last_row):
    for j, col in enumerate(columns, start=1):
        choices = LEDGER_CHOICES.get(col.key)
        if not choices:
            continue
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(choices.values_labels) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=f"{col.label}只能选择：" + "、".join(choices.values_labels),
        )
        letter = get_column_letter(j)
        dv.add(f"{letter}3:{letter}{last_row}")
        ws.add_data_validation(dv)


def _formats(ws, columns, first_row, last_row):
    kinds = {j: c.kind for j, c in enumerate(columns, start=1)}
    for r in ws.iter_rows(min_row=first_row, max_row=last_row):
        for cell in r:
            kind = kinds.get(cell.column)
            if kind in ("money", "area"):
                cell.number_format = MONEY_FORMAT
            elif kind == "date":
                cell.number_format = DATE_FORMAT
            elif kind == "text":
                cell.number_format = "@"


def _save(wb):
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_rows(projects, plans, lands, year=None):
    """Template-ordered values of each project (labels for choices, names for links)."""
    for i, p in enumerate(projects, start=1):
        plan = plans.get((p.pk, year or p.year))
        land = lands.get(p.pk)
        yield [
            i,
            p.code,
            p.name,
            p.get_level_display(),
            p.region.name,
            p.unit.name,
            p.leader.name if p.leader_id else None,
            p.get_nature_display(),
            p.get_category_display(),
            p.get_sector_display(),
            p.scope or None,
            p.total_investment,
            plan.planned_investment if plan else None,
            p.planned_start,
            p.planned_finish,
            p.owner or None,
            p.contact or None,
            p.phone or None,
            land.required_area if land else None,
            p.note or None,
        ]


def write_ledger(projects, plans, lands, *, year=None, title=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    title = title or (f"{year}年重点项目台账" if year else "重点项目台账")
    _sheet_head(ws, title, LEDGER_COLUMNS)
    n = 0
    for values in ledger_rows(projects, plans, lands, year):
        ws.append(values)
        n += 1
    _formats(ws, LEDGER_COLUMNS, 3, n + 2)
    _validations(ws, LEDGER_COLUMNS, max(n + 2, 3))
    ws.auto_filter.ref = f"A2:{get_column_letter(len(LEDGER_COLUMNS))}{n + 2}"
    return _save(wb)


LEDGER_NOTES = [
    ("项目编号", "已有项目请保留原编号；新项目可留空，导入时自动生成编号"),
    ("项目名称", "必填。没有项目编号时，按“项目名称＋所属地区”匹配已有项目"),
    ("项目级别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["level"].values_labels)),
    ("所属地区", "必填，填写系统中的县区或乡镇名称（如“甲县”）"),
    ("责任单位", "必填，填写系统中的单位全称"),
    ("分包领导", "填写领导姓名"),
    ("建设性质", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["nature"].values_labels)),
    ("项目类别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["category"].values_labels)),
    ("产业类别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["sector"].values_labels)),
    ("总投资(万元)", "数字，单位万元；表头写“总投资(亿元)”时按亿元换算"),
    ("年度计划投资(万元)", "数字，单位万元，写入导入年度的年度计划"),
    ("计划开工时间", "日期，如 2026-03-15、2026年3月、2026.3"),
    ("计划竣工时间", "日期，格式同上"),
    ("用地面积(亩)", "数字，单位亩"),
    ("合计/小计行", "可保留，导入时自动跳过；空行也会跳过"),
    ("多个工作表", "每个工作表都会导入（如按级别或地区分表），表头可在标题行下方"),
    ("出错时", "任何一行有错误时整个文件都不导入，请按提示的工作表、行号和列名修改后重新上传"),
]

PROGRESS_NOTES = [
    ("项目编号", "必填，与台账中的项目编号一致；只能填报您管辖范围内的项目"),
    ("项目名称", "可选，仅便于核对"),
    ("月份", "必填，如 2026-03、2026年3月"),
    ("本月完成投资(万元)", "必填，数字，单位万元"),
    ("年度累计完成投资(万元)", "可选；填写时须等于此前各月累计加本月完成"),
    ("形象进度", "本月工程形象进度"),
    ("存在问题", "存在的问题及困难"),
]


def _notes_sheet(wb, title, notes):
    ws = wb.create_sheet("填写说明")
    ws.append([title])
    ws["A1"].font = TITLE_FONT
    ws.append(["列名", "填写要求"])
    for cell in ws[2]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for item in notes:
        ws.append(list(item))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80


def ledger_template(year):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    _sheet_head(ws, f"{year}年重点项目台账", LEDGER_COLUMNS)
    _formats(ws, LEDGER_COLUMNS, 3, 3)
    _validations(ws, LEDGER_COLUMNS, TEMPLATE_ROWS)
    _notes_sheet(wb, "台账导入模板填写说明", LEDGER_NOTES)
    return _save(wb)


def progress_template(year, rows=()):
    """Blank monthly progress sheet; `rows` pre-fills (code, name) of the user's projects."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月度进度"
    _sheet_head(ws, f"{year}年重点项目月度进度", PROGRESS_COLUMNS)
    n = 0
    for code, name in rows:
        ws.append([code, name])
        n += 1
    _formats(ws, PROGRESS_COLUMNS, 3, max(n + 2, 3))
    _notes_sheet(wb, "月度进度导入模板填写说明", PROGRESS_NOTES)
    return _save(wb)


FORMULA_START = ("=", "+", "-", "@")


def write_table(*, title, sheet, headers, rows, money_columns=(), widths=None):
    """A generic list export (title row, header row, frozen header, number formats).

    `headers` are labels (units in them, e.g. "R(%)"); `rows` are lists of plain values.
    Every cell goes through `_put_row`, the one place that keeps user text from becoming
    a formula (SPEC §5).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.append(list(headers))
    for j, _label in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=j)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTER
        width = (widths or {}).get(j - 1, 14)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"
    for r, values in enumerate(rows, start=3):
        _put_row(ws, r, values)
        for j in money_columns:
            ws.cell(row=r, column=j + 1).number_format = MONEY_FORMAT
    return _save(wb)


def _put_row(ws, row, values):
    for j, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=j)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.value = value
            cell.data_type = "s"  # stored as text: never evaluated as a formula
        else:
            cell.value = value
        if hasattr(value, "year") and hasattr(value, "day"):
            cell.number_format = DATE_FORMAT
