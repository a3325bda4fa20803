"""Reads of report runs, always through registry/scoping.py."""

from registry.choices import RegionLevel, Role
from registry.roles import has_role
from registry.scoping import covers_whole_city, scope_by_region, visible_regions
from reports.models import ReportRun

REPORT_ROLES = (Role.REVIEWER, Role.LEADER, Role.ADMIN)


def visible_runs(user):
    if not has_role(user, *REPORT_ROLES):
        return ReportRun.objects.none()
    return scope_by_region(user, ReportRun.objects.select_related("region", "requested_by"))


def region_choices(user):
    """The 县区 a user may ask a report for (a county user: their own county only)."""
    return visible_regions(user).filter(level=RegionLevel.COUNTY).order_by("code")


def default_region(user):
    """None (the whole city) for a city user; a county user's own county."""
    if covers_whole_city(user):
        return None
    return region_choices(user).first()
