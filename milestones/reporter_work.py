"""What a 填报员 has to do: the reporter's home page reads everything from here.

Every queryset starts from registry.scoping (through milestones.selectors) so a reporter sees
only the projects of their own unit.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from milestones import selectors
from milestones.choices import ProblemStatus, ReportStatus
from milestones.models import ReportingWindow


@dataclass
class ReporterWork:
    year: int
    month: int
    window: ReportingWindow | None
    days_left: int | None  # None: no window; negative: the deadline has passed
    owed: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def deadline_text(self) -> str:
        """The countdown as a reporter reads it."""
        if self.window is None:
            return f"{self.year}年{self.month}月调度期尚未开放"
        if not self.window.is_open:
            return f"{self.year}年{self.month}月调度期已关闭"
        if self.days_left > 0:
            return f"距截止还有 {self.days_left} 天"
        if self.days_left == 0:
            return "今天截止"
        return f"已过截止日 {-self.days_left} 天，提交将记为逾期"


def reporter_work(*, user, today: datetime.date | None = None, limit: int = 50) -> ReporterWork:
    """The open window's owed reports, every returned report and the open problems in scope."""
    today = today or timezone.localdate()
    year, month = selectors.default_period(today)
    window = ReportingWindow.objects.filter(year=year, month=month).first()
    days_left = (window.deadline - today).days if window else None
    owed = list(selectors.todo_list(user=user, year=year, month=month, owed_only=True)[:limit])
    returned = list(
        selectors.reports_for(user=user)
        .filter(status=ReportStatus.RETURNED)
        .order_by("-year", "-month", "project__code")[:limit]
    )
    problems = list(
        selectors.problems_for(user=user)
        .exclude(status=ProblemStatus.RESOLVED)
        .order_by("deadline", "pk")[:limit]
    )
    return ReporterWork(year, month, window, days_left, owed, returned, problems)
