"""Project detail, ledger edit, new project and pool changes. Every query goes through
scoping (the ledger list itself is portal's: it shows assessments' judgements)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView

from registry import selectors, services
from registry.choices import Role
from registry.documents import max_bytes as document_max_bytes
from registry.factor_forms import SECTIONS
from registry.forms import DocumentUploadForm, ProjectForm
from registry.forms_project import ProjectCreateForm
from registry.models import Project
from registry.project_create import project_create as project_create_service
from registry.roles import DOCUMENT_EDITORS, has_role
from registry.scoping import visible_projects
from registry.views.mixins import RoleRequiredMixin, role_required
from registry.years import current_year, list_running


class ProjectDetailView(RoleRequiredMixin, DetailView):
    template_name = "registry/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        # Out-of-scope ids fall out of the queryset: the user gets 404, never the page.
        return selectors.project_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        project = self.object
        year = project.year
        plans = {p.year: p for p in project.annual_plans.all()}
        ctx["plan"] = plans.get(year)
        ctx["can_edit"] = has_role(self.request.user, Role.REVIEWER, Role.ADMIN)
        if has_role(self.request.user, *DOCUMENT_EDITORS):
            ctx["document_form"] = DocumentUploadForm()
            ctx["document_max_mb"] = document_max_bytes() // (1024 * 1024)
        ctx["missing"] = selectors.missing_fields(project)
        ctx["factor_sections"] = SECTIONS.values()
        ctx["funding_total"] = {
            "planned": sum((f.planned for f in project.fundings.all()), 0),
            "in_place": sum((f.in_place for f in project.fundings.all()), 0),
        }
        return ctx


@role_required(Role.REVIEWER, Role.ADMIN)
def project_edit(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project, user=request.user)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields if f != "programs"}
            try:
                services.project_update(
                    project=Project.objects.get(pk=pk),
                    data=data,
                    version=form.cleaned_data["version"],
                    user=request.user,
                )
            except services.StaleEditError as exc:
                form.add_error(None, exc.messages[0])
            else:
                project.programs.set(form.cleaned_data["programs"])
                messages.success(request, "项目信息已保存")
                return redirect("registry:project_detail", pk=pk)
    else:
        form = ProjectForm(instance=project, user=request.user)
    return render(request, "registry/project_edit.html", {"form": form, "project": project})


@role_required(Role.REVIEWER, Role.ADMIN)
def project_create(request):
    """新增项目: one project with its plan and 五个一, checked as an imported row would be."""
    if request.method == "POST":
        form = ProjectCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                project = project_create_service(
                    data=form.project_data(),
                    year=form.cleaned_data["year"],
                    plan=form.cleaned_data["annual_plan"],
                    programs=form.cleaned_data["programs"],
                    pool_reason=form.cleaned_data["pool_reason"],
                    user=request.user,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"已新增项目 {project.code} {project.name}")
                return redirect("registry:project_detail", pk=project.pk)
    else:
        form = ProjectCreateForm(user=request.user)
    running = [y for y, _label in form.fields["year"].choices if list_running(y)]
    ctx = {"form": form, "running": running, "today": timezone.localdate()}
    return render(request, "registry/project_create.html", ctx)


def _form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
@role_required(Role.REVIEWER, Role.ADMIN)
def project_pool(request, pk):
    """增补 / 退库 / 恢复正式 (reviewers in scope): GET shows the pool, its date, reason and
    history with the form; POST makes the change (from here or from the project page)."""
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if request.method == "GET":
        plan = project.annual_plans.filter(year__lte=current_year()).order_by("-year").first()
        ctx = {"project": project, "plan": plan, "history": selectors.pool_history(project)}
        return render(request, "registry/project_pool.html", ctx)
    back = "registry:project_pool" if request.POST.get("back") == "pool" else None
    back = back or "registry:project_detail"
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, "表单缺少版本号，请刷新页面后重试")
        return redirect(back, pk=pk)
    try:
        done = services.project_set_pool(
            project=project,
            pool=request.POST.get("pool", ""),
            reason=request.POST.get("reason", ""),
            version=version,
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{project.name}{done}")
    return redirect(back, pk=pk)
