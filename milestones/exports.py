"""Spreadsheet downloads of the milestones app (openpyxl). Callers pass scoped querysets."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RED = PatternFill("solid", fgColor="F8D7DA")
HEADER = PatternFill("solid", fgColor="DDE6F0")

PROBLEM_COLUMNS = [
    ("序号", 6),
    ("项目编号", 16),
    ("项目名称", 32),
    ("所属地区", 12),
    ("问题类别", 10),
    ("问题描述", 40),
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


def problems_xlsx(problems) -> HttpResponse:
    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append([f"重点项目问题清单（导出日期：{today:%Y-%m-%d}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROBLEM_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([c for c, _w in PROBLEM_COLUMNS])
    for i, (_c, width) in enumerate(PROBLEM_COLUMNS, start=1):
        cell = ws.cell(row=2, column=i)
        cell.font = Font(bold=True)
        cell.fill = HEADER
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A3"
    for n, p in enumerate(problems, start=1):
        overdue = p.is_overdue(today)
        ws.append(
            [
                n,
                p.project.code,
                p.project.name,
                p.project.region.name,
                p.get_category_display(),
                p.description,
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
        )
        row = ws.max_row
        ws.cell(row=row, column=10).number_format = "yyyy-mm-dd"
        if overdue:
            for col in range(1, len(PROBLEM_COLUMNS) + 1):
                ws.cell(row=row, column=col).fill = RED
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    name = f"问题清单_{today:%Y%m%d}.xlsx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
