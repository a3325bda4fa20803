"""List years (SPEC §3.5): the current and the default year, the years a selector offers,
closed years."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registry.choices import Role
from registry.models import AnnualPlan, ListYear
from registry.roles import has_role

MSG_CLOSED = "{year}年度已关闭，数据只读；如需更正请联系系统管理员"


def current_year() -> int:
    """The calendar year in Asia/Shanghai: the year that is running, for what is written
    (new projects, pool changes) and whether a year may be closed. A page, export or
    selector shown without a year uses `default_year` instead."""
    return timezone.localdate().year


# The year shown when none is asked for is the default period's (SPEC §3.5, §3.8), which
# depends on the reporting windows: milestones registers that rule here in its
# AppConfig.ready (registry imports no upper app).
_default_year: list[Callable[[datetime.date], int]] = []


def register_default_year(rule: Callable[[datetime.date], int]) -> None:
    """`rule(today)` gives the default period's year (milestones.periods)."""
    _default_year[:] = [rule]


def default_year(today: datetime.date | None = None) -> int:
    """The year every page, export and year selector shows when none is asked for: the
    default period's year (on 3 January, last year's while December is being reported);
    the calendar year when no period rule is registered."""
    today = today or timezone.localdate()
    return _default_year[0](today) if _default_year else today.year


def list_years(rows=None) -> list[int]:
    """Years that have a list (plans or a ListYear row) and the default one, newest first."""
    years = set(AnnualPlan.objects.order_by().values_list("year", flat=True).distinct())
    rows = ListYear.objects.values_list("year", "closed") if rows is None else rows
    years |= {year for year, _closed in rows}
    years.add(default_year())
    return sorted(years, reverse=True)


def year_choices() -> list[tuple[str, str]]:
    """The year selector's options, in two queries."""
    rows = list(ListYear.objects.values_list("year", "closed"))
    closed = {year for year, is_closed in rows if is_closed}
    return [(str(y), f"{y}年{'（已关闭）' if y in closed else ''}") for y in list_years(rows)]


def closed_years() -> set[int]:
    return set(ListYear.objects.filter(closed=True).values_list("year", flat=True))


def is_closed(year: int | None) -> bool:
    return bool(year) and ListYear.objects.filter(year=year, closed=True).exists()


def check_writable(year: int | None, user=None) -> None:
    """Refuse a change to a closed year's data, except by an admin (SPEC §3.5)."""
    if is_closed(year) and not (user is not None and has_role(user, Role.ADMIN)):
        raise ValidationError(MSG_CLOSED.format(year=year), code="closed_year")


@transaction.atomic
def close_year(*, year: int, user) -> ListYear:
    row, _ = ListYear.objects.select_for_update().get_or_create(year=year)
    if row.closed:
        raise ValidationError(f"{year}年度已经关闭")
    if year >= current_year():
        raise ValidationError(f"{year}年度尚未结束，不能关闭")
    row.closed, row.closed_by, row.closed_at = True, user, timezone.now()
    row.save()
    return row


@transaction.atomic
def reopen_year(*, year: int, user) -> ListYear:
    if not has_role(user, Role.ADMIN):
        raise ValidationError("只有系统管理员可以重新开放已关闭的年度")
    row = ListYear.objects.select_for_update().filter(year=year, closed=True).first()
    if row is None:
        raise ValidationError(f"{year}年度未关闭")
    row.closed, row.closed_by, row.closed_at = False, None, None
    row.save()
    return row


def invested_before(project, year: int):
    """至上年底累计完成投资 of `project` for year `year`'s list: the figure the year cycle pinned
    on that year's plan, else the project's own (plans made before the cycle existed)."""
    pinned = (
        AnnualPlan.objects.filter(project_id=project.pk, year=year)
        .values_list("invested_before_year", flat=True)
        .first()
    )
    return project.invested_before_year if pinned is None else pinned


def list_running(year: int, today=None) -> bool:
    """Whether year `year`'s list is under way (SPEC §3.5): the year has begun and its list
    exists (a plan of the year, or the year started from the previous one). A project put on
    such a list is 增补 from the day it is added; before, it is on the list from its start."""
    today = today or timezone.localdate()
    if today.year < year:
        return False
    return (
        AnnualPlan.objects.filter(year=year, project__is_deleted=False).exists()
        or ListYear.objects.filter(year=year, started_at__isnull=False).exists()
    )
