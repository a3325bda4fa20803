"""Periods as SPEC §3.4 writes them: `2026-03` (month), `2026-Q1` (quarter), `2026` (year),
`2026-01..11` (1–11月累计), the as-of day of a month, and the one query-string parser.

Pure: which month is closed depends on the reporting windows, so the default period is
decided in `milestones.periods` (SPEC §3.8), which hands its default in here.
"""

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])"
    r"|0?1\.\.(?P<ytd>\d{1,2})))?$"
)
KINDS = ("month", "quarter", "year", "ytd")
KIND_LABELS = {"month": "月度", "ytd": "1-M月累计", "quarter": "季度", "year": "年度"}
_EXAMPLES = {
    "month": "月份（如 2026-10）",
    "quarter": "季度（如 2026-Q3）",
    "year": "年度（如 2026）",
    "ytd": "累计（如 2026-01..10）",
}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year" | "ytd" (January to `index`)
    year: int
    index: int = 0  # month 1–12 or quarter 1–4; 0 for a year

    @property
    def months(self) -> list[int]:
        if self.kind == "month":
            return [self.index]
        if self.kind == "quarter":
            return list(range(3 * self.index - 2, 3 * self.index + 1))
        if self.kind == "ytd":
            return list(range(1, self.index + 1))
        return list(range(1, 13))

    @property
    def last_month(self) -> int:
        return self.months[-1]

    @property
    def end(self) -> datetime.date:
        """The period's last day: the list it counts is the list as it stood that day."""
        return month_end(self.year, self.last_month)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.index}季度"
        if self.kind == "ytd":
            return f"{self.year}年1-{self.index}月累计"
        return f"{self.year}年"

    def __str__(self):
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "ytd":
            return f"{self.year}-01..{self.index:02d}"
        return str(self.year)


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise PeriodError(f"年度超出范围：{year}")
    return year


def _check_month(month: int, text) -> int:
    if not 1 <= month <= 12:
        raise PeriodError(f"月份应在1到12之间：“{text}”")
    return month


def parse_period(text: str, *, allow=("month", "quarter", "year")) -> Period:
    """Parse a period; a Chinese message in PeriodError on bad input."""
    raw = (text or "").strip()
    m = _PATTERN.match(raw)
    if not m:
        raise PeriodError(
            f"期间格式不正确：“{raw[:20]}”，应为 2026-10、2026-Q3、2026 或 2026-01..10"
        )
    year = _check_year(int(m["year"]))
    if m["month"]:
        period = Period("month", year, _check_month(int(m["month"]), raw))
    elif m["quarter"]:
        period = Period("quarter", year, int(m["quarter"]))
    elif m["ytd"]:
        period = Period("ytd", year, _check_month(int(m["ytd"]), raw))
    else:
        period = Period("year", year)
    if period.kind not in allow:
        raise PeriodError("此处期间应为" + "或".join(_EXAMPLES[k] for k in allow))
    return period


def _int(raw: str, what: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise PeriodError(f"{what}格式不正确：“{raw[:20]}”") from None


def _not_allowed(allow) -> PeriodError:
    return PeriodError("此处期间应为" + "或".join(_EXAMPLES[k] for k in allow))


def parse_query(params, default: Callable[[int | None], Period], *, allow=("month",)) -> Period:
    """The period a page, export or API call asks for: `period=` in any allowed form, or
    the picker's `kind=` (month, ytd, quarter, year) with `year=`, `month=`, `quarter=`
    (any may be left out). `default(year)` is the month shown when no month is asked for
    (year None: none asked for either). PeriodError (Chinese) on bad input."""
    raw = (params.get("period") or "").strip()
    if raw:
        return parse_period(raw, allow=allow)
    kind = (params.get("kind") or "").strip() or allow[0]
    if kind not in KINDS or kind not in allow:
        raise _not_allowed(allow)
    year_raw = (params.get("year") or "").strip()
    year = _check_year(_int(year_raw, "年度")) if year_raw else None
    base = default(year)
    year = base.year
    if kind == "year":
        return Period("year", year)
    if kind == "quarter":
        q_raw = (params.get("quarter") or "").strip()
        if not q_raw:
            return quarter_through(base)
        quarter = _int(q_raw, "季度")
        if not 1 <= quarter <= 4:
            raise PeriodError(f"季度应在1到4之间：“{q_raw[:20]}”")
        return Period("quarter", year, quarter)
    month_raw = (params.get("month") or "").strip()
    month = _check_month(_int(month_raw, "月份"), month_raw) if month_raw else base.last_month
    return Period(kind, year, month)


def quarter_through(month: Period) -> Period:
    """The latest quarter that has ended by the end of `month` (a month period)."""
    quarter = month.index // 3
    return (
        Period("quarter", month.year, quarter) if quarter else Period("quarter", month.year - 1, 4)
    )


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def as_of(year: int, month: int, today: datetime.date | None = None) -> datetime.date:
    """The day a month is judged at: its last day, or today while it runs (SPEC §3.8:
    nothing is judged as of a future day)."""
    today = today or timezone.localdate()
    return min(month_end(year, month), today)


def month_ended(year: int, month: int, today: datetime.date | None = None) -> bool:
    """The month is over (its last day is past): on 31 December the year has not ended."""
    return (today or timezone.localdate()) > month_end(year, month)


def time_fraction(year: int, month: int, today: datetime.date | None = None) -> Fraction:
    """Time progress (share of the year gone) at the month's as-of day: month/12 at the end
    of a month, as bulletins print it; inside a running month, its elapsed days count pro
    rata (on 8 December it is not yet 100%)."""
    day = as_of(year, month, today)
    if day.year < year:
        return Fraction(0)
    if day == month_end(year, month):
        return Fraction(month, 12)
    days = calendar.monthrange(day.year, day.month)[1]
    return (day.month - 1 + Fraction(day.day, days)) / 12
