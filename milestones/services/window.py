"""Opening and closing the monthly reporting window (调度期)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from milestones.models import ReportingWindow, default_deadline
from milestones.services.base import MSG_FUTURE
from registry.scoping import is_city_level


def open_window(*, year: int, month: int) -> ReportingWindow | None:
    """The window of a month if it accepts submissions today."""
    today = timezone.localdate()
    window = ReportingWindow.objects.filter(year=year, month=month).first()
    if window and window.accepts_on(today):
        return window
    return None


MSG_CITY_ONLY = "调度期为全市统一，只有市级审核员或管理员可以开放或关闭"


def _require_city_level(user):
    # A window is citywide: a county reviewer opening or closing it would decide for every
    # other county too.
    if not is_city_level(user):
        raise PermissionDenied(MSG_CITY_ONLY)


@transaction.atomic
def window_open(
    *,
    year: int,
    month: int,
    user,
    opens_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
) -> ReportingWindow:
    """Open (or reopen) the reporting window of a month; deadline defaults to the 5th after."""
    _require_city_level(user)
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError(MSG_FUTURE.format(y=year, m=month))
    window = ReportingWindow.objects.filter(year=year, month=month).first() or ReportingWindow(
        year=year, month=month
    )
    window.deadline = deadline or window.deadline or default_deadline(year, month)
    # Opening a month after its deadline (to let late reports in) starts it at the deadline.
    window.opens_on = opens_on or window.opens_on or min(today, window.deadline)
    window.is_open = True
    window.opened_by = user
    window.opened_at = timezone.now()
    window.closed_at = None
    window.closed_by = None
    window.full_clean()
    window.save()
    transaction.on_commit(lambda: _announce_window(window))
    return window


def _announce_window(window):
    from milestones.reminders import window_opened

    window_opened(window)


def window_close(*, window: ReportingWindow, user) -> ReportingWindow:
    _require_city_level(user)
    if not window.is_open:
        raise ValidationError("该调度期已关闭")
    window.is_open = False
    window.closed_by = user
    window.closed_at = timezone.now()
    window.full_clean()
    window.save()
    return window
