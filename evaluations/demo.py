"""Demo 观摩评比 (called by seed_demo): last half-year's event closed with its results, this
half-year's open with some scores. Deterministic (a seeded draw, projects by code) and
idempotent (an event that exists is left as it is)."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from evaluations import services
from evaluations.choices import ParticipantKind
from evaluations.models import Event, Score
from evaluations.selectors import candidate_projects, stop_conflict
from registry.choices import RegionLevel

EVALUATORS = ["drc", "leader", "drc_lj", "leader_lj", "tb_lj", "tb_yf", "tb_jt"]
TOWNS, PER_TOWN, UNITS, PER_UNIT = 5, 2, 4, 2
TENTH = Decimal("0.1")


def _halves(today: datetime.date):
    """(start of last half-year's event, start of this half-year's event)."""
    if today.month >= 7:
        last = datetime.date(today.year, 6, 18)
        this_start = datetime.date(today.year, 7, 1)
    else:
        last = datetime.date(today.year - 1, 12, 10)
        this_start = datetime.date(today.year, 1, 1)
    return last, max(this_start, today - datetime.timedelta(days=2))


def _name(day: datetime.date) -> str:
    return (
        f"{day.year}年{'上' if day.month <= 6 else '下'}半年重点项目观摩评比（互看互学·互比互评）"
    )


def _pick(event):
    """Towns' projects (each town compared by its projects) and city departments' ones."""
    towns, units, chosen = {}, {}, []
    for p in candidate_projects(event).select_related("unit__region").order_by("code"):
        if p.region.level == RegionLevel.TOWN:
            if p.region_id not in towns and len(towns) >= TOWNS:
                continue
            bucket, kind = towns.setdefault(p.region_id, []), ParticipantKind.REGION
            limit = PER_TOWN
        elif p.unit_id and p.unit.region.parent_id is None:
            if p.unit_id not in units and len(units) >= UNITS:
                continue
            bucket, kind = units.setdefault(p.unit_id, []), ParticipantKind.UNIT
            limit = PER_UNIT
        else:
            continue
        if len(bucket) < limit:
            bucket.append(p)
            chosen.append((p, kind))
    return chosen


def _build(start: datetime.date, user) -> Event:
    event = services.event_create(
        name=_name(start), year=start.year, starts_on=start,
        ends_on=start + datetime.timedelta(days=1), user=user,
        note="一天半时间，分两条路线观摩，乡镇（街道）和市直部门分组比较",
    )  # fmt: skip
    groups = [services.group_add(event=event, name=n) for n in ("乡镇（街道）组", "市直部门组")]
    routes = [services.route_add(event=event, name=n) for n in ("东线", "西线")]
    for i, (project, kind) in enumerate(_pick(event)):
        group = groups[0] if kind == ParticipantKind.REGION else groups[1]
        services.stop_add(
            event=event, project_id=project.pk, group=group, route=routes[i % 2],
            participant_kind=kind,
        )  # fmt: skip
    users = get_user_model().objects.filter(username__in=EVALUATORS).select_related("profile")
    for user_ in sorted(users, key=lambda u: EVALUATORS.index(u.username)):
        services.evaluator_add(event=event, user=user_)
    return event


def _score(event, rng, *, share: float) -> int:
    """Each evaluator scores the share of projects they may score (their own excepted)."""
    criteria = list(event.criteria.all())
    stops = list(event.stops.select_related("project__region", "unit").order_by("pk"))
    rows = []
    for ev in event.evaluators.select_related("user__profile__region").order_by("pk"):
        profile = ev.user.profile
        for stop in stops[: max(1, round(len(stops) * share))]:
            if stop_conflict(profile, stop):
                continue
            quality = rng.uniform(0.62, 0.97)
            for c in criteria:
                points = (c.max_points * Decimal(str(quality))).quantize(TENTH)
                rows.append(Score(evaluator=ev, stop=stop, criterion=c, points=points))
    Score.objects.bulk_create(rows)
    return len(rows)


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    drc = get_user_model().objects.filter(username="drc").first()
    if drc is None:
        return
    last, this = _halves(today)
    rng = random.Random(seed)
    with transaction.atomic():
        done = []
        if not Event.objects.filter(name=_name(last)).exists():
            event = _build(last, drc)
            _score(event, rng, share=1.0)
            closed = timezone.make_aware(
                datetime.datetime.combine(event.ends_on, datetime.time(18, 0))
            )
            services.event_close(event=event, user=drc, now=closed)
            done.append(f"{event.name}（已发布）")
        if not Event.objects.filter(name=_name(this)).exists():
            event = _build(this, drc)
            _score(event, rng, share=0.5)
            done.append(f"{event.name}（评分中）")
    if done:
        stdout.write("观摩评比：" + "；".join(done))
