"""What assessments adds to registry's exports (the ledger's closing 合计 row and the period's
1-M月累计完成投资 / 完成率 columns: the same figures as the list and the bulletin), and its own
workbooks built on the one engine (core.excel.workbook)."""

from django.core.exceptions import BadRequest

from assessments import metrics, selectors, summary
from assessments.lists import BASE_HEADERS
from assessments.scoring import COMPONENTS, PENALTY_LABEL
from core.excel.workbook import Workbook, table
from core.periods import PeriodError
from milestones.periods import resolve
from registry.selectors import year_list


def _month(year: int, query) -> int:
    """The month the list page shows for this query (the one period parser), so the export
    carries the same columns as the page it was asked from."""
    try:
        resolved = resolve(query or {}, allow=("month",))
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None
    return resolved.month if resolved.year == year else selectors.default_month(year)


def ledger_totals(projects, year: int, query=None) -> dict:
    """The export's 合计 row: the same figures as the home page and the list's header
    (leaves only; a package counted once in 项, its sub-projects in 拆分后)."""
    month = _month(year, query)
    listed = year_list(year, projects)
    f = metrics.totals(listed, year, month)
    label = f"合计：{f.count}项（打包项目拆分后共{f.split_count}项）"
    span = summary.span_label(month)
    progress = {
        "headers": (f"{span}累计完成投资(万元)", f"{span}完成率(%)"),
        "rows": metrics.project_progress(listed, year, month),
        "ytd": f.ytd,
        "completion_rate": f.completion_rate,
    }
    return {
        "label": label,
        "total_investment": f.total_investment,
        "annual_plan": f.annual_plan,
        "progress": progress,
    }


REGION_HEADERS = [
    "县区", "项目数(拆分后)", "年度计划投资(万元)", "当前完成率(%)", "测算基数累计完成(万元)",
    "近月月均(万元)", "按月均测算(万元)", "按往年同期测算(万元)", "预计年末完成(万元)",
    "预计年末完成率(%)", "测算依据", "测算过程",
]  # fmt: skip
RISK_HEADERS = [
    "项目编号", "项目名称", "所属地区", "责任单位", "当月状态", "下月预计状态",
    "下月末预计累计(万元)", "原因",
]  # fmt: skip


def _region_row(name, row):
    f = row.forecast
    return [
        name, f.count, f.plan, row.figures.completion_rate, f.ytd, f.run_rate, f.by_run_rate,
        f.by_season, f.expected, f.rate, f.basis, f.formula,
    ]  # fmt: skip


def _forecast_sheet(book, title, headers, rows, money, widths):
    sheet = book.sheet(
        title,
        title=title,
        columns=[(h, widths.get(j)) for j, h in enumerate(headers)],
        kinds=["money" if j in money else None for j in range(len(headers))],
        freeze=False,
        merge_title=False,
        header_height=None,
    )
    for values in rows:
        sheet.append(values, pad=True)


def forecast_workbook(outlook, at_risk, year: int, month: int) -> bytes:
    """预计年末完成率 by 县区 and the projects likely to lag next month (rows with their
    projects attached), as the forecast page shows them."""
    book = Workbook()
    regions = [_region_row(r.region.name, r) for r in outlook.regions]
    regions.append(_region_row("合计", outlook.total))
    _forecast_sheet(book, f"{year}年预计年末完成率（据1-{month}月）", REGION_HEADERS, regions,
                    money={2, 4, 5, 6, 7, 8}, widths={0: 14, 10: 36, 11: 60})  # fmt: skip
    risks = [
        [r.project.code, r.project.name, r.project.region.name,
         r.project.unit.name if r.project.unit_id else "",
         r.status_label, r.projected_label, r.forecast.expected, r.reason_text]
        for r in at_risk
    ]  # fmt: skip
    _forecast_sheet(book, f"{year}年{month + 1}月可能滞后项目", RISK_HEADERS, risks,
                    money={6}, widths={0: 16, 1: 30, 7: 90})  # fmt: skip
    return book.close()


def judgement_workbook(spec, rows, title: str) -> bytes:
    """One judgement list (`lists.LISTS` kind `spec`) with every row's project and reason."""
    return table(
        title=title,
        sheet=spec.title,
        headers=[*BASE_HEADERS, *spec.headers, "原因"],
        rows=[_judgement_row(r) for r in rows],
        widths={0: 16, 1: 36, 2: 12, 3: 24, 4: 10, len(BASE_HEADERS) + len(spec.headers): 70},
    )


def _judgement_row(row):
    p = row.project
    leader = p.leader.name if p.leader_id else ""
    unit = p.unit.name if p.unit_id else ""
    return [p.code, p.name, p.region.name, unit, leader, *row.cells, row.reason]


def scores_workbook(rows, what: str, title: str) -> bytes:
    """Scored and ranked `scoring.scores` rows of `what` (县区, 乡镇, 责任单位) with every part."""
    return table(
        title=title,
        sheet="排名",
        headers=["排名", what, *[f"{label}(分)" for _k, label in COMPONENTS], PENALTY_LABEL, "得分",
                 "投资完成率(%)", "榜单"],
        rows=[
            [r.rank, r.name, *[r.components[k] for k, _l in COMPONENTS], r.penalty, r.score,
             r.completion_rate, r.board]
            for r in rows
        ],
        widths={1: 28},
    )  # fmt: skip


def negatives_workbook(records, by_label: str, title: str) -> bytes:
    """负面清单: each negative entry of the 绩效库 `records`, under its region or unit."""
    rows = [
        [r.name, e.project_code, e.project_name, e.reason] for r in records for e in r.negatives
    ]
    return table(
        title=title,
        sheet="负面清单",
        headers=[by_label, "项目编号", "项目名称", "原因"],
        rows=rows,
        widths={0: 28, 1: 16, 2: 36, 3: 50},
    )
