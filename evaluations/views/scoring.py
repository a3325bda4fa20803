"""Scoring on a phone: a route's project cards, each criterion saved as it is typed."""

import json

from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from evaluations import selectors, services
from evaluations.views.events import visible_event
from milestones.models import ReportPhoto
from milestones.views.photos import thumbnail_response
from registry.views.mixins import role_required


def _route(event, raw):
    routes = list(event.routes.all())
    if not raw:
        return routes[0] if routes else None, routes
    try:
        pk = int(raw)
    except ValueError:
        raise BadRequest("路线参数应为数字") from None
    chosen = next((r for r in routes if r.pk == pk), None)
    if chosen is None:
        raise BadRequest("本活动没有这条路线")
    return chosen, routes


@require_safe
@role_required()
def score_page(request, pk):
    event = visible_event(request, pk)
    evaluator = selectors.evaluator_of(request.user, event)
    if evaluator is None:
        raise PermissionDenied("您不是本活动的评委")
    route, routes = _route(event, request.GET.get("route"))
    cards = selectors.cards(event, evaluator, route) if route is not None else []
    criteria = list(event.criteria.all())
    for card in cards:
        card.lines = [(c, card.scores.get(c.pk)) for c in criteria]
    return render(
        request,
        "evaluations/score.html",
        {"event": event, "route": route, "routes": routes, "cards": cards, "criteria": criteria},
    )


@require_POST
@role_required()
def score_save(request, pk):
    """One criterion of one project, as JSON: {"stop", "criterion", "points"} → the saved
    value and time, or a 400 with the Chinese reason (nothing saved)."""
    event = visible_event(request, pk)
    if selectors.evaluator_of(request.user, event) is None:
        return JsonResponse({"error": "您不是本活动的评委"}, status=403)
    try:
        body = json.loads(request.body or b"{}")
        stop_id, criterion_id = int(body["stop"]), int(body["criterion"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "请求格式不正确"}, status=400)
    try:
        score = services.score_save(
            event=event, user=request.user, stop_id=stop_id, criterion_id=criterion_id,
            points=body.get("points"),
        )  # fmt: skip
    except ValidationError as exc:
        return JsonResponse({"error": "；".join(exc.messages)}, status=400)
    saved = timezone.localtime(score.updated_at if score else timezone.now())
    return JsonResponse(
        {"points": None if score is None else str(score.points), "saved_at": f"{saved:%H:%M:%S}"}
    )


@require_safe
@role_required()
def photo(request, pk, photo_pk):
    """A site photo of a project the event visits, for whoever sees the event (an evaluator
    outside the project's usual scope included)."""
    event = visible_event(request, pk)
    item = get_object_or_404(
        ReportPhoto.objects.filter(report__project__evaluation_stops__event=event), pk=photo_pk
    )
    return thumbnail_response(item)
