"""Writes of the annual plan and the 要素保障 sections.

One rule for every section: the editor must have seen the project's latest version (the
whole dossier shares the project's optimistic lock, so a plan edit and a funding edit made
from two stale pages cannot overwrite each other), and each save leaves history rows on the
rows it changed plus one on the project naming the section, so the 变更记录 shows it.
"""

from django.db import transaction

from registry.models import AnnualPlan, Project
from registry.services import check_version
from registry.years import check_writable


def _save_instance(instance, user):
    instance._history_user = user
    instance.save()
    return instance


@transaction.atomic
def project_factor_save(*, project: Project, section, form, version: int, user=None, year=None):
    """Save a validated form (one-to-one factor or annual plan) or inline formset."""
    if section.kind == "plan":
        check_writable(year, user)
    new_version = check_version(Project.objects, pk=project.pk, version=version, label="项目")
    if section.kind == "many":
        for obj in form.save(commit=False):
            obj.project = project
            _save_instance(obj, user)
        for obj in form.deleted_objects:
            obj._history_user = user
            obj.delete()
    else:
        obj = form.save(commit=False)
        obj.project = project
        if section.kind == "plan":
            obj.year = year
        _save_instance(obj, user)
    # One line in the project's own history, so the dossier's 变更记录 names the section.
    project.refresh_from_db()
    project.version = new_version
    project._history_user = user
    project._change_reason = f"修改{section.title}"
    project.save(update_fields=["version", "updated_at"])
    return project


def plan_for(project: Project, year: int) -> AnnualPlan:
    """The project's plan of `year`, or an unsaved one to fill in."""
    return AnnualPlan.objects.filter(project=project, year=year).first() or AnnualPlan(
        project=project, year=year
    )
