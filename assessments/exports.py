"""What assessments adds to registry's exports: the ledger's closing 合计 row and the period's
1-M月累计完成投资 / 完成率 columns (the same figures as the list and the bulletin)."""

from django.core.exceptions import BadRequest

from assessments import metrics, selectors
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
    span = metrics.span_label(month)
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
