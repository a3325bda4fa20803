"""The one scoping rule (SPEC §1). Every page, export, download and API goes through here.

- 管理员 (and superusers): everything.
- 审核员, 领导: projects whose region is in their region subtree (city level: all).
- 填报员: projects in their region subtree, or whose responsible unit is their unit.
- anyone else, or a user without a profile region/unit: nothing.
"""

from django.db.models import Q

from registry.choices import Role
from registry.roles import has_role


def _profile(user):
    try:
        return user.profile
    except Exception:  # RelatedObjectDoesNotExist: no profile means no scope
        return None


def region_scope_q(user, prefix="region"):
    """Q selecting rows whose `prefix` region lies in the user's subtree; None = unrestricted."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if has_role(user, Role.ADMIN):
        return None
    profile = _profile(user)
    if has_role(user, Role.REVIEWER, Role.LEADER, Role.REPORTER):
        q = Q(pk__in=[])
        if profile and profile.region_id:
            q = Q(**{f"{prefix}__path__startswith": profile.region.path})
        return q
    return Q(pk__in=[])


def project_scope_q(user, prefix=""):
    """Q for projects visible to the user; `prefix` lets other models filter through a FK."""
    p = f"{prefix}__" if prefix else ""
    base = region_scope_q(user, prefix=f"{p}region")
    if base is None:
        return None
    if has_role(user, Role.REVIEWER, Role.LEADER, Role.ADMIN):
        return base
    profile = _profile(user)
    if has_role(user, Role.REPORTER) and profile and profile.unit_id:
        return base | Q(**{f"{p}unit_id": profile.unit_id})
    return base


def visible_projects(user, queryset=None):
    from registry.models import Project

    qs = Project.objects.all() if queryset is None else queryset
    q = project_scope_q(user)
    return qs if q is None else qs.filter(q)


def scope_queryset(user, queryset, project_field="project"):
    """Filter any queryset of rows belonging to a project (reports, problems, milestones…)."""
    q = project_scope_q(user, prefix=project_field)
    qs = queryset.filter(**{f"{project_field}__is_deleted": False})
    return qs if q is None else qs.filter(q)


def visible_regions(user):
    """Regions the user may pick or see: their subtree (admins: all)."""
    from registry.models import Region

    if region_scope_q(user) is None:
        return Region.objects.all()
    profile = _profile(user)
    if profile and profile.region_id and has_role(user, Role.REVIEWER, Role.LEADER, Role.REPORTER):
        return Region.objects.filter(path__startswith=profile.region.path)
    return Region.objects.none()
