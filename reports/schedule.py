"""Which period a scheduled report covers (SPEC §3.4): the monthly report on the 6th for the
previous month, the quarterly bulletin on the 8th after a quarter, the yearly appraisal on
15 January for the year before."""

import datetime

from django.utils import timezone

from core.periods import quarter_through
from milestones.periods import default_period
from reports.models import ReportKind


def last_period(kind: str, today: datetime.date | None = None) -> str:
    """The last closed month (SPEC §3.8), the last quarter whose months are all closed, or
    last year."""
    today = today or timezone.localdate()
    if kind == ReportKind.YEARLY:
        return str(today.year - 1)
    month = default_period(today)
    if kind == ReportKind.QUARTERLY:
        return str(quarter_through(month))
    return str(month)


# name, kind, crontab (minute, hour, day_of_month, month_of_year) in Asia/Shanghai
SCHEDULES = [
    ("月度调度报表（每月6日，上月）", ReportKind.MONTHLY, ("0", "6", "6", "*")),
    ("季度通报（季后8日，上季度）", ReportKind.QUARTERLY, ("0", "6", "8", "1,4,7,10")),
    ("年度考评（1月15日，上年度）", ReportKind.YEARLY, ("0", "6", "15", "1")),
]
