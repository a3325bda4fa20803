"""The yearly 年度考评 workbook: 年度考评, 五率, 绩效库, 负面清单, 四比四看, 项目明细."""

from assessments.rates import five_rates
from assessments.records import records
from assessments.scoring import SCORE_LABEL
from reports.sheets import Col, Sheet
from reports.sheets.four_compare import write_four_compare
from reports.sheets.monthly import detail_sheet
from reports.sheets.ranking import write_scores


def write_yearly(wb, ctx):
    write_scores(wb, ctx, "年度考评")
    rates_sheet(wb, ctx)
    records_sheet(wb, ctx)
    negative_sheet(wb, ctx)
    write_four_compare(wb, ctx)
    detail_sheet(wb, ctx)


def rates_sheet(wb, ctx):
    cols = [
        Col("指标", 24),
        Col("分子(项或万元)", 16),
        Col("分母(项或万元)", 16),
        Col("比率(%)", 12, "pct"),
    ]
    sheet = Sheet(wb, "五率", ctx.title("五率"), cols)
    for r in five_rates(ctx.projects, ctx.period):
        sheet.row([r.label, r.numerator, r.denominator, r.value])


def _records(ctx):
    if not hasattr(ctx, "_records"):
        ctx._records = records(ctx.projects, ctx.year, ctx.month, by="unit")
    return ctx._records


def records_sheet(wb, ctx):
    cols = [
        Col("排名", 6, "count"),
        Col("责任单位", 28),
        Col("项目数(项)", 10, "count"),
        Col(f"{SCORE_LABEL}(分)", 12, "pct"),
        Col("负面事项(条)", 12, "count"),
    ]
    sheet = Sheet(wb, "绩效库", ctx.title("绩效库"), cols)
    rows = _records(ctx)
    for r in rows:
        score = getattr(r.score, "score", r.score)
        sheet.row([r.rank, r.name, r.projects, score, len(r.negatives)])
    sheet.total(["合计", f"{len(rows)}个单位", sum(r.projects for r in rows), None,
                 sum(len(r.negatives) for r in rows)])  # fmt: skip


def negative_sheet(wb, ctx):
    cols = [Col("序号", 6, "count"), Col("责任单位", 28), Col("项目编号", 16), Col("项目名称", 36),
            Col("负面事项", 60)]  # fmt: skip
    sheet = Sheet(wb, "负面清单", ctx.title("负面清单"), cols)
    n = 0
    for r in _records(ctx):
        for e in r.negatives:
            n += 1
            if hasattr(e, "project_code"):
                sheet.row([n, r.name, e.project_code, e.project_name, e.reason])
            else:
                sheet.row([n, r.name, "", "", str(e)])
    if not n:
        sheet.empty()
