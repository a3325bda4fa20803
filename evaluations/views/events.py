"""Event pages: the list, a new event, an event's page (set-up, progress) and closing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluations import results as results_mod
from evaluations import selectors, services
from evaluations.forms import CriterionForm, EvaluatorForm, EventForm, NameForm, StopForm
from evaluations.lookback import previous_event
from evaluations.models import Event
from registry.views.mixins import role_required


def visible_event(request, pk) -> Event:
    return get_object_or_404(selectors.visible_events(request.user), pk=pk)


def managed_event(request, pk) -> Event:
    event = visible_event(request, pk)
    if not selectors.can_manage(request.user):
        raise PermissionDenied("只有市发改委审核员和管理员可以管理观摩评比")
    return event


def refused(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@require_safe
@role_required()
def event_list(request):
    events = selectors.event_rows(request.user)
    mine = set(
        selectors.visible_events(request.user)
        .filter(evaluators__user=request.user)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "evaluations/event_list.html",
        {"events": events, "mine": mine, "can_manage": selectors.can_manage(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required()
def event_create(request):
    if not selectors.can_manage(request.user):
        raise PermissionDenied("只有市发改委审核员和管理员可以新建观摩评比")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已新建活动，评分表已从上一次活动复制，可按本次要求修改")
            return redirect("evaluations:detail", pk=event.pk)
    return render(request, "evaluations/event_form.html", {"form": form})


@require_safe
@role_required()
def event_detail(request, pk):
    event = visible_event(request, pk)
    manage = selectors.can_manage(request.user)
    evaluator = selectors.evaluator_of(request.user, event)
    context = {
        "event": event,
        "manage": manage,
        "evaluator": evaluator,
        "criteria": list(event.criteria.all()),
        "groups": list(event.groups.all()),
        "routes": list(event.routes.all()),
        "stops": list(selectors.stops(event)),
        "progress": selectors.progress(event) if manage else [],
        "previous": previous_event(event),
    }
    if manage or not event.is_open:
        context["results"] = results_mod.results(event)
    if manage and event.is_open:
        context["forms"] = {
            "group": NameForm(prefix="group"),
            "route": NameForm(prefix="route"),
            "stop": StopForm(event=event, candidates=selectors.candidate_projects(event)),
            "criterion": CriterionForm(prefix="criterion"),
            "evaluator": EvaluatorForm(event=event),
        }
    return render(request, "evaluations/event_detail.html", context)


def _apply(request, event, action):
    """One set-up change from the event page, through the services."""
    post = request.POST
    if action in ("group", "route"):
        form = NameForm(post, prefix=action)
        if form.is_valid():
            add = services.group_add if action == "group" else services.route_add
            add(event=event, name=form.cleaned_data["name"])
        return form
    if action == "stop":
        form = StopForm(post, event=event, candidates=selectors.candidate_projects(event))
        if form.is_valid():
            d = form.cleaned_data
            services.stop_add(
                event=event, project_id=d["project"], group=event.groups.get(pk=d["group"]),
                route=event.routes.get(pk=d["route"]), participant_kind=d["participant_kind"],
            )  # fmt: skip
        return form
    if action == "criterion":
        form = CriterionForm(post, prefix="criterion")
        if form.is_valid():
            criterion = None
            if post.get("criterion_id"):
                criterion = get_object_or_404(event.criteria, pk=post["criterion_id"])
            services.criterion_save(event=event, criterion=criterion, **form.cleaned_data)
        return form
    if action == "evaluator":
        form = EvaluatorForm(post, event=event)
        if form.is_valid():
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(pk=form.cleaned_data["user"])
            services.evaluator_add(event=event, user=user)
        return form
    return _remove(event, action, post)


def _remove(event, action, post):
    targets = {
        "remove_stop": (event.stops, services.stop_remove, "stop"),
        "remove_criterion": (event.criteria, services.criterion_delete, "criterion"),
        "remove_evaluator": (event.evaluators, services.evaluator_remove, "evaluator"),
    }
    if action not in targets:
        raise Http404("未知操作")
    rows, remove, key = targets[action]
    target = get_object_or_404(rows, pk=post.get("id") or 0)
    remove(event=event, **{key: target})
    return None


@require_POST
@role_required()
def event_edit(request, pk):
    event = managed_event(request, pk)
    action = request.POST.get("action", "")
    try:
        form = _apply(request, event, action)
    except ValidationError as exc:
        refused(request, exc)
    else:
        if form is not None and not form.is_valid():
            errors = [f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}"
                      for k, v in form.errors.items()]  # fmt: skip
            messages.error(request, "；".join(errors))
        else:
            messages.success(request, "已保存")
    return redirect("evaluations:detail", pk=event.pk)


@require_POST
@role_required()
def event_close(request, pk):
    event = managed_event(request, pk)
    try:
        event = services.event_close(event=event, user=request.user)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request, f"已结束评分并发布结果（{event.issue}），结果已记入绩效库和负面清单"
        )
    return redirect("evaluations:detail", pk=event.pk)
