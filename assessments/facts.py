"""Per-project facts for one month, loaded in a fixed number of queries (no per-project SQL).

The rule functions in `assessments.status` are pure: they read these dataclasses only.
Everything is judged "as of" the last day of the month, or today while the month runs
(SPEC §3.8: a milestone due on the 15th is not overdue on the 8th), so recomputing an old
month later gives the same answer as long as the approved data has not changed (a milestone
finished after the month was still overdue at its end).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from assessments.models import ProjectMonth
from core.periods import as_of as period_as_of
from core.periods import month_end
from milestones.choices import MilestoneKind, ProblemStatus, ReportStatus
from milestones.models import Milestone, Problem
from registry.choices import Stage
from registry.models import Funding
from registry.selectors import membership_between, on_list


@dataclass(frozen=True)
class Overdue:
    """An overdue milestone or problem at the month's end."""

    name: str
    due: datetime.date
    days: int
    supervised: bool = False
    kind: str = ""


@dataclass
class ProjectFacts:
    project_id: int
    code: str
    year: int
    month: int
    should_report: bool = True
    finished_on: datetime.date | None = None  # 竣工/投产 before the month: not judged
    finished_as: str = ""  # "竣工", "投产", "达产"
    report_status: str | None = None  # None: no report at all
    ytd: Decimal | None = None  # approved year-to-date completed investment
    plan: Decimal | None = None  # annual planned investment
    planned_cum: Decimal | None = None  # cumulative schedule at the month, if any
    planned_prev: Decimal | None = None  # … at the month before (a running month's T)
    planned_start: datetime.date | None = None
    started_on: datetime.date | None = None
    milestones: list[Overdue] = field(default_factory=list)
    problems: list[Overdue] = field(default_factory=list)
    funds_planned: Decimal = Decimal("0")
    funds_in_place: Decimal = Decimal("0")
    as_of_date: datetime.date | None = None  # default: the month's last day

    @property
    def as_of(self) -> datetime.date:
        return self.as_of_date or month_end(self.year, self.month)

    @property
    def approved(self) -> bool:
        return self.report_status == ReportStatus.APPROVED


def load_facts(year: int, month: int, project_ids=None, as_of=None) -> list[ProjectFacts]:
    """Facts of every leaf project on year `year`'s list (or of `project_ids` among them),
    as of the month's last day, today while it runs (or an earlier `as_of`)."""
    ((_month, facts),) = load_facts_months(
        year, {month: as_of or period_as_of(year, month)}, project_ids
    )
    return facts


def load_facts_months(year: int, ends: dict, project_ids=None):
    """(month, facts) for each month of `ends` (month → as-of day), in its order.

    The same queries as one month's (one per table for all the months at once: the plans,
    membership and reports come from the monthly fact table), then split in Python.
    The queries run at once; the facts are built a month at a time as the returned iterator
    is consumed (so it may feed a COPY on the same connection, and only one month's facts
    are in memory)."""
    months = list(ends)
    first_end, last_end = min(ends.values()), max(ends.values())
    # On the list on some day of these months; each month keeps those on it at its as-of
    # day (SPEC §3.8: a project withdrawn on 3 December is still judged for November).
    leaves = membership_between(year, first_end, last_end).filter(is_package=False)
    if project_ids is not None:
        leaves = leaves.filter(pk__in=project_ids)
    ids = leaves.values("pk")
    projects = list(
        leaves.order_by("code").values(
            "pk", "code", "planned_start", "started_on", "completed_on", "stage"
        )
    )
    # Plan, membership and reports: the months' rows of the fact table, in one query.
    rows = defaultdict(list)
    for r in ProjectMonth.objects.filter(
        year=year, month__in=months, project_id__in=ids
    ).values_list(*_MONTH_FIELDS):
        rows[r[1]].append(r)
    # Open at the earliest month's end and due before the latest one's: a superset of every
    # month's overdue items, narrowed per month below.
    open_at_end = Q(actual_on__isnull=True) | Q(actual_on__gt=first_end)
    milestones = list(
        Milestone.objects.filter(open_at_end, planned_on__lt=last_end, project_id__in=ids)
        .order_by("planned_on", "id")
        .values("project_id", "kind", "name", "planned_on", "actual_on")
    )
    unresolved = ~Q(status=ProblemStatus.RESOLVED) | Q(resolved_on__gt=first_end)
    problems = list(
        Problem.objects.filter(unresolved, deadline__lt=last_end, project_id__in=ids)
        .order_by("deadline", "id")
        .values("project_id", "description", "deadline", "is_supervised", "status", "resolved_on")
    )
    funds = list(
        Funding.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(planned=Sum("planned"), in_place=Sum("in_place"))
    )
    return _months(year, ends, projects, rows, milestones, problems, funds)


_MONTH_FIELDS = (
    "project_id", "month", "listed_on", "withdrawn_on", "plan", "plan_cum", "plan_prev",
    "due_start", "report_status", "ytd",
)  # fmt: skip


def _months(year, ends, projects, rows, milestones, problems, funds):
    for month, as_of in ends.items():
        month_rows = {r[0]: r for r in rows[month] if on_list(r[2], r[3], as_of)}
        facts = {
            p["pk"]: _new_facts(p, year, month, as_of) for p in projects if p["pk"] in month_rows
        }
        for pk, f in facts.items():
            _apply_row(f, month_rows[pk])
        # A project finished before the month is not judged on what it left open (a 达产
        # milestone still ahead, say): it is in none of the overdue lists either.
        for ms in milestones:  # by planned_on: the rest are not due yet
            if ms["planned_on"] >= as_of:
                break
            f = facts.get(ms["project_id"])
            if f and not f.finished_on and (ms["actual_on"] is None or ms["actual_on"] > as_of):
                _apply_milestone(f, ms, as_of)
        for pb in problems:  # by deadline, likewise
            if pb["deadline"] >= as_of:
                break
            f = facts.get(pb["project_id"])
            if (
                f
                and not f.finished_on
                and (
                    pb["status"] != ProblemStatus.RESOLVED
                    or (pb["resolved_on"] is not None and pb["resolved_on"] > as_of)
                )
            ):
                _apply_problem(f, pb, as_of)
        for row in funds:
            if row["project_id"] in facts:
                f = facts[row["project_id"]]
                f.funds_planned, f.funds_in_place = row["planned"] or 0, row["in_place"] or 0
        yield month, list(facts.values())


FINISHED_AS = {Stage.OPERATING: "投产", Stage.CAPACITY: "达产"}


def _new_facts(p, year, month, as_of) -> ProjectFacts:
    first_day = datetime.date(year, month, 1)
    done_before = p["completed_on"] is not None and p["completed_on"] < first_day
    return ProjectFacts(
        project_id=p["pk"],
        code=p["code"],
        year=year,
        month=month,
        # A project finished before the month has nothing left to report.
        should_report=not done_before,
        finished_on=p["completed_on"] if done_before else None,
        finished_as=FINISHED_AS.get(p["stage"], "竣工") if done_before else "",
        as_of_date=as_of,
        planned_start=p["planned_start"],
        started_on=p["started_on"] if p["started_on"] and p["started_on"] <= as_of else None,
    )


def _apply_row(f, row):
    _pk, _month, _listed, _withdrawn, plan, cum, prev, due, report_status, ytd = row
    f.plan, f.planned_cum, f.planned_prev = plan, cum, prev
    # The year's target start date, when the plan gives one, is what "due" means.
    f.planned_start = due
    f.report_status = report_status or None
    # Only finally approved data counts (SPEC §3.6).
    if report_status == ReportStatus.APPROVED:
        f.ytd = ytd


def _apply_milestone(f, ms, as_of):
    unstarted = f.started_on is None and f.planned_start and f.planned_start < as_of
    if ms["kind"] == MilestoneKind.START and unstarted:
        return  # the same fact as 应开未开, judged by that rule
    f.milestones.append(
        Overdue(ms["name"], ms["planned_on"], (as_of - ms["planned_on"]).days, kind=ms["kind"])
    )


def _apply_problem(f, pb, as_of):
    f.problems.append(
        Overdue(
            pb["description"][:40],
            pb["deadline"],
            (as_of - pb["deadline"]).days,
            pb["is_supervised"],
        )
    )
