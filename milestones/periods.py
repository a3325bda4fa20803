"""The one period rule (SPEC §3.8): the default period is the last closed month.

A month is closed when its 调度期 (ReportingWindow) is closed (closed by the DRC, or its
deadline has passed); a month without a window is closed once it has ended and the usual
deadline, the 5th of the next month, has passed. A month still open can be asked for and is
then provisional (进行中（数据未截止）). Every page, export, API answer, report and the bulletin
reads its period through `resolve`.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.periods import KIND_LABELS, Period, as_of, parse_query
from milestones.models import ReportingWindow, default_deadline

PROVISIONAL_LABEL = "进行中（数据未截止）"


def _windows(today) -> dict:
    """(year, month) → closed?, for the windows of this year and the last (one query)."""
    rows = ReportingWindow.objects.filter(year__gte=today.year - 1, year__lte=today.year)
    return {
        (w.year, w.month): (not w.is_open or w.deadline < today)
        for w in rows.only("year", "month", "is_open", "deadline")
    }


def _closed(year, month, today, windows) -> bool:
    if datetime.date(year, month, 1) > today:
        return False  # a month not yet begun is never closed
    if (year, month) in windows:
        return windows[(year, month)]
    return default_deadline(year, month) < today


def is_closed(year: int, month: int, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if (year, month) < (today.year - 1, 1):
        return True  # older years: long past any deadline
    return _closed(year, month, today, _windows(today))


def closed_months(year: int, today: datetime.date | None = None) -> set[int]:
    """The months of `year` that are closed (one query): the picker marks the others."""
    today = today or timezone.localdate()
    windows = _windows(today)
    if year < today.year - 1:
        return set(range(1, 13))
    return {m for m in range(1, 13) if _closed(year, m, today, windows)}


def default_period(today: datetime.date | None = None) -> Period:
    """The last closed month (at most 14 months back: a window left open that long is
    treated as closed, so the default never runs back indefinitely)."""
    today = today or timezone.localdate()
    windows = _windows(today)
    year, month = today.year, today.month
    for _ in range(14):
        if _closed(year, month, today, windows):
            return Period("month", year, month)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return Period("month", year, month)


def default_month_of(year: int | None, today: datetime.date | None = None) -> Period:
    """The month shown for a year asked for without a month: the default period in its
    year, December in an earlier year, January in a later one (then provisional)."""
    base = default_period(today)
    if year is None or year == base.year:
        return base
    return Period("month", year, 12 if year < base.year else 1)


def default_month(year: int, today: datetime.date | None = None) -> int:
    return default_month_of(year, today).index


@dataclass(frozen=True)
class Resolved:
    """A period with what a page or API answer says about it."""

    period: Period
    provisional: bool  # its last month is still open: statuses may change
    as_of: datetime.date  # the day it is judged at: never after today

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def month(self) -> int:
        return self.period.last_month

    @property
    def end(self):
        """The period's last day: the list it counts is the list as it stood then."""
        return self.period.end

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.period.kind]

    @property
    def state(self) -> str:
        return PROVISIONAL_LABEL if self.provisional else ""

    def as_api(self) -> dict:
        """What every API answer says about the period it answered."""
        return {
            "period": str(self.period),
            "period_label": self.label,
            "provisional": self.provisional,
            "as_of": self.as_of.isoformat(),
        }


def resolved(period: Period, today: datetime.date | None = None) -> Resolved:
    today = today or timezone.localdate()
    month = period.last_month
    closed = is_closed(period.year, month, today)
    return Resolved(period, not closed, as_of(period.year, month, today))


def resolve(params, *, allow=("month",), today=None) -> Resolved:
    """The period asked for in a query string (`period=`, or the picker's `kind=`, `year=`,
    `month=`, `quarter=`), the last closed month when none is. PeriodError with a Chinese
    message on bad input."""
    today = today or timezone.localdate()
    period = parse_query(params, lambda year: default_month_of(year, today), allow=allow)
    return resolved(period, today)
