"""The monthly progress sheet's columns and header synonyms."""

from openpyxl import Workbook

from core.excel.schema import MONEY, MONTH, TEXT, Column, Schema
from registry.excel import writer

PROGRESS_COLUMNS = [
    Column("code", "项目编号", TEXT, ("编号", "项目编码"), required=True, width=16),
    Column("name", "项目名称", TEXT, ("名称",), width=30),
    Column("month", "月份", MONTH, ("填报月份", "调度月份", "报告期", "期间"), required=True),
    Column(
        "month_completed",
        "本月完成投资(万元)",
        MONEY,
        ("本月完成投资", "当月完成投资", "本月完成"),
        required=True,
    ),
    Column(
        "ytd_completed",
        "年度累计完成投资(万元)",
        MONEY,
        (
            "年累计完成投资",
            "本年累计完成投资",
            "累计完成投资",
            "年度累计完成",
            "本年累计完成",
            "本年累计",
            "本年累计投资",
        ),
    ),
    Column("progress_text", "形象进度", TEXT, ("工程形象进度", "形象进度情况"), width=40),
    Column("problems", "存在问题", TEXT, ("存在问题及困难", "问题及困难", "存在的问题"), width=30),
]

PROGRESS = Schema("progress", PROGRESS_COLUMNS, key_columns=("code", "month"))

PROGRESS_NOTES = [
    ("项目编号", "必填，与台账中的项目编号一致；只能填报您管辖范围内的项目"),
    ("项目名称", "可选，仅便于核对"),
    ("月份", "必填，如 2026-03、2026年3月"),
    ("本月完成投资(万元)", "必填，数字，单位万元"),
    ("年度累计完成投资(万元)", "可选；填写时须等于此前各月累计加本月完成"),
    ("形象进度", "本月工程形象进度"),
    ("存在问题", "存在的问题及困难"),
]


def progress_template(year, rows=()):
    """Blank monthly progress sheet; `rows` pre-fills (code, name) of the user's projects."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月度进度")
    writer.sheet_head(ws, f"{year}年重点项目月度进度", PROGRESS_COLUMNS)
    n = 0
    for code, name in rows:
        ws.append(writer.data_row(ws, PROGRESS_COLUMNS, [code, name]))
        n += 1
    if not n:
        ws.append(writer.data_row(ws, PROGRESS_COLUMNS, []))
    writer.notes_sheet(wb, "月度进度导入模板填写说明", PROGRESS_NOTES)
    return writer.save_workbook(wb)
