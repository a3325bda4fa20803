"""Reads of the evaluation events: who sees and manages which, the scoring cards, progress.

Who sees an event (SPEC §1, §3.10): admins and the city DRC's reviewers (who run events), the
city's leaders, and the event's own evaluators (评委, a role given per event: they see the
projects of its routes there, whatever their usual scope). Nobody else.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from assessments import metrics
from assessments.choices import STATUS_COLOUR, Status
from evaluations.models import Criterion, Evaluator, Event, Score, Stop
from evaluations.rules import conflict
from milestones.models import Milestone, ReportPhoto
from milestones.periods import default_month_of
from registry.choices import Role
from registry.models import Project
from registry.roles import has_role
from registry.scoping import is_city_level

PHOTOS_PER_CARD = 3


def _profile(user):
    try:
        return user.profile
    except Exception:  # no profile: no region or unit of one's own
        return None


def can_manage(user) -> bool:
    """Creates, edits and closes events: admins and the city DRC's reviewers."""
    return is_city_level(user)


def _city_leader(user) -> bool:
    profile = _profile(user)
    return bool(
        has_role(user, Role.LEADER)
        and profile
        and profile.region_id
        and not profile.region.parent_id
    )


def visible_events(user):
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    if can_manage(user) or _city_leader(user):
        return Event.objects.all()
    return Event.objects.filter(evaluators__user=user).distinct()


def event_rows(user):
    """The event list: visible events with their counts (one query)."""
    return visible_events(user).annotate(
        n_stops=Count("stops", distinct=True), n_evaluators=Count("evaluators", distinct=True)
    )


def evaluator_of(user, event) -> Evaluator | None:
    return Evaluator.objects.filter(event=event, user=user).first()


def stops(event):
    return event.stops.select_related(
        "project", "project__region", "project__unit", "group", "route", "region", "unit"
    )


def figures_month(event, today: datetime.date | None = None) -> int:
    """The month an event's figures are of: the last closed month of its year as of the
    earlier of its end and today, and never a month still running on the event's last day
    (SPEC §3.8: nothing judged as of a day to come). January's event shows January."""
    today = today or timezone.localdate()
    day = min(today, event.ends_on)
    month = default_month_of(event.year, day).index
    if day.year == event.year:
        ended = (
            day.month if (day + datetime.timedelta(days=1)).month != day.month else day.month - 1
        )
        month = min(month, max(ended, 1))
    return month


@dataclass
class Card:
    stop: Stop
    ytd: object = None
    plan: object = None
    rate: object = None
    status: str | None = None
    status_label: str = "未评定"
    photos: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)  # criterion id → points (the evaluator's)
    conflict: str | None = None

    @property
    def colour(self) -> str:
        return STATUS_COLOUR.get(self.status, "grey")


def project_figures(project_ids, year: int, month: int) -> dict:
    """{project id: (1-M月累计, 年度计划, 完成率, status)} from assessments.metrics."""
    projects = Project.objects.filter(pk__in=list(project_ids))
    out = {}
    for leaf in metrics.load_leaves(projects, year, month):
        out[leaf.id] = (leaf.ytd, leaf.plan, metrics.rate(leaf.ytd, leaf.plan), leaf.status)
    return out


def _photos(project_ids) -> dict:
    """The latest few site photos of each project (one query)."""
    out: dict = {}
    rows = ReportPhoto.objects.filter(report__project_id__in=list(project_ids)).order_by(
        "-report__year", "-report__month", "-id"
    )
    for photo in rows.only("id", "caption", "report__project_id").select_related("report"):
        bucket = out.setdefault(photo.report.project_id, [])
        if len(bucket) < PHOTOS_PER_CARD:
            bucket.append(photo)
    return out


def cards(event, evaluator=None, route=None) -> list[Card]:
    """The cards of an event's visited projects (of `route` if given), with the evaluator's
    own scores and whether they may score each one. A fixed number of queries."""
    rows = list(stops(event).filter(route=route) if route is not None else stops(event))
    ids = [s.project_id for s in rows]
    month = figures_month(event)
    figures = project_figures(ids, event.year, month)
    photos = _photos(ids)
    mine: dict = {}
    if evaluator is not None:
        for s in Score.objects.filter(evaluator=evaluator, stop__in=[r.pk for r in rows]):
            mine.setdefault(s.stop_id, {})[s.criterion_id] = s.points
    profile = _profile(evaluator.user) if evaluator is not None else None
    labels = dict(Status.choices)
    out = []
    for stop in rows:
        ytd, plan, rate, status = figures.get(stop.project_id, (None, None, None, None))
        card = Card(stop, ytd, plan, rate, status, labels.get(status, "未评定"))
        card.photos = photos.get(stop.project_id, [])
        card.scores = mine.get(stop.pk, {})
        if profile is not None:
            card.conflict = stop_conflict(profile, stop)
        out.append(card)
    return out


def stop_conflict(profile, stop) -> str | None:
    if profile is None:
        return None
    return conflict(
        profile.region if profile.region_id else None,
        profile.unit_id,
        stop.project.region.path,
        stop.project.unit_id,
        stop.unit_id,
    )


@dataclass
class ProgressRow:
    evaluator: Evaluator
    done: int = 0  # projects with a complete sheet
    partial: int = 0
    allowed: int = 0  # projects they may score


def progress(event) -> list[ProgressRow]:
    """Who has scored what: per evaluator, complete and partial sheets of the projects they
    may score (three queries)."""
    n_criteria = event.criteria.count()
    evaluators = list(event.evaluators.select_related("user", "user__profile__region"))
    all_stops = list(stops(event))
    counts = (
        Score.objects.filter(stop__event=event)
        .values("evaluator_id", "stop_id")
        .annotate(n=Count("pk"))
    )
    sheets: dict = {}
    for row in counts:
        sheets.setdefault(row["evaluator_id"], []).append(row["n"])
    out = []
    for ev in evaluators:
        profile = _profile(ev.user)
        allowed = sum(1 for s in all_stops if stop_conflict(profile, s) is None)
        lines = sheets.get(ev.pk, [])
        done = sum(1 for n in lines if n_criteria and n >= n_criteria)
        out.append(ProgressRow(ev, done, len(lines) - done, allowed))
    return out


def event_detail(pk):
    return Event.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.all()),
        "groups",
        "routes",
    ).get(pk=pk)


def candidate_projects(event):
    """Projects that may be visited: leaves on the event's year list as it stood on its first
    day (SPEC §3.8), not yet on it."""
    from registry.selectors import year_list

    listed = year_list(event.year, Project.objects.filter(is_package=False), as_of=event.starts_on)
    return listed.exclude(pk__in=event.stops.values("project_id")).select_related("region", "unit")


def achieved_milestones(project_ids, start: datetime.date | None, end: datetime.date) -> dict:
    """{project id: [names of milestones achieved after `start` and by `end`]}."""
    q = Q(project_id__in=list(project_ids), actual_on__lte=end)
    if start is not None:
        q &= Q(actual_on__gt=start)
    out: dict = {}
    for m in Milestone.objects.filter(q).order_by("actual_on").values("project_id", "name"):
        out.setdefault(m["project_id"], []).append(m["name"])
    return out


def event_as_of(event, today: datetime.date | None = None) -> datetime.date:
    """The day an event judges its projects at: its last day, or today if earlier."""
    today = today or timezone.localdate()
    return min(event.ends_on, today)
