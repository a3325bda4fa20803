"""Periods as SPEC §3.4 writes them: `2026-03` (month), `2026-Q1` (quarter), `2026` (year)."""

import calendar
import datetime
import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])|0?1\.\.(?P<ytd>\d{1,2})))?$"
)


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
        return datetime.date(
            self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1]
        )

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


def parse_period(text: str, *, allow=("month", "quarter", "year")) -> Period:
    """Parse a period; a Chinese message in PeriodError on bad input."""
    m = _PATTERN.match((text or "").strip())
    if not m:
        raise PeriodError(
            f"期间格式不正确：“{text}”，应为 2026-10、2026-Q3、2026 或 2026-01..10（1–10月累计）"
        )
    year = int(m["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(f"年度超出范围：{year}")
    if m["ytd"]:
        month = int(m["ytd"])
        if not 1 <= month <= 12:
            raise PeriodError(f"月份应在1到12之间：“{text}”")
        period = Period("ytd", year, month)
    elif m["month"]:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"月份应在1到12之间：“{text}”")
        period = Period("month", year, month)
    elif m["quarter"]:
        period = Period("quarter", year, int(m["quarter"]))
    else:
        period = Period("year", year)
    if period.kind not in allow:
        names = {
            "month": "月份（如 2026-10）",
            "quarter": "季度（如 2026-Q3）",
            "year": "年度（如 2026）",
            "ytd": "1–M月累计（如 2026-01..11）",
        }
        raise PeriodError("此处期间应为" + "或".join(names[k] for k in allow))
    return period


def score_periods(year: int) -> list[tuple[str, list[Period]]]:
    """The score periods of a year a picker offers (SPEC §3.8), grouped by kind."""
    return [
        ("1–M月累计", [Period("ytd", year, m) for m in range(1, 13)]),
        ("月度", [Period("month", year, m) for m in range(1, 13)]),
        ("季度", [Period("quarter", year, q) for q in range(1, 5)]),
        ("年度", [Period("year", year)]),
    ]
