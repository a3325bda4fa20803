"""What a published report froze, as plain JSON (SPEC §3.8): every figure, sentence and list
row, taken from the same objects the page and the workbook are made of (never recomputed).

The shape is what `reports.changes` compares between versions and what the API returns.
"""

from decimal import Decimal

from assessments import metrics

# The figures of one group, in the order the change list names them, with their labels.
FIGURES = [
    ("count", "项目数(项)"),
    ("split_count", "拆分后项目数(项)"),
    ("total_investment", "项目总投资(万元)"),
    ("annual_plan", "年度计划投资(万元)"),
    ("ytd", "累计完成投资(万元)"),
    ("completion_rate", "投资完成率(%)"),
    ("time_progress", "时间进度(%)"),
    ("gap", "较时间进度(百分点)"),
    ("planned_starts", "计划开工(项)"),
    ("started", "实际已开工(项)"),
]


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def figures_of(f: metrics.Figures) -> dict:
    out = {key: _plain(getattr(f, key)) for key, _ in FIGURES}
    out["statuses"] = {label: n for _, label, n in metrics.status_label_counts(f)}
    return out


def _regions(dash: metrics.Dashboard) -> list[dict]:
    return [{"name": r["region"].name, **figures_of(r["figures"])} for r in dash.regions]


def of_bulletin(doc) -> dict:
    """The frozen content of a printable bulletin (reports.bulletin.Bulletin)."""
    return {
        "title": doc.title,
        "period": doc.params.period.label,
        "paragraph": doc.text.paragraph,
        "sentences": dict(doc.text.sentences),
        "totals": figures_of(doc.dash.totals),
        "regions": _regions(doc.dash),
        "lists": [
            {
                "key": x["key"],
                "title": x["title"],
                "total": x["total"],
                "projects": x["projects"],  # the heading counts projects (SPEC §3.8)
                "rows": x["rows"],
            }
            for x in doc.lists
        ],
        "ranking": list(doc.ranking),
        "region_scores": [
            {"rank": r.rank, "name": r.name, "score": _plain(r.score)} for r in doc.region_scores
        ],
    }


def of_workbook(ctx) -> dict:
    """The frozen content of a report with no printable page (the yearly appraisal): its
    workbook's opening paragraph and figures (reports.build.Context)."""
    return {
        "title": f"{ctx.place}重点建设项目{ctx.run.get_kind_display()}",
        "period": ctx.period.label,
        "paragraph": ctx.summary_text,
        "sentences": {},
        "totals": figures_of(ctx.dash.totals),
        "regions": _regions(ctx.dash),
        "lists": [],
        "ranking": [ctx.ranking_text] if ctx.ranking_text else [],
        "region_scores": [],
    }
