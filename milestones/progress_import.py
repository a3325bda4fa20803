"""Monthly progress spreadsheet import (SPEC §4.3): same rules as the ledger import.

Rows (项目编号, 月份, 本月完成投资, 年度累计完成投资, 形象进度, 存在问题) become submitted
reports of the uploader's scope, through the milestones services (so year-to-date checks,
reporting windows and lateness are the ones of the web form). All rows run in one
transaction; a dry run, or any error, rolls it all back.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from core.excel import values
from core.excel.reader import ImportFileError, parse_cell, read_workbook
from core.excel.schema import normalise
from core.signals import batched_changes
from milestones.choices import MilestonesImport, ReportStatus
from milestones.models import ProgressReport, ReportingWindow
from milestones.progress_sheet import PROGRESS
from milestones.services import report_create, report_update
from registry.choices import ImportStatus
from registry.import_batches import (
    PROGRESS_COUNTING,
    ImportResult,
    batch_bytes,
    batch_new,
    batch_run,
)
from registry.models import Project
from registry.scoping import visible_projects

FIELD_LABELS = {
    "invested_month": "本月完成投资(万元)",
    "invested_ytd": "年度累计完成投资(万元)",
    "invested_total": "自开工累计完成投资(万元)",
    "progress_text": "形象进度",
    "difficulties": "存在问题",
    "month": "月份",
}

# Where each column's value ends up: it must fit that field (values.check_limits). None: only
# read (the name is informational, the month is checked as a date).
TARGETS = {
    "code": (Project, "code"),
    "name": None,
    "month": None,
    "month_completed": (ProgressReport, "invested_month"),
    "ytd_completed": (ProgressReport, "invested_ytd"),
    "progress_text": (ProgressReport, "progress_text"),
    "problems": (ProgressReport, "difficulties"),
}


def target_field(key):
    target = TARGETS[key]
    return target[0]._meta.get_field(target[1]) if target else None


class _RollbackError(Exception):
    pass


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return [
            (FIELD_LABELS.get(k, "") if k != "__all__" else "", m)
            for k, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return [("", m) for m in exc.messages]


_BARE_MONTH = re.compile(r"^(\d{1,2})(月份?)?$")
MSG_NO_YEAR = (
    "月份只写了“{text}”，标题中没有年份，当前也没有开放的调度期，无法确定年度；"
    "请写成 2026-11 或在标题中写明年份"
)


def _bare_month(raw) -> int | None:
    """11, '11', '11月', '11月份' → 11: the month without its year (offices write the year
    once, in the title). Excel dates and '2026-11' are not bare."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) and float(raw).is_integer() and 1 <= raw <= 12:
        return int(raw)
    if isinstance(raw, str):
        m = _BARE_MONTH.match(normalise(raw))
        if m and 1 <= int(m.group(1)) <= 12:
            return int(m.group(1))
    return None


def _sheet_year(sheet) -> int | None:
    """The year a bare month belongs to: the title's, else the open reporting window's."""
    if sheet.year_hint:
        return sheet.year_hint
    window = ReportingWindow.objects.filter(is_open=True).order_by("-year", "-month").first()
    return window.year if window else None


def _with_year(raw, sheet):
    """A bare month cell as 'YYYY-MM'; CellError when no year can be found."""
    month = _bare_month(raw)
    if month is None:
        return raw
    year = _sheet_year(sheet)
    if year is None:
        raise values.CellError(MSG_NO_YEAR.format(text=values.shown(values.to_text(raw))))
    return f"{year}-{month:02d}"


def progress_import(source, *, user, file_name="", dry_run=True) -> ImportResult:
    """Import (or preview) a progress workbook; writes only when every row is clean."""
    result = ImportResult(file_name=file_name, dry_run=dry_run, counting=PROGRESS_COUNTING)
    try:
        wb = read_workbook(source, PROGRESS)
    except ImportFileError as exc:
        result.errors.append(str(exc))
        return result
    result.sheets = [
        {"name": s.name, "header_row": s.header_row, "rows": len(s.rows)} for s in wb.sheets
    ]
    result.skipped_sheets = wb.skipped
    result.rows_total = wb.rows_total
    projects = {p.code: p for p in visible_projects(user)}
    parsed, seen = [], {}
    for sheet in wb.sheets:
        missing = [PROGRESS.by_key[k].label for k in ("month_completed",) if k not in sheet.columns]
        if missing:
            result.errors.append(f"{sheet.name}: 缺少必需的列 " + "、".join(missing))
            continue
        for row_no, raw in sheet.rows:
            row = _parse_row(result, sheet, row_no, raw, projects, seen)
            if row is not None:
                parsed.append(row)
    _apply_rows(result, parsed, user=user, dry_run=dry_run)
    return result


def _parse_row(result, sheet, row_no, raw, projects, seen):
    """(project, year, month, values, where) of a row, or None with its errors noted."""
    where = f"{sheet.name} 第{row_no}行"
    vals, bad = {}, False
    for key, cell in raw.items():
        col = PROGRESS.by_key[key]
        try:
            if key == "month":
                cell = _with_year(cell, sheet)
            vals[key] = parse_cell(col, sheet.columns[key][1], cell, None, target_field(key))
        except values.CellError as exc:
            result.errors.append(f"{where} {col.label}: {exc}")
            bad = True
    if bad:
        return None
    code, period = vals.get("code"), vals.get("month")
    given = (
        ("项目编号", bool(code)),
        ("月份", bool(period)),
        ("本月完成投资(万元)", vals.get("month_completed") is not None),
    )
    blank = next((label for label, ok in given if not ok), None)
    if blank:
        result.errors.append(f"{where} {blank}: 不能为空")
        return None
    project = projects.get(code)
    if project is None:
        result.errors.append(f"{where} 项目编号: 项目“{code}”不存在或不在您的填报范围内")
        return None
    result.touched_projects.add(project.pk)
    if (code, period) in seen:
        result.errors.append(f"{where}: 与{seen[(code, period)]}重复（同一项目同一月份）")
        return None
    seen[(code, period)] = where
    year, month = (int(x) for x in period.split("-"))
    return project, year, month, vals, where


def _apply_rows(result, parsed, *, user, dry_run):
    """Every parsed row through the services in one transaction; kept only when the run is
    real and no row failed."""
    # Earlier months first, so each row's year-to-date check sees the rows before it.
    parsed.sort(key=lambda t: (t[0].code, t[1], t[2]))
    existing = {
        (r.project_id, r.year, r.month): r
        for r in ProgressReport.objects.filter(project__in=[t[0] for t in parsed])
    }
    try:
        with transaction.atomic(), batched_changes():
            for project, year, month, vals, where in parsed:
                _apply_row(result, project, year, month, vals, where, existing, user)
            if result.errors or dry_run:
                raise _RollbackError
    except _RollbackError:
        return
    result.applied = True


def _apply_row(result, project, year, month, vals, where, existing, user):
    data = {
        "invested_month": vals["month_completed"],
        "invested_ytd": vals.get("ytd_completed"),
        "progress_text": vals.get("progress_text") or "",
        "difficulties": vals.get("problems") or "",
    }
    if "problems" not in vals:
        data.pop("difficulties")
    label = f"{project.code} {project.name} {year}年{month}月"
    report = existing.get((project.pk, year, month))
    if report is not None:
        # An earlier row may have recomputed this month's totals (and bumped its version).
        report.refresh_from_db()
    try:
        if report is None:
            with transaction.atomic():
                report_create(
                    project=project, year=year, month=month, data=data, user=user, submit=True
                )
            result.new.append({"where": where, "code": project.code, "name": f"{project.name} {year}年{month}月",
                               "region": ""})  # fmt: skip
            return
        changes = []
        for key, value in data.items():
            if value is None:
                continue  # year-to-date left blank: derived, not a change
            old = getattr(report, key)
            if old != value:
                changes.append([FIELD_LABELS[key], str(old or ""), str(value)])
        waiting = (ReportStatus.SUBMITTED, ReportStatus.FIRST_APPROVED)
        if not changes and report.status in (*waiting, ReportStatus.APPROVED):
            result.unchanged += 1
            return
        if report.status == ReportStatus.APPROVED:
            result.errors.append(f"{where}: {label}的月报已审核通过，不能再修改")
            return
        if report.status in waiting:
            result.errors.append(
                f"{where}: {label}的月报已提交待审核，不能修改；如需修改请联系审核员退回"
            )
            return
        with transaction.atomic():
            report_update(report=report, data=data, version=report.version, user=user, submit=True)
        result.changed.append({"where": where, "code": project.code, "name": f"{project.name} {year}年{month}月",
                               "changes": changes or [["状态", report.get_status_display(), "已提交"]]})  # fmt: skip
    except ValidationError as exc:
        for col, msg in _messages(exc):
            result.errors.append(f"{where} {col}: {msg}" if col else f"{where}: {msg}")


def progress_import_batch(*, upload, user, dry_run=True, batch=None):
    """Run an upload (dry run) or a confirmed batch, recording it on an ImportBatch through
    the one import-batch life cycle (registry.import_batches.batch_run)."""
    if batch is None:
        batch = batch_new(kind=MilestonesImport.PROGRESS, upload=upload, user=user)
    batch.dry_run = dry_run
    batch.status = ImportStatus.RUNNING
    batch.save()

    def run():
        return progress_import(
            batch_bytes(batch), user=user, file_name=batch.file_name, dry_run=dry_run
        )

    return batch, batch_run(batch, run)
