"""Pages of 领导批示: the list (督办-style, overdue first to the eye), one 批示 with its 反馈,
the leader's form, the unit's 反馈, attachment downloads, and two htmx pieces that lower apps'
pages load by URL (the project page's panel, the leader's summary card)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.files import private_file_response
from instructions import rules, selectors, services
from instructions.filtersets import InstructionFilterSet
from instructions.forms import FeedbackForm, InstructionForm
from milestones.models import Problem
from milestones.selectors import object_history
from registry.choices import Role
from registry.scoping import scope_queryset, visible_projects
from registry.views.mixins import ScopedFilterView, role_required

ISSUERS = (Role.LEADER, Role.ADMIN)


def _badged(rows):
    for row in rows:
        row.badge = rules.badge(row)
    return rows


class InstructionListView(ScopedFilterView):
    filterset_class = InstructionFilterSet
    template_name = "instructions/list.html"
    paginate_by = 50
    context_object_name = "instructions"

    def get_queryset(self):
        return selectors.instructions_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        _badged(ctx["instructions"])
        return ctx


@require_GET
@role_required()
def detail(request, pk):
    qs = selectors.with_feedback(selectors.instructions_for(user=request.user))
    instruction = get_object_or_404(qs, pk=pk)
    instruction.badge = rules.badge(instruction)
    return render(request, "instructions/detail.html", {
        "i": instruction,
        "can_answer": selectors.can_answer(request.user, instruction),
        "form": FeedbackForm(initial={"version": instruction.version}),
        "history": object_history(instruction),
    })  # fmt: skip


def _target(request):
    """The project (and problem) a new 批示 is about, from ?project= or ?problem= (scoped)."""
    # The form posts back to its own URL (?project=…); a plain POST may name them in its body.
    problem_id = request.GET.get("problem", "")
    project_id = request.GET.get("project") or request.POST.get("project", "")
    if problem_id:
        if not problem_id.isdigit():
            raise Http404
        problem = get_object_or_404(
            scope_queryset(request.user, Problem.objects.select_related("project")), pk=problem_id
        )
        return problem.project, problem
    if not project_id.isdigit():
        raise Http404("请从项目页或“我包保的项目”选择要批示的项目")
    return get_object_or_404(visible_projects(request.user), pk=project_id), None


@role_required(*ISSUERS)
def create(request):
    project, problem = _target(request)
    if request.method == "POST":
        form = InstructionForm(request.POST, user=request.user, project=project)
        if form.is_valid():
            d = form.cleaned_data
            try:
                instruction = services.instruction_issue(
                    project=project, problem=d["problem"], unit=d["unit"], text=d["text"],
                    deadline=d["deadline"], user=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, f"批示已交{instruction.unit.name}办理")
                return redirect("instructions:detail", pk=instruction.pk)
    else:
        initial = {"deadline": rules.default_deadline(), "problem": problem}
        form = InstructionForm(initial=initial, user=request.user, project=project)
    return render(request, "instructions/form.html", {"form": form, "project": project})


def _apply(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
@role_required(Role.REPORTER, Role.ADMIN)
def feedback(request, pk):
    instruction = get_object_or_404(selectors.instructions_for(user=request.user), pk=pk)
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("instructions:detail", pk=pk)
    try:
        services.feedback_add(
            instruction=instruction, text=form.cleaned_data["text"],
            uploads=form.cleaned_data["files"], version=form.cleaned_data.get("version"),
            user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "反馈已提交，批示领导将收到通知")
    return redirect("instructions:detail", pk=pk)


@require_GET
@role_required()
def attachment(request, pk):
    item = get_object_or_404(selectors.attachments_for(user=request.user), pk=pk)
    return private_file_response(item.file, item.original_name)


@require_GET
@role_required()
def project_panel(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    rows = _badged(list(selectors.for_project(user=request.user, project=project)))
    return render(request, "instructions/_project_panel.html", {
        "project": project, "rows": rows, "can_instruct": selectors.can_instruct(request.user),
    })  # fmt: skip


@require_GET
@role_required(*ISSUERS)
def leader_summary(request):
    return render(
        request,
        "instructions/_leader_summary.html",
        {"counts": selectors.leader_summary(user=request.user)},
    )
