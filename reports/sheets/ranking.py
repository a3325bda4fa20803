"""排名 (quarterly) and 年度考评 (yearly): scores and ranks of regions and units, 红榜/黑榜."""

from assessments.scoring import (
    BLACK_BOARD,
    PENALTY_LABEL,
    RED_BOARD,
    SCORE_LABEL,
    scores,
    subject,
)
from assessments.scoring import COMPONENTS as PARTS
from reports.sheets import Col, Sheet


def score_cols(what):
    return [
        Col("排名", 6, "count"),
        Col(what, 26),
        Col(f"{SCORE_LABEL}(分)", 12, "pct"),
        *[Col(f"{label}(分)", 11, "pct") for _key, label in PARTS],
        Col(f"{PENALTY_LABEL}(分)", 9, "pct"),
        Col("投资完成率(%)", 12, "pct"),
        Col("榜单", 8, "status"),
    ]


BOARD_STATUS = {RED_BOARD: "ahead", BLACK_BOARD: "lagging", "": None}


def write_scores(wb, ctx, name):
    sheet = Sheet(wb, name, ctx.title(name), score_cols("县区 / 责任单位"), lead=ctx.ranking_text)
    for by in ("region", "unit"):
        rows = scores(ctx.projects, ctx.period, by=by)
        heading = subject(ctx.projects, ctx.period, by)
        sheet.empty(f"{heading}排名（{ctx.period.label}，共{len(rows)}个）")
        for r in rows:
            parts = [r.components.get(key) for key, _label in PARTS]
            sheet.row(
                [r.rank, r.name, r.score, *parts, r.penalty, r.completion_rate, r.board],
                status=BOARD_STATUS[r.board],
            )
