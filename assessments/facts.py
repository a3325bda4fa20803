"""Per-project facts for one month, loaded in a fixed number of queries (no per-project SQL).

The rule functions in `assessments.status` are pure: they read these dataclasses only.
Everything is judged "as of" the last day of the month, so recomputing an old month later
gives the same answer as long as the approved data has not changed (a milestone finished
after the month was still overdue at its end).
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from milestones.choices import MilestoneKind, ProblemStatus, ReportStatus
from milestones.models import Milestone, Problem, ProgressReport
from registry.models import MONTH_FIELDS, AnnualPlan, Funding
from registry.selectors import year_list


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


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
    report_status: str | None = None  # None: no report at all
    ytd: Decimal | None = None  # approved year-to-date completed investment
    plan: Decimal | None = None  # annual planned investment
    planned_cum: Decimal | None = None  # cumulative schedule at the month, if any
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
    as of the month's last day (or an earlier `as_of`, for today's live lists)."""
    as_of = as_of or month_end(year, month)
    leaves = year_list(year).filter(is_package=False)
    if project_ids is not None:
        leaves = leaves.filter(pk__in=project_ids)
    ids = leaves.values("pk")
    facts = {}
    for p in leaves.order_by("code").values(
        "pk", "code", "planned_start", "started_on", "completed_on"
    ):
        done_before = p["completed_on"] is not None and p["completed_on"] < as_of.replace(day=1)
        facts[p["pk"]] = ProjectFacts(
            project_id=p["pk"],
            code=p["code"],
            year=year,
            month=month,
            # A project finished before the month has nothing left to report.
            should_report=not done_before,
            as_of_date=as_of,
            planned_start=p["planned_start"],
            started_on=p["started_on"] if p["started_on"] and p["started_on"] <= as_of else None,
        )
    _load_plans(facts, year, month, ids)
    _load_reports(facts, year, month, ids)
    _load_overdue(facts, as_of, ids)
    _load_funds(facts, ids)
    return list(facts.values())


def _load_plans(facts, year, month, ids):
    field_name = MONTH_FIELDS[month - 1]
    for plan in AnnualPlan.objects.filter(year=year, project_id__in=ids).values(
        "project_id", "planned_investment", "target_start", field_name
    ):
        f = facts[plan["project_id"]]
        f.plan = plan["planned_investment"]
        f.planned_cum = plan[field_name]
        # The year's target start date, when the plan gives one, is what "due" means.
        f.planned_start = plan["target_start"] or f.planned_start


def _load_reports(facts, year, month, ids):
    for rep in ProgressReport.objects.filter(year=year, month=month, project_id__in=ids).values(
        "project_id", "status", "invested_ytd"
    ):
        f = facts[rep["project_id"]]
        f.report_status = rep["status"]
        # Only finally approved data counts (SPEC §3.6).
        if rep["status"] == ReportStatus.APPROVED:
            f.ytd = rep["invested_ytd"]


def _load_overdue(facts, as_of, ids):
    open_at_end = Q(actual_on__isnull=True) | Q(actual_on__gt=as_of)
    for ms in (
        Milestone.objects.filter(open_at_end, planned_on__lt=as_of, project_id__in=ids)
        .order_by("planned_on", "id")
        .values("project_id", "kind", "name", "planned_on")
    ):
        f = facts[ms["project_id"]]
        unstarted = f.started_on is None and f.planned_start and f.planned_start < as_of
        if ms["kind"] == MilestoneKind.START and unstarted:
            continue  # the same fact as 应开未开, judged by that rule
        f.milestones.append(
            Overdue(ms["name"], ms["planned_on"], (as_of - ms["planned_on"]).days, kind=ms["kind"])
        )
    unresolved = ~Q(status=ProblemStatus.RESOLVED) | Q(resolved_on__gt=as_of)
    for pb in (
        Problem.objects.filter(unresolved, deadline__lt=as_of, project_id__in=ids)
        .order_by("deadline", "id")
        .values("project_id", "description", "deadline", "is_supervised")
    ):
        facts[pb["project_id"]].problems.append(
            Overdue(
                pb["description"][:40],
                pb["deadline"],
                (as_of - pb["deadline"]).days,
                pb["is_supervised"],
            )
        )


def _load_funds(facts, ids):
    for row in (
        Funding.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(planned=Sum("planned"), in_place=Sum("in_place"))
    ):
        f = facts[row["project_id"]]
        f.funds_planned, f.funds_in_place = row["planned"] or 0, row["in_place"] or 0
