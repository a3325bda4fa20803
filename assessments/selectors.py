"""Reads of the assessments app shared by pages, exports, the API and reports.

Every list starts from `metrics.scoped_projects` (scoping + the year's list + filters), so
the pages, their exports and the home cards count the same projects.
"""

import datetime
from dataclasses import dataclass

from assessments.choices import Status
from assessments.facts import load_facts
from assessments.models import ProjectMonthStatus, RuleSet
from assessments.services import active_rules
from assessments.status import unstarted_days, unstarted_months
from core.cache import cached
from core.periods import as_of
from milestones import periods


def default_month(year: int, today: datetime.date | None = None) -> int:
    """The month pages show for `year` when none is asked for: the last closed month
    (SPEC §3.8, `milestones.periods`), never the latest month someone happened to assess."""
    return periods.default_month(year, today)


def _live(kind, compute, projects, year, month, as_of):
    """`compute(projects, year, month, as_of=as_of)`, through the figure cache when `as_of`
    is the usual reading (today while the month runs, see `live_as_of`): at city scale these
    lists take a second or more. The day is part of the key, so they move on at midnight."""
    if as_of != live_as_of(year, month):
        return compute(projects, year, month, as_of=as_of)
    return cached(kind, projects, year, month, compute, as_of=as_of)


def scope_facts(projects, year, month, as_of):
    """The facts of `projects` for the month as of `as_of`: what the home cards and the three
    live lists read."""
    return _live("live-facts", _facts, projects, year, month, as_of)


def _facts(projects, year, month, *, as_of):
    return load_facts(year, month, projects.values("pk"), as_of)


def supervision_counts(projects, year, month, as_of) -> dict:
    """Counts of the three live lists, from the same facts the list pages use (the counts
    themselves are cached too: unpickling a city's facts for four numbers costs 100 ms)."""
    return _live("supervision-counts", _supervision_counts, projects, year, month, as_of)


def _supervision_counts(projects, year, month, *, as_of) -> dict:
    facts = scope_facts(projects, year, month, as_of)
    return {
        "unstarted": sum(1 for f in facts if unstarted_days(f)),
        "milestones": sum(len(f.milestones) for f in facts),
        "problems": sum(len(f.problems) for f in facts),
        "unregistered": unregistered_projects(projects, year, as_of).count(),
    }


def live_as_of(year: int, month: int, today: datetime.date | None = None) -> datetime.date:
    """Lists of overdue things are judged today while the month runs, else at its end."""
    return as_of(year, month, today)


def status_rows(projects, year: int, month: int, statuses):
    """Stored statuses of `projects` for the month, with the project for links."""
    return (
        ProjectMonthStatus.objects.filter(
            year=year, month=month, status__in=statuses, project__in=projects
        )
        .select_related("project", "project__region", "project__unit", "project__leader")
        .order_by("project__code")
    )


@dataclass
class Row:
    project: object  # None until `attach_projects` (the cached lists keep only the id)
    cells: list
    reason: str
    level: str  # Status value for the row's colour
    project_id: int = 0


def _projects_by_id(projects, ids):
    return projects.select_related("region", "unit", "leader").in_bulk(list(ids))


def attach_projects(rows, projects) -> list[Row]:
    """Each row's project (with region, unit and leader for the columns), in one query: a
    list page attaches only its page's 50, an export or a report all of them."""
    rows = list(rows)
    by_id = _projects_by_id(projects, {r.project_id for r in rows if r.project is None})
    for r in rows:
        if r.project is None:
            r.project = by_id[r.project_id]
    return rows


def _codes(facts) -> dict:
    return {f.project_id: f.code for f in facts}


def _sorted(rows, code, days_cell):
    """Most overdue first, then by project code (the lists' order)."""
    return sorted(rows, key=lambda r: (-r.cells[days_cell], code[r.project_id]))


def _attached(rows, projects, attach):
    return attach_projects(rows, projects) if attach else rows


def unstarted_rows(projects, year, month, as_of, *, attach=True) -> list[Row]:
    """应开未开: planned start passed, not started (live, judged by the rule set)."""
    rows = _live("unstarted", _unstarted_rows, projects, year, month, as_of)
    return _attached(rows, projects, attach)


def _unstarted_rows(projects, year, month, *, as_of) -> list[Row]:
    rules = active_rules(year)
    found = [f for f in scope_facts(projects, year, month, as_of) if unstarted_days(f)]
    rows = []
    for f in found:
        days, running = unstarted_days(f), unstarted_months(f)
        lag = days > rules.unstarted_lag_days
        reason = f"应开未开{days}天（计划开工{f.planned_start:%Y-%m-%d}），已连续{running}个月"
        level = Status.LAGGING if lag else Status.WARNING
        rows.append(Row(None, [f.planned_start, days, running], reason, level, f.project_id))
    return _sorted(rows, _codes(found), 1)


def milestone_rows(projects, year, month, as_of, *, attach=True) -> list[Row]:
    """节点逾期: one row per milestone past its planned date without an actual date."""
    rows = _live("milestone-rows", _milestone_rows, projects, year, month, as_of)
    return _attached(rows, projects, attach)


def _milestone_rows(projects, year, month, *, as_of) -> list[Row]:
    rules = active_rules(year)
    facts = scope_facts(projects, year, month, as_of)
    found = [(f, ms) for f in facts for ms in f.milestones]
    rows = []
    for f, ms in found:
        lag = ms.days >= rules.milestone_lag_days
        reason = f"节点“{ms.name}”逾期{ms.days}天（计划{ms.due:%Y-%m-%d}）"
        level = Status.LAGGING if lag else Status.WARNING
        rows.append(Row(None, [ms.name, ms.due, ms.days], reason, level, f.project_id))
    return _sorted(rows, _codes(f for f, _ms in found), 2)


def problem_rows(projects, year, month, as_of, *, attach=True) -> list[Row]:
    """问题逾期: one row per problem past its deadline and not resolved."""
    rows = _live("problem-rows", _problem_rows, projects, year, month, as_of)
    return _attached(rows, projects, attach)


def _problem_rows(projects, year, month, *, as_of) -> list[Row]:
    rules = active_rules(year)
    facts = scope_facts(projects, year, month, as_of)
    found = [(f, pb) for f in facts for pb in f.problems]
    rows = []
    for f, pb in found:
        warns = pb.supervised and rules.supervised_problem_warns
        tag = "督办" if pb.supervised else ""
        reason = f"{tag}问题“{pb.name}”逾期{pb.days}天（时限{pb.due:%Y-%m-%d}）"
        level = Status.WARNING if warns else Status.NORMAL
        cells = [pb.name, "是" if pb.supervised else "否", pb.due, pb.days]
        rows.append(Row(None, cells, reason, level, f.project_id))
    return _sorted(rows, _codes(f for f, _pb in found), 3)


def unregistered_projects(projects, year: int, as_of: datetime.date):
    """应入统未入统 (SPEC §3.1, one of the 三督): leaves started more than the rule set's days
    before `as_of` and not registered in the investment statistics by then."""
    due_days = active_rules(year).statistics_due_days
    return (
        projects.filter(
            is_package=False,
            started_on__isnull=False,
            started_on__lt=as_of - datetime.timedelta(days=due_days),
        )
        .exclude(stats_registered=True, stats_registered_on__isnull=True)
        .exclude(stats_registered=True, stats_registered_on__lte=as_of)
        .select_related("region", "unit", "leader")
    )


def unregistered_rows(projects, year, month, as_of) -> list[Row]:
    rows, to_rows = unregistered_source(projects, year, month, as_of)
    return to_rows(rows)


def unregistered_source(projects, year, month, as_of):
    """(the projects in list order, a function making their rows) so that a page can take
    its 50 rows in the database. Most overdue first: the earliest start is the most overdue,
    since every project has the same number of days to register."""
    due_days = active_rules(year).statistics_due_days
    ordered = unregistered_projects(projects, year, as_of).order_by("started_on", "code")
    return ordered, lambda chunk: [_unregistered_row(p, as_of, due_days) for p in chunk]


def _unregistered_row(p, as_of, due_days) -> Row:
    due = p.started_on + datetime.timedelta(days=due_days)
    days = (as_of - due).days
    reason = (
        f"已开工{(as_of - p.started_on).days}天未入统（开工{p.started_on:%Y-%m-%d}，"
        f"应于{due:%Y-%m-%d}前入统），超期{days}天"
    )
    return Row(p, [p.started_on, due, days], reason, Status.WARNING, p.pk)


def project_strip(project, year: int) -> list[dict]:
    """The 12 months of a project's stored statuses for the detail page's colour strip."""
    from assessments.choices import STATUS_COLOUR

    stored = {s.month: s for s in ProjectMonthStatus.objects.filter(project=project, year=year)}
    out = []
    for m in range(1, 13):
        s = stored.get(m)
        out.append(
            {
                "month": m,
                "status": s.get_status_display() if s else "",
                "colour": STATUS_COLOUR[s.status] if s else "none",
                "reason": s.reason_text if s else "未评价",
            }
        )
    return out


def rule_sets():
    return RuleSet.objects.all()
