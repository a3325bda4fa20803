"""Reads of report runs, always through registry/scoping.py."""

from django.db.models import OuterRef, Subquery

from registry.choices import RegionLevel, Role
from registry.roles import has_role
from registry.scoping import covers_whole_city, scope_by_region, visible_regions
from reports.models import Publication, ReportRun

REPORT_ROLES = (Role.REVIEWER, Role.LEADER, Role.ADMIN)


def visible_runs(user):
    if not has_role(user, *REPORT_ROLES):
        return ReportRun.objects.none()
    runs = ReportRun.objects.select_related("region", "requested_by")
    return with_publication(scope_by_region(user, runs))


def region_choices(user):
    """The 县区 a user may ask a report for (a county user: their own county only)."""
    return visible_regions(user).filter(level=RegionLevel.COUNTY).order_by("code")


def default_region(user):
    """None (the whole city) for a city user; a county user's own county."""
    if covers_whole_city(user):
        return None
    return region_choices(user).first()


def visible_publications(user):
    """Published versions a user may read: those of the user's regions (the whole-city ones
    for whole-city users), as report runs are scoped."""
    from registry.roles import role_of

    if role_of(user) is None:
        return Publication.objects.none()
    return scope_by_region(user, Publication.objects.select_related("region", "published_by"))


def with_publication(runs):
    """Report runs with their latest published version's id, version and issue (one query)."""
    latest = Publication.objects.filter(
        kind=OuterRef("kind"), period=OuterRef("period"), scope_key=OuterRef("scope_key")
    ).order_by("-version")
    return runs.annotate(
        published_id=Subquery(latest.values("pk")[:1]),
        published_version=Subquery(latest.values("version")[:1]),
        published_issue_year=Subquery(latest.values("issue_year")[:1]),
        published_issue_number=Subquery(latest.values("issue_number")[:1]),
    )
