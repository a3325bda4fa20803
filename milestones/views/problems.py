"""问题清单: list with filters, create, update (assign, deadline, 督办), resolve, xlsx export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.export_views import export_or_queue
from milestones import selectors, services
from milestones.choices import MilestonesExport
from milestones.filtersets import ProblemFilterSet
from milestones.forms import ProblemForm
from milestones.views.common import apply_errors
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import visible_projects
from registry.views.mixins import ScopedFilterView, role_required

WORKERS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)


class ProblemListView(ScopedFilterView):
    allowed_roles = WORKERS
    filterset_class = ProblemFilterSet
    template_name = "milestones/problem_list.html"
    paginate_by = 50
    context_object_name = "problems"

    def get_queryset(self):
        return selectors.problems_for(user=self.request.user).order_by("status", "deadline", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_supervise"] = has_role(self.request.user, Role.REVIEWER, Role.ADMIN)
        return ctx


@role_required(*WORKERS)
def problem_export(request):
    """The filtered list as .xlsx (milestones.exports, the same scoped selector as the
    page); a big one is built by a worker."""
    return export_or_queue(request, MilestonesExport.PROBLEMS)


def _can_supervise(user):
    return services.can_direct_problems(user)


@role_required(*WORKERS)
def problem_create(request):
    user = request.user
    if request.method == "POST":
        form = ProblemForm(request.POST, user=user, can_supervise=_can_supervise(user))
        if form.is_valid():
            try:
                problem = services.problem_create(
                    project=form.cleaned_data["project"], data=form.problem_data(), user=user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "问题已登记")
                return redirect("milestones:problem_edit", pk=problem.pk)
    else:
        initial = {}
        project_id = request.GET.get("project")
        if project_id:
            if not project_id.isdigit():
                raise Http404
            initial["project"] = get_object_or_404(visible_projects(user), pk=project_id)
            initial.update(services.problem_defaults(initial["project"]))
        form = ProblemForm(initial=initial, user=user, can_supervise=_can_supervise(user))
    return render(request, "milestones/problem_form.html", {"form": form, "problem": None})


@role_required(*WORKERS)
def problem_edit(request, pk):
    user = request.user
    problem = get_object_or_404(selectors.problems_for(user=user), pk=pk)
    if request.method == "POST":
        form = ProblemForm(
            request.POST, instance=problem, user=user, can_supervise=_can_supervise(user)
        )
        if form.is_valid():
            try:
                services.problem_update(
                    problem=problem,
                    data=form.problem_data(),
                    version=form.cleaned_data.get("version") or 0,
                    user=user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "问题已更新")
                return redirect("milestones:problem_edit", pk=pk)
    else:
        form = ProblemForm(instance=problem, user=user, can_supervise=_can_supervise(user))
    letters = problem.letters.select_related("recipient").order_by("-issued_on")
    return render(
        request,
        "milestones/problem_form.html",
        {
            "form": form,
            "problem": problem,
            "letters": letters,
            "can_issue": _can_supervise(user),
            "history": selectors.object_history(problem),
        },
    )


@require_POST
@role_required(*WORKERS)
def problem_resolve(request, pk):
    problem = get_object_or_404(selectors.problems_for(user=request.user), pk=pk)
    try:
        services.problem_resolve(
            problem=problem,
            resolution=request.POST.get("resolution", ""),
            version=int(request.POST.get("version") or 0),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "问题已标记为已解决")
    return redirect("milestones:problem_edit", pk=pk)
