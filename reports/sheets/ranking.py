"""排名 (quarterly) and 年度考评 (yearly): scores and ranks of regions and units, 红榜/黑榜."""

from assessments.scoring import scores
from reports.sheets import Col, Sheet

PARTS = [
    ("investment", "投资完成"),
    ("start", "开工率"),
    ("milestone", "节点按期"),
    ("report", "按时报送"),
    ("problem", "问题按期解决"),
]


def score_cols(what):
    return [
        Col("排名", 6, "count"),
        Col(what, 26),
        Col("综合得分(分)", 12, "pct"),
        *[Col(f"{label}(分)", 11, "pct") for _key, label in PARTS],
        Col("扣分(分)", 9, "pct"),
        Col("投资完成率(%)", 12, "pct"),
        Col("榜单", 8, "status"),
    ]


def _board(row, rows):
    if len(rows) > 1 and row is rows[-1]:
        return "黑榜", "lagging"
    if row is rows[0]:
        return "红榜", "ahead"
    return "", None


def write_scores(wb, ctx, name):
    sheet = Sheet(wb, name, ctx.title(name), score_cols("县区 / 责任单位"), lead=ctx.ranking_text)
    for by, heading in (("region", "县区"), ("unit", "责任单位")):
        rows = scores(ctx.projects, ctx.period, by=by)
        sheet.empty(f"{heading}排名（共{len(rows)}个）")
        for r in rows:
            board, status = _board(r, rows)
            parts = [r.components.get(key) for key, _label in PARTS]
            sheet.row(
                [r.rank, r.name, r.score, *parts, r.penalty, r.completion_rate, board],
                status=status,
            )
