"""The judgement lists (预警, 滞后, 应开未开, 节点逾期, 问题逾期, 应入统未入统): where each
list's items come from and how a slice of them becomes rows. The list pages, their exports and
the printed 通报 read them here, so a list shows the same projects wherever it appears."""

from dataclasses import dataclass

from assessments import selectors
from assessments.choices import Status

BASE_HEADERS = ["项目编号", "项目名称", "所属地区", "责任单位", "分包领导"]  # before a list's own


@dataclass(frozen=True)
class ListKind:
    """`source(projects, year, month, as_of)` gives (the list's items in order, a function
    turning a slice of them into rows): the page converts only its 50 rows, so a city's list
    is paginated in the database (stored statuses, 应入统) or over the cached judgements."""

    title: str
    headers: tuple
    live: bool  # judged today (三督) rather than on the stored month's statuses
    source: object
    one_per_project: bool = True  # else count the projects among the rows
    item_unit: str = "项"  # what a row is, when not a project: "个节点", "个问题"


def _stored(status):
    def source(projects, year, month, as_of):
        def to_rows(chunk):
            return [
                selectors.Row(s.project, [s.get_status_display(), s.r, s.t, s.g],
                              s.reason_text, s.status, s.project_id)
                for s in chunk
            ]  # fmt: skip

        return selectors.status_rows(projects, year, month, [status]), to_rows

    return source


def _judged(rows_of):
    def source(projects, year, month, as_of):
        rows = rows_of(projects, year, month, as_of, attach=False)
        return rows, lambda chunk: selectors.attach_projects(chunk, projects)

    return source


LISTS = {
    "warning": ListKind(
        "预警项目", ("状态", "R(%)", "T(%)", "G(百分点)"), False, _stored(Status.WARNING)
    ),
    "lagging": ListKind(
        "滞后项目", ("状态", "R(%)", "T(%)", "G(百分点)"), False, _stored(Status.LAGGING)
    ),
    "unstarted": ListKind(
        "应开未开项目", ("计划开工", "应开未开(天)", "连续月数"), True,
        _judged(selectors.unstarted_rows),
    ),
    "milestones": ListKind(
        "节点逾期", ("节点", "计划日期", "逾期(天)"), True, _judged(selectors.milestone_rows),
        one_per_project=False, item_unit="个节点",
    ),
    "problems": ListKind(
        "问题逾期", ("问题", "督办", "解决时限", "逾期(天)"), True,
        _judged(selectors.problem_rows), one_per_project=False, item_unit="个问题",
    ),
    "unregistered": ListKind(
        "应入统未入统", ("开工时间", "应入统时间", "超期(天)"), True,
        selectors.unregistered_source,
    ),
}  # fmt: skip


def project_count(kind: str, items, total: int) -> int:
    """How many projects a list's `total` rows are about (a heading counts projects: SPEC
    §3.8; a project with three overdue milestones is one 节点逾期项目)."""
    if LISTS[kind].one_per_project:
        return total
    return len({r.project_id for r in items})


def first_rows(kind: str, projects, year: int, month: int, as_of, limit: int):
    """(how many rows the list has, how many projects they are about, its first `limit` rows
    with their projects attached)."""
    items, to_rows = LISTS[kind].source(projects, year, month, as_of)
    total = len(items) if isinstance(items, list) else items.count()
    return total, project_count(kind, items, total), to_rows(items[:limit])
