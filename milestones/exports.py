"""Spreadsheet downloads of the milestones app: functions of (user, query), scoped through
the same selector and FilterSet as the list, for the page's download and the export job
(registered as MilestonesExport.PROBLEMS in milestones.apps).

Text is written only as text (core.excel.stream), so a problem text that starts with
= + - @ stays text (SPEC §5); the sheet is streamed (core.excel.stream).
"""

from django.utils import timezone

from core.excel.stream import StreamedSheet
from core.export_jobs import Export, progress_counter
from milestones import selectors
from milestones.filtersets import ProblemFilterSet
from milestones.models import Problem, problem_overdue
from registry.filter_fields import filtered

RED = "#F8D7DA"
HEADER = "#DDE6F0"

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
PROBLEM_KINDS = [None] * 10 + ["date"] + [None] * 5
PROBLEM_FIELDS = (
    "project__code", "project__name", "project__region__name", "category", "description",
    "measures", "coordination_level", "responsible_unit__name", "responsible_person",
    "deadline", "status", "is_supervised", "progress_note", "resolution",
)  # fmt: skip


def _labels():
    fields = ("category", "coordination_level", "status")
    return {f: dict(Problem._meta.get_field(f).flatchoices) for f in fields}


def _problem_values(n, p, overdue, labels):
    return [
        n,
        p["project__code"],
        p["project__name"],
        p["project__region__name"],
        labels["category"].get(p["category"], p["category"]),
        p["description"],
        p["measures"],
        labels["coordination_level"].get(p["coordination_level"], p["coordination_level"]),
        p["responsible_unit__name"] or "",
        p["responsible_person"],
        p["deadline"],
        labels["status"].get(p["status"], p["status"]),
        "是" if p["is_supervised"] else "",
        "是" if overdue else "",
        p["progress_note"],
        p["resolution"],
    ]


def problem_rows(user, query):
    """The problems the user may export with the list's query, in the list's order."""
    qs = selectors.problems_for(user=user).order_by("status", "deadline", "-id")
    return filtered(ProblemFilterSet(query, queryset=qs, user=user))


def problems_workbook(user, query, *, progress=None) -> Export:
    """Streamed as plain rows through one server-side cursor; overdue rows shaded red."""
    today = timezone.localdate()
    tick = progress_counter(progress)
    labels = _labels()
    sheet = StreamedSheet(
        sheet="问题清单",
        title=f"重点项目问题清单（导出日期：{today:%Y-%m-%d}）",
        columns=PROBLEM_COLUMNS,
        kinds=PROBLEM_KINDS,
        header_fill=HEADER,
    )
    rows = problem_rows(user, query).values(*PROBLEM_FIELDS).iterator(chunk_size=2000)
    for n, p in enumerate(rows, start=1):
        overdue = problem_overdue(p["status"], p["deadline"], today)
        sheet.append(_problem_values(n, p, overdue, labels), fill=RED if overdue else None)
        if tick is not None:
            tick()
    return Export(data=sheet.close(), filename=f"问题清单_{today:%Y%m%d}.xlsx")
