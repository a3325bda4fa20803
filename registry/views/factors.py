"""Edit the annual plan and the 要素保障 of a project, one section per page.

Reviewers in scope and admins edit; everyone else reads them on the project page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from registry import factor_services
from registry.choices import Role
from registry.factor_forms import SECTIONS
from registry.scoping import visible_projects
from registry.services import StaleEditError
from registry.views.mixins import role_required, year_asked


def _year(request, project):
    """The plan year in the query, else the latest list the project is on (a carried-over
    project's current plan, not the one of the year it first entered the list)."""
    params = request.GET if request.GET.get("year") else request.POST

    def latest():
        plans = project.annual_plans.order_by("-year").values_list("year", flat=True)
        return plans.first() or project.year

    return year_asked(params, default=latest)


def _build(section, project, year, data=None):
    if section.kind == "many":
        return section.form(data, instance=project, prefix=section.slug)
    if section.kind == "plan":
        instance = factor_services.plan_for(project, year)
    else:
        try:
            instance = section.model.objects.get(project=project)
        except section.model.DoesNotExist:
            instance = section.model(project=project)
    return section.form(data, instance=instance, prefix=section.slug)


@role_required(Role.REVIEWER, Role.ADMIN)
def factor_edit(request, pk, section):
    if section not in SECTIONS:
        raise Http404("没有这个栏目")
    sec = SECTIONS[section]
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    year = _year(request, project)
    form = _build(sec, project, year, request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if form.is_valid():
            try:
                factor_services.project_factor_save(
                    project=project,
                    section=sec,
                    form=form,
                    version=version,
                    user=request.user,
                    year=year,
                )
            except StaleEditError as exc:
                error = exc.messages[0]
            except ValidationError as exc:  # e.g. a closed year: said on the form, not a 500
                form.add_error(None, exc)
            else:
                messages.success(request, f"{sec.title}已保存")
                return redirect("registry:project_detail", pk=pk)
    context = {
        "project": project,
        "section": sec,
        "sections": SECTIONS.values(),
        "form": form,
        "year": year,
        "version": request.POST.get("version") if error else project.version,
        "stale_error": error,
    }
    status = 409 if error else (400 if request.method == "POST" else 200)
    return render(request, "registry/factor_edit.html", context, status=status)
