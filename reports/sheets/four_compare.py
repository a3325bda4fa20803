"""四比四看 (quarterly and yearly): the scorecard per county, parts weighted by the rule set."""

from assessments.four_compare import PARTS, four_compare
from reports.sheets import Col, Sheet


def write_four_compare(wb, ctx):
    cols = [
        Col("排名", 6, "count"),
        Col("县区", 20),
        Col("四比四看得分(分)", 14, "pct"),
        *[Col(f"{label}(分)", 14, "pct") for _key, label in PARTS],
    ]
    sheet = Sheet(wb, "四比四看", ctx.title("四比四看"), cols)
    for r in four_compare(ctx.projects, ctx.period):
        sheet.row([r.rank, r.name, r.score, *[r.parts[key] for key, _label in PARTS]])
