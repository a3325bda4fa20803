"""Spreadsheet downloads of the milestones app. Callers pass scoped querysets.

Every cell goes through registry.excel.writer.safe_cell, so a problem text that starts with
= + - @ stays text (SPEC §5); the sheet is streamed (openpyxl write-only mode).
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from registry.excel.writer import XLSX, safe_cell, safe_row, save_workbook

RED = PatternFill("solid", fgColor="F8D7DA")
HEADER = PatternFill("solid", fgColor="DDE6F0")
DATE_COLUMN = 11  # 解决时限

PROBLEM_COLUMNS = [
    ("序号", 6),
    ("项目编号", 16),
    ("项目名称", 32),
    ("所属地区", 12),
    ("问题类别", 10),
    ("问题描述", 40),
    ("措施", 36),
    ("协调层级", 10),
    ("责任单位", 20),
    ("责任人", 10),
    ("解决时限", 12),
    ("状态", 10),
    ("督办", 6),
    ("逾期", 6),
    ("推进情况", 30),
    ("解决情况", 30),
]


def _problem_values(n, p, overdue):
    return [
        n,
        p.project.code,
        p.project.name,
        p.project.region.name,
        p.get_category_display(),
        p.description,
        p.measures,
        p.get_coordination_level_display(),
        p.responsible_unit.name if p.responsible_unit else "",
        p.responsible_person,
        p.deadline,
        p.get_status_display(),
        "是" if p.is_supervised else "",
        "是" if overdue else "",
        p.progress_note,
        p.resolution,
    ]


def problems_xlsx(problems) -> HttpResponse:
    today = timezone.localdate()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    for i, (_c, width) in enumerate(PROBLEM_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    title = f"重点项目问题清单（导出日期：{today:%Y-%m-%d}）"
    title_font, centre = Font(bold=True, size=14), Alignment(horizontal="center")
    ws.append([safe_cell(ws, title, font=title_font, alignment=centre)])
    ws.merged_cells.add(f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}1")
    ws.append(safe_row(ws, [c for c, _w in PROBLEM_COLUMNS], font=Font(bold=True), fill=HEADER))
    for n, p in enumerate(problems, start=1):
        overdue = p.is_overdue(today)
        fill = RED if overdue else None
        row = safe_row(ws, _problem_values(n, p, overdue), fill=fill)
        row[DATE_COLUMN - 1].number_format = "yyyy-mm-dd"
        ws.append(row)
    response = HttpResponse(save_workbook(wb), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"问题清单_{today:%Y%m%d}.xlsx"
    )
    return response
