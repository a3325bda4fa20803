"""Writes of the evaluation events (SPEC §3.10). Every rule refused here, with a Chinese
message (ValidationError); views and the API only call these."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evaluations.choices import DEFAULT_CRITERIA, EventStatus, ParticipantKind
from evaluations.models import Criterion, Evaluator, Event, Group, Route, Score, Stop
from evaluations.selectors import candidate_projects, evaluator_of, stop_conflict


def _open(event: Event) -> None:
    if not event.is_open:
        raise ValidationError("活动已结束并发布结果，不能再修改")


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def event_create(*, name: str, year: int, starts_on: datetime.date, ends_on: datetime.date,
                 user, note: str = "") -> Event:  # fmt: skip
    """A new event whose scoring sheet is a copy of the last event's (else the default)."""
    last = Event.objects.order_by("-starts_on", "-pk").first()
    event = _saved(
        Event(
            name=name, year=year, starts_on=starts_on, ends_on=ends_on, note=note, created_by=user
        )  # fmt: skip
    )
    if last is not None and last.criteria.exists():
        sheet = [(c.name, c.max_points, c.description) for c in last.criteria.all()]
    else:
        sheet = [(n, Decimal(p), d) for n, p, d in DEFAULT_CRITERIA]
    Criterion.objects.bulk_create(
        Criterion(event=event, name=n, max_points=p, description=d, order=i)
        for i, (n, p, d) in enumerate(sheet, start=1)
    )
    return event


def group_add(*, event: Event, name: str) -> Group:
    _open(event)
    return _saved(Group(event=event, name=name.strip(), order=event.groups.count() + 1))


def route_add(*, event: Event, name: str) -> Route:
    _open(event)
    return _saved(Route(event=event, name=name.strip(), order=event.routes.count() + 1))


def stop_add(*, event: Event, project_id: int, group: Group, route: Route,
             participant_kind: str = ParticipantKind.REGION) -> Stop:  # fmt: skip
    """Put a project of the event's list (as it stood on the first day) on a route."""
    _open(event)
    if group.event_id != event.pk or route.event_id != event.pk:
        raise ValidationError("比较组或路线不属于本活动")
    project = candidate_projects(event).filter(pk=project_id).first()
    if project is None:
        raise ValidationError(
            f"该项目不在{event.year}年重点项目名单（{event.starts_on:%Y-%m-%d}）中，或已在观摩名单"
        )
    if participant_kind == ParticipantKind.UNIT and project.unit_id is None:
        raise ValidationError("该项目没有责任单位，不能按单位参评")
    by_unit = participant_kind == ParticipantKind.UNIT
    return _saved(
        Stop(
            event=event,
            project=project,
            group=group,
            route=route,
            participant_kind=participant_kind,
            region=None if by_unit else project.region,
            unit=project.unit if by_unit else None,
            order=route.stops.count() + 1,
        )  # fmt: skip
    )


def stop_remove(*, event: Event, stop: Stop) -> None:
    _open(event)
    if stop.scores.exists():
        raise ValidationError("该项目已有评委评分，不能移出观摩名单")
    stop.delete()


def criterion_save(*, event: Event, criterion: Criterion | None, name: str, max_points,
                   description: str = "") -> Criterion:  # fmt: skip
    """Add or change a line of the scoring sheet (not once anyone has scored with it)."""
    _open(event)
    if criterion is not None and criterion.scores.exists():
        raise ValidationError(f"评分项“{criterion.name}”已有评分，不能再修改")
    if criterion is None:
        if Score.objects.filter(stop__event=event).exists():
            raise ValidationError("评委已开始评分，不能再增加评分项")
        criterion = Criterion(event=event, order=event.criteria.count() + 1)
    criterion.name, criterion.description = name.strip(), description.strip()
    criterion.max_points = parse_points(max_points, what="分值")
    return _saved(criterion)


def criterion_delete(*, event: Event, criterion: Criterion) -> None:
    _open(event)
    if criterion.scores.exists():
        raise ValidationError(f"评分项“{criterion.name}”已有评分，不能删除")
    criterion.delete()


def evaluator_add(*, event: Event, user) -> Evaluator:
    _open(event)
    return _saved(Evaluator(event=event, user=user))


def evaluator_remove(*, event: Event, evaluator: Evaluator) -> None:
    _open(event)
    if evaluator.scores.exists():
        raise ValidationError("该评委已评分，不能移除")
    evaluator.delete()


def parse_points(raw, *, what="得分") -> Decimal:
    """A number of points: a Decimal with at most two places, never negative."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{what}应为数字：“{raw}”") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(f"{what}不能为负数")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{what}最多两位小数")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def score_save(*, event: Event, user, stop_id: int, criterion_id: int, points) -> Score | None:
    """Save (or with empty `points` clear) one evaluator's points for one criterion of one
    project. Refused: a closed event, a user who is not its evaluator, a project of their own
    region or unit, points outside 0…the criterion's maximum."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _open(event)
    evaluator = evaluator_of(user, event)
    if evaluator is None:
        raise ValidationError("您不是本活动的评委")
    stop = event.stops.select_related("project__region", "unit").filter(pk=stop_id).first()
    criterion = event.criteria.filter(pk=criterion_id).first()
    if stop is None or criterion is None:
        raise ValidationError("观摩项目或评分项不存在")
    reason = stop_conflict(getattr(user, "profile", None), stop)
    if reason:
        raise ValidationError(f"{reason}：{stop.project.name}")
    if points is None or str(points).strip() == "":
        Score.objects.filter(evaluator=evaluator, stop=stop, criterion=criterion).delete()
        return None
    value = parse_points(points)
    if value > criterion.max_points:
        raise ValidationError(f"“{criterion.name}”最高{criterion.max_points}分")
    score, _ = Score.objects.update_or_create(
        evaluator=evaluator, stop=stop, criterion=criterion, defaults={"points": value}
    )
    return score


@transaction.atomic
def event_close(*, event: Event, user, now=None) -> Event:
    """Close the event: freeze the ranking, what each project stood at (for the next event's
    回头看), and write the 红榜/黑榜 and ranks into the 绩效库 and 负面清单."""
    from evaluations import publication

    event = Event.objects.select_for_update().get(pk=event.pk)
    _open(event)
    if not event.stops.exists():
        raise ValidationError("活动还没有观摩项目，不能发布")
    publication.publish(event, user=user, now=now or timezone.now())
    event.status = EventStatus.CLOSED
    event.save()
    return event
