"""What assessments adds to registry's exports: the ledger's closing 合计 row."""

from assessments import metrics, selectors
from registry.selectors import year_list


def ledger_totals(projects, year: int) -> dict:
    """The export's 合计 row: the same figures as the home page and the list's header
    (leaves only; a package counted once in 项, its sub-projects in 拆分后)."""
    month = selectors.default_month(year)
    f = metrics.totals(year_list(year, projects), year, month)
    label = f"合计：{f.count}项（打包项目拆分后共{f.split_count}项）"
    return {"label": label, "total_investment": f.total_investment, "annual_plan": f.annual_plan}
