"""Spreadsheet downloads of the milestones app: functions of (user, query), scoped through
the same selector and FilterSet as the list, for the page's download and the export job
(registered as ExportKind.PROBLEMS in milestones.apps).

Every cell goes through registry.excel.writer.safe_cell, so a problem text that starts with
= + - @ stays text (SPEC §5); the sheet is streamed (openpyxl write-only mode).
"""

from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from milestones import selectors
from milestones.filtersets import ProblemFilterSet
from registry.excel.writer import safe_cell, safe_row, save_workbook
from registry.export_jobs import Export, progress_counter

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


def problem_rows(user, query):
    """The problems the user may export with the list's query, in the list's order."""
    qs = selectors.problems_for(user=user).order_by("status", "deadline", "-id")
    return ProblemFilterSet(query, queryset=qs, user=user).qs


def problems_workbook(user, query, *, progress=None) -> Export:
    today = timezone.localdate()
    tick = progress_counter(progress)
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
    for n, p in enumerate(problem_rows(user, query), start=1):
        overdue = p.is_overdue(today)
        fill = RED if overdue else None
        row = safe_row(ws, _problem_values(n, p, overdue), fill=fill)
        row[DATE_COLUMN - 1].number_format = "yyyy-mm-dd"
        ws.append(row)
        if tick is not None:
            tick()
    return Export(data=save_workbook(wb), filename=f"问题清单_{today:%Y%m%d}.xlsx")
