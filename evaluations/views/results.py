"""Results: the printable 通报, its workbook, and the 回头看 of the last event's projects.

Before the event closes only its managers see the ranking, marked 草稿 (it moves with every
score); once closed everyone who sees the event gets the frozen version."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.excel import workbook
from core.excel.workbook import xlsx_response
from evaluations import results as results_mod
from evaluations import selectors
from evaluations.lookback import lookback
from evaluations.views.events import visible_event
from registry.views.mixins import role_required


def _ranked_event(request, pk):
    event = visible_event(request, pk)
    if event.is_open and not selectors.can_manage(request.user):
        raise PermissionDenied("评比结果尚未发布")
    return event, results_mod.results(event)


@require_safe
@role_required()
def bulletin(request, pk):
    event, groups = _ranked_event(request, pk)
    red, black = results_mod.boards_of(groups)
    return render(
        request,
        "evaluations/bulletin.html",
        {
            "event": event,
            "groups": groups,
            "red": red,
            "black": black,
            "criteria": list(event.criteria.all()),
            "n_evaluators": event.evaluators.count(),
        },
    )


def result_rows(groups):
    """Rows of the workbook: one per visited project, with its participant's rank."""
    for g in groups:
        for r in g.rows:
            for p in r.projects:
                yield [
                    g.name, r.rank or None, r.name, r.score, r.board or None, p.code, p.name,
                    p.route, p.n_scores, "是" if p.trimmed else "否", p.score,
                ]  # fmt: skip


@require_safe
@role_required()
def export(request, pk):
    event, groups = _ranked_event(request, pk)
    state = event.issue if not event.is_open else "草稿（未发布）"
    data = workbook.table(
        title=f"{event.name}评比结果（{state}）",
        sheet="评比结果",
        headers=[
            "比较组",
            "名次",
            "参评主体",
            "参评得分",
            "红黑榜",
            "项目编号",
            "项目名称",
            "路线",
            "有效评分数",
            "去掉最高最低分",
            "项目得分",
        ],  # fmt: skip
        rows=result_rows(groups),
        widths={0: 16, 2: 22, 5: 16, 6: 36, 7: 14},
    )
    return xlsx_response(data, f"观摩评比结果-{event.pk}.xlsx")


@require_safe
@role_required()
def lookback_page(request, pk):
    event = visible_event(request, pk)
    previous, lines = lookback(event)
    return render(
        request,
        "evaluations/lookback.html",
        {"event": event, "previous": previous, "lines": lines},
    )
