"""The monthly 月度调度 workbook's sheets (also the first sheets of the quarterly bulletin)."""

from assessments import metrics, selectors, summary
from assessments.choices import STATUS_ORDER, Status
from milestones.choices import ProblemStatus
from milestones.models import Problem
from registry.models import Project
from reports.sheets import Col, Sheet

LABELS = dict(Status.choices)
FIGURE_COLS = [
    Col("项目数(项)", 10, "count"),
    Col("拆分后(项)", 10, "count"),
    Col("总投资(万元)", 16, "money"),
    Col("年度计划投资(万元)", 16, "money"),
    Col("累计完成投资(万元)", 16, "money"),
    Col("投资完成率(%)", 12, "pct"),
    Col("时间进度(%)", 11, "pct"),
    Col("进度差(百分点)", 12, "pct"),
    *[Col(f"{LABELS[s]}(拆分后项)", 11, "count") for s in STATUS_ORDER],
]


def figure_values(f: metrics.Figures) -> list:
    return [
        f.count,
        f.split_count,
        f.total_investment,
        f.annual_plan,
        f.ytd,
        f.completion_rate,
        f.time_progress,
        f.gap,
        *[f.status_counts.get(s, 0) for s in STATUS_ORDER],
    ]


def write_monthly(wb, ctx):
    """Every monthly sheet, in the order SPEC §3.4 lists them."""
    summary_sheet(wb, ctx)
    region_sheet(wb, ctx)
    unit_sheet(wb, ctx)
    status_sheet(wb, ctx, "预警项目", Status.WARNING)
    status_sheet(wb, ctx, "滞后项目", Status.LAGGING)
    unstarted_sheet(wb, ctx)
    milestone_sheet(wb, ctx)
    problem_sheet(wb, ctx)
    detail_sheet(wb, ctx)


def summary_sheet(wb, ctx):
    f = ctx.dash.totals
    sheet = Sheet(
        wb, "汇总", ctx.title("汇总"), [Col("指标", 26), Col("数值", 18)], lead=ctx.summary_text
    )
    rows = [
        ("项目数(项)", f.count, "count"),
        ("打包项目拆分后(项)", f.split_count, "count"),
        ("项目总投资(万元)", f.total_investment, "money"),
        ("年度计划投资(万元)", f.annual_plan, "money"),
        (f"{summary.span_label(ctx.month)}累计完成投资(万元)", f.ytd, "money"),
        ("投资完成率(%)", f.completion_rate, "pct"),
        ("时间进度(%)", f.time_progress, "pct"),
        ("进度差(百分点)", f.gap, "pct"),
        ("本年度计划开工(项)", f.planned_starts, "count"),
        ("实际已开工(项)", f.started, "count"),
        ("开工率(%)", f.start_rate, "pct"),
        ("开复工率(%)", f.resumption_rate, "pct"),
    ]
    for label, value, kind in rows:
        sheet.cells([label, value], [sheet.cols[0], Col("", kind=kind)])
    sheet.empty("按状态统计（按打包项目拆分后计）")
    for status in STATUS_ORDER:
        cols = [Col("", kind="status"), Col("", kind="count")]
        sheet.cells([LABELS[status], f.status_counts.get(status, 0)], cols, status=status)
    sheet.total(["合计(拆分后项)", sum(f.status_counts.values())])


def region_sheet(wb, ctx):
    sheet = Sheet(wb, "分地区", ctx.title("分地区"), [Col("地区", 14), *FIGURE_COLS])
    for r in ctx.dash.regions:
        sheet.row([r["region"].name, *figure_values(r["figures"])])
    sheet.total(["合计", *figure_values(ctx.dash.totals)])


def unit_sheet(wb, ctx):
    sheet = Sheet(wb, "分单位", ctx.title("分单位"), [Col("责任单位", 28), *FIGURE_COLS])
    for r in metrics.by_unit(ctx.leaves, ctx.year, ctx.month):
        name = r["unit"].name if r["unit"] else "未指定责任单位"
        sheet.row([name, *figure_values(r["figures"])])
    sheet.total(["合计", *figure_values(ctx.dash.totals)])


PROJECT_COLS = [
    Col("序号", 6, "count"),
    Col("项目编号", 16),
    Col("项目名称", 36),
    Col("地区", 10),
    Col("责任单位", 22),
]


def _project_cells(n, project):
    return [
        n,
        project.code,
        project.name,
        project.region.name,
        project.unit.name if project.unit_id else "",
    ]


def status_sheet(wb, ctx, name, status):
    cols = [
        *PROJECT_COLS,
        Col("状态", 8, "status"),
        Col("投资完成率R(%)", 12, "pct"),
        Col("时间进度T(%)", 12, "pct"),
        Col("进度差G(百分点)", 12, "pct"),
        Col("原因", 50),
    ]
    sheet = Sheet(wb, name, ctx.title(name), cols)
    rows = selectors.status_rows(ctx.projects, ctx.year, ctx.month, [status])
    for n, s in enumerate(rows.iterator(chunk_size=2000), start=1):
        cells = [*_project_cells(n, s.project), LABELS[s.status], s.r, s.t, s.g, s.reason_text]
        sheet.row(cells, status=s.status)
    if not sheet.rows:
        sheet.empty()


def _judged_rows_sheet(wb, ctx, name, cols, rows):
    """A list of assessments.selectors rows: the project, its light, the row's cells, why."""
    cols = [*PROJECT_COLS, Col("状态", 8, "status"), *cols, Col("说明", 44)]
    sheet = Sheet(wb, name, ctx.title(name), cols)
    for n, r in enumerate(rows, 1):
        sheet.row(
            [*_project_cells(n, r.project), LABELS[r.level], *r.cells, r.reason], status=r.level
        )
    if not sheet.rows:
        sheet.empty()


def unstarted_sheet(wb, ctx):
    cols = [Col("计划开工日期", 13, "date"), Col("逾期天数(天)", 11, "count"),
            Col("连续月数(个月)", 12, "count")]  # fmt: skip
    rows = selectors.unstarted_rows(ctx.projects, ctx.year, ctx.month, ctx.as_of)
    _judged_rows_sheet(wb, ctx, "应开未开", cols, rows)


def milestone_sheet(wb, ctx):
    cols = [Col("节点", 16), Col("计划日期", 13, "date"), Col("逾期天数(天)", 11, "count")]
    rows = selectors.milestone_rows(ctx.projects, ctx.year, ctx.month, ctx.as_of)
    _judged_rows_sheet(wb, ctx, "节点逾期", cols, rows)


def problem_sheet(wb, ctx):
    """Unresolved problems of the scope's projects: the 问题/措施/责任/时限 list DRCs circulate."""
    cols = [
        *PROJECT_COLS,
        Col("问题类别", 12),
        Col("问题描述", 40),
        Col("措施", 40),
        Col("责任单位(问题)", 22),
        Col("责任人", 10),
        Col("解决时限", 13, "date"),
        Col("督办", 6),
        Col("状态", 8),
    ]
    sheet = Sheet(wb, "问题清单", ctx.title("问题清单"), cols)
    problems = (
        Problem.objects.filter(project__in=ctx.projects)
        .exclude(status=ProblemStatus.RESOLVED)
        .select_related("project", "project__region", "project__unit", "responsible_unit")
        .order_by("project__code", "deadline", "id")
    )
    for n, p in enumerate(problems.iterator(chunk_size=2000), start=1):
        sheet.row(
            [
                *_project_cells(n, p.project),
                p.get_category_display(),
                p.description,
                p.measures,
                p.responsible_unit.name if p.responsible_unit_id else "",
                p.responsible_person,
                p.deadline,
                "是" if p.is_supervised else "否",
                p.get_status_display(),
            ]
        )
    if not sheet.rows:
        sheet.empty()


DETAIL_COLS = [
    *PROJECT_COLS,
    Col("所属打包项目", 16),
    Col("项目级别", 10),
    Col("建设性质", 10),
    Col("总投资(万元)", 16, "money"),
    Col("年度计划投资(万元)", 16, "money"),
    Col("累计完成投资(万元)", 16, "money"),
    Col("投资完成率(%)", 12, "pct"),
    Col("状态", 8, "status"),
]


def _detail_projects(ids):
    """The leaves' own rows, by region then code, with only what the sheet shows."""
    return (
        Project.objects.filter(pk__in=ids)
        .select_related("region", "unit", "package")
        .only("code", "name", "level", "nature", "region__name", "unit__name", "package__code")
        .order_by("region__code", "code")
    )


def detail_sheet(wb, ctx, name="项目明细"):
    """Every leaf (sub-projects of a package one by one; the package itself is not summed)."""
    sheet = Sheet(wb, name, ctx.title(name), DETAIL_COLS)
    by_id = {leaf.id: leaf for leaf in ctx.leaves}
    projects = _detail_projects(list(by_id))
    for n, p in enumerate(projects.iterator(chunk_size=2000), start=1):
        leaf = by_id[p.pk]
        sheet.row(
            [
                *_project_cells(n, p),
                p.package.code if p.package_id else "",
                p.get_level_display(),
                p.get_nature_display(),
                leaf.total,
                leaf.plan,
                leaf.ytd,
                metrics.rate(leaf.ytd, leaf.plan),
                LABELS.get(leaf.status, "") if leaf.status else "",
            ],
            status=leaf.status,
        )
    f = metrics.figures(ctx.leaves, ctx.year, ctx.month)
    sheet.total(
        [
            "合计",
            "",
            f"{f.split_count}个项目",
            "",
            "",
            "",
            "",
            "",
            f.total_investment,
            f.annual_plan,
            f.ytd,
            f.completion_rate,
            "",
        ]  # fmt: skip
    )
