"""Per-project pages: milestones (挂图作战 data) and 停工/复工 requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from milestones import selectors, services
from milestones.filtersets import ProjectSuspensionFilterSet
from milestones.forms import MilestoneFormSet, SuspensionDecisionForm, SuspensionForm
from milestones.models import Milestone
from milestones.views.common import apply_errors
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import visible_projects
from registry.views.mixins import ScopedFilterView, role_required

WORKERS = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)
REVIEWERS = (Role.REVIEWER, Role.ADMIN)


@role_required(*WORKERS)
def milestone_edit(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    qs = Milestone.objects.filter(project=project).order_by("planned_on", "id")
    if request.method == "POST":
        formset = MilestoneFormSet(request.POST, queryset=qs)
        if formset.is_valid():
            notes = []
            try:
                with transaction.atomic():
                    for form in formset.forms:
                        if not form.has_changed() and form.instance.pk is None:
                            continue
                        if formset.can_delete and formset._should_delete_form(form):
                            if form.instance.pk:
                                services.milestone_delete(milestone=form.instance)
                            continue
                        instance = form.instance
                        instance.project = project
                        saved = services.milestone_save(
                            milestone=instance,
                            data={f: form.cleaned_data[f] for f in form.Meta.fields},
                            user=request.user,
                        )
                        notes += saved.lifecycle_notes
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "；".join(["节点计划已保存", *notes]))
                return redirect("registry:project_detail", pk=project.pk)
    else:
        formset = MilestoneFormSet(queryset=qs)
    return render(
        request, "milestones/milestone_form.html", {"project": project, "formset": formset}
    )


@role_required(Role.REPORTER, Role.ADMIN)
def suspension_request(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    suspended = services.project_is_suspended(project)
    if request.method == "POST":
        form = SuspensionForm(request.POST)
        if form.is_valid():
            try:
                services.suspension_request(project=project, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "申请已提交，等待市发改委审核")
                return redirect("registry:project_detail", pk=project.pk)
    else:
        form = SuspensionForm(initial={"kind": "resume" if suspended else "suspend"})
    return render(
        request,
        "milestones/suspension_form.html",
        {"project": project, "form": form, "suspended": suspended},
    )


class SuspensionListView(ScopedFilterView):
    allowed_roles = WORKERS
    filterset_class = ProjectSuspensionFilterSet
    template_name = "milestones/suspension_list.html"
    paginate_by = 50
    context_object_name = "requests"

    def get_queryset(self):
        return selectors.suspensions_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_decide"] = has_role(self.request.user, *REVIEWERS)
        return ctx


@require_POST
@role_required(*REVIEWERS)
def suspension_decide(request, pk):
    req = get_object_or_404(selectors.suspensions_for(user=request.user), pk=pk)
    form = SuspensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择批准或驳回")
        return redirect("milestones:suspension_list")
    try:
        services.suspension_decide(
            request=req,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data.get("comment", ""),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{req.project.name} 的{req.get_kind_display()}申请已审核")
    return redirect("milestones:suspension_list")
