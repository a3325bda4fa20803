"""The one scoping rule (SPEC §1). Every page, export, download and API goes through here.

- 管理员 (and superusers): everything.
- 审核员, 领导: projects whose region is in their region subtree (city level: all).
- 填报员: projects in their region subtree, or whose responsible unit is their unit.
- anyone else, or a user without a profile region/unit: nothing.

Also here: which regions, units and leaders a user may pick or filter by, who has whole-city
authority, which import batches (uploads) a user may see or confirm, and which export jobs a
user may see.
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


def visible_units(user):
    """Units the user may pick (e.g. a problem's responsible unit): the units of their region
    subtree, plus a reporter's own unit; admins all."""
    from registry.models import Unit

    q = region_scope_q(user)
    if q is None:
        return Unit.objects.all()
    profile = _profile(user)
    if has_role(user, Role.REPORTER) and profile and profile.unit_id:
        q = q | Q(pk=profile.unit_id)
    return Unit.objects.filter(q)


def visible_leaders(user):
    """Leaders the user may pick (e.g. a project's contracting leader): those of their region
    subtree; admins all."""
    from registry.models import Leader

    q = region_scope_q(user)
    return Leader.objects.all() if q is None else Leader.objects.filter(q)


# What a list may be filtered by: the regions, units and leaders the user may pick, plus those
# of the projects they see (a county reviewer's project contracted by the mayor, a unit
# reporter's projects in several counties): a filter never offers or accepts anything else.


def filter_regions(user):
    from registry.models import Region

    seen = visible_projects(user)
    return Region.objects.filter(
        Q(pk__in=visible_regions(user).values("pk"))
        | Q(pk__in=seen.values("region_id"))
        | Q(pk__in=seen.values("region__parent_id"))
    )


def filter_units(user):
    from registry.models import Unit

    return Unit.objects.filter(
        Q(pk__in=visible_units(user).values("pk"))
        | Q(pk__in=visible_projects(user).values("unit_id"))
    )


def filter_leaders(user):
    from registry.models import Leader

    return Leader.objects.filter(
        Q(pk__in=visible_leaders(user).values("pk"))
        | Q(pk__in=visible_projects(user).values("leader_id"))
    )


def is_city_level(user):
    """Whole-city authority (opening and closing the citywide 调度期): admins, and reviewers
    whose own region is a root of the region tree (the city DRC). A county reviewer is not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, Role.ADMIN):
        return True
    profile = _profile(user)
    return bool(
        has_role(user, Role.REVIEWER)
        and profile
        and profile.region_id
        and profile.region.parent_id is None
    )


# ----------------------------------------------------------------------- import batches
#
# An import batch (a ledger or progress-sheet upload) shows its rows on the preview page and,
# once confirmed, writes them. The preview records what the rows touch (`batch.touched`) and
# the path of the smallest region holding all of them (`batch.scope_path`). Rule:
#
# - a batch is visible to its uploader, to admins, and to users whose region subtree holds
#   the batch's covering region (so every row of it is in their scope: a region subtree
#   holds every project and region below it). Reporters are covered only for progress
#   batches: the ledger is the DRC's. A batch whose rows are not known yet, or whose rows
#   span several root regions, has scope_path "" and is covered by nobody but admins.
# - confirming re-checks row by row (`import_batch_within_scope`), against the project and
#   region tables as they are now, so a project moved since the preview, or a confirming
#   user whose scope shrank, is refused.
#
# The covering region is deliberately derived from the rows, not the uploader: a city
# reviewer's file that only touches 临江县 may be reviewed and confirmed by 临江县's reviewer,
# while a citywide file stays with the city.


def _common_path(paths):
    """Longest common region path ("/370100/370102/" …) of `paths`; "" if none is shared."""
    parts = [p.strip("/").split("/") for p in paths if p]
    if not parts:
        return ""
    common = []
    for segments in zip(*parts, strict=False):
        if any(s != segments[0] for s in segments):
            break
        common.append(segments[0])
    return "/" + "/".join(common) + "/" if common else ""


def set_import_footprint(batch, *, project_ids, region_ids, unplaced=False):
    """Record on `batch` (unsaved) what its rows touch and the region that covers them.

    `project_ids`: existing projects the rows match; `region_ids`: regions the rows name (new
    projects, moves); `unplaced`: some row's region could not be resolved, so only whole-city
    users may see it. A batch without rows is covered by the uploader's own region.
    """
    from registry.models import Project, Region

    project_ids, region_ids = sorted(set(project_ids)), sorted(set(region_ids))
    paths = set(Region.objects.filter(pk__in=region_ids).values_list("path", flat=True))
    paths |= set(
        Project.all_objects.filter(pk__in=project_ids).values_list("region__path", flat=True)
    )
    if unplaced:
        paths |= set(Region.objects.filter(parent=None).values_list("path", flat=True))
    if not paths and batch.created_by_id:
        profile = _profile(batch.created_by)
        if profile and profile.region_id:
            paths = {profile.region.path}
    batch.touched = {"projects": project_ids, "regions": region_ids, "unplaced": unplaced}
    batch.scope_path = _common_path(paths)


def visible_import_batches(user, queryset=None):
    """Import batches the user may see (see the rule above)."""
    from registry.choices import ImportKind
    from registry.models import ImportBatch

    qs = ImportBatch.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if region_scope_q(user) is None:
        return qs
    covered = Q(pk__in=[])
    profile = _profile(user)
    if profile and profile.region_id and has_role(user, Role.REVIEWER, Role.REPORTER):
        covered = Q(scope_path__startswith=profile.region.path)
        if not has_role(user, Role.REVIEWER):
            # Reporters see the uploads of their region other than the ledger's (their own kinds).
            covered &= ~Q(kind=ImportKind.LEDGER)
    return qs.filter(Q(created_by=user) | covered)


def visible_export_jobs(user, queryset=None):
    """Export jobs the user may see: their own (admins: all). A job's file holds what its
    owner may see, so it is never shown to anyone else, a reviewer above them included."""
    from core.models import ExportJob

    qs = ExportJob.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if region_scope_q(user) is None:
        return qs
    return qs.filter(user=user)


def import_batch_within_scope(user, batch):
    """True when every row of the batch is inside the user's scope now: each existing project
    it touches is visible to the user and each region its rows name is in their subtree.
    A batch whose rows were never recorded, or has rows without a region, is not."""
    from registry.models import Project

    if not getattr(user, "is_authenticated", False):
        return False
    if region_scope_q(user) is None:
        return True
    touched = batch.touched or {}
    if "projects" not in touched or touched.get("unplaced"):
        return False
    project_ids, region_ids = set(touched["projects"]), set(touched.get("regions") or [])
    if project_ids:
        seen = visible_projects(user, Project.all_objects.filter(pk__in=project_ids)).count()
        if seen != len(project_ids):
            return False
    if not region_ids:
        return True
    return visible_regions(user).filter(pk__in=region_ids).count() == len(region_ids)


def covers_whole_city(user) -> bool:
    """Whether the user's region is a root of the region tree (or the user is an admin)."""
    return visible_regions(user).filter(parent__isnull=True).exists()


def scope_by_region(user, queryset, region_field="region"):
    """Rows that belong to a region (report runs …): those inside the user's regions; a row
    with no region means the whole city and is only for users who cover the whole city."""
    from django.db.models import Q

    inside = Q(**{f"{region_field}__in": visible_regions(user)})
    if covers_whole_city(user):
        inside |= Q(**{f"{region_field}__isnull": True})
    return queryset.filter(inside)


# ----------------------------------------------------------------------- pick lists
#
# A form shows the stored value of a choice even when it lies outside what the user may
# pick (a county reviewer editing a project contracted by the mayor): saving the form
# unchanged keeps it. Changing it is still limited to the user's own pick list, since the
# only extra choice offered is the value already stored on this row.

OUTSIDE_PICK_LIST = "（现有，不在您的可选范围）"


def pick_list_keeping(queryset, stored_pk):
    """`queryset` (the user's pick list) plus the row's stored value `stored_pk`."""
    if stored_pk is None:
        return queryset
    model = queryset.model
    return model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=stored_pk))


def keep_stored_choice(field, pick_list, stored_pk):
    """Give a ModelChoiceField (form or DRF) the user's pick list plus the stored value,
    labelled as outside the list in a form's select."""
    field.queryset = pick_list_keeping(pick_list, stored_pk)
    if stored_pk is None or pick_list.filter(pk=stored_pk).exists():
        return
    plain = getattr(field, "label_from_instance", None)
    if plain is not None:
        field.label_from_instance = lambda obj: (
            f"{plain(obj)}{OUTSIDE_PICK_LIST}" if obj.pk == stored_pk else plain(obj)
        )
