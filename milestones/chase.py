"""催报 (SPEC §3.10): a reviewer reminds the reporters who still owe reports for an open
window's month — of the projects in the reviewer's scope, each project at most once a day.

Each owed project is claimed for the day by inserting its (project, day) ChaseLog row; only
the projects this press claimed are named, so pressing again (or a colleague pressing at
the same moment) tells nobody anything new. Each reporter gets one notice naming their own
claimed projects (key `chase:<day>:<first project id>`, unique because a project is claimed
once a day), in the app, by e-mail and on the configured channels (core.channels).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.notices import notify
from milestones.choices import MilestonesNotice
from milestones.models import ChaseLog, ReportingWindow
from milestones.reminders import MAX_NAMED
from milestones.selectors import todo_list
from registry.choices import Role


@dataclass
class ChaseResult:
    owed: int  # projects in the reviewer's scope still owing the month's report
    chased: int  # of which reminded now
    already: int  # of which already reminded today
    reporters: int  # reporters told now


def _claim(project_ids, *, window, user, today) -> list[int]:
    done = set(
        ChaseLog.objects.filter(day=today, project_id__in=project_ids).values_list(
            "project_id", flat=True
        )
    )
    claimed = []
    for pk in project_ids:
        if pk in done:
            continue
        try:
            with transaction.atomic():
                ChaseLog.objects.create(project_id=pk, day=today, year=window.year,
                                        month=window.month, chased_by=user)  # fmt: skip
        except IntegrityError:  # claimed a moment ago by another press
            continue
        claimed.append(pk)
    return claimed


def _tell(reporter, claimed, window, today) -> int:
    mine = todo_list(user=reporter, year=window.year, month=window.month, owed_only=True)
    mine = list(mine.filter(pk__in=claimed).values_list("pk", "name"))
    if not mine:
        return 0
    names = "、".join(name for _pk, name in mine[:MAX_NAMED])
    more = f"等{len(mine)}个项目" if len(mine) > MAX_NAMED else ""
    return len(notify(
        [reporter],
        kind=MilestonesNotice.CHASE,
        event_key=f"chase:{today:%Y%m%d}:{min(pk for pk, _n in mine)}",
        title=f"催报：{window.month}月月报尚有{len(mine)}个项目未报",
        body=f"{names}{more}的{window.year}年{window.month}月月报尚未提交或被退回未改，"
             f"请于{window.deadline:%Y-%m-%d}前提交。",
        url=reverse("milestones:todo"),
    ))  # fmt: skip


def chase_owed(*, user, window: ReportingWindow, today: datetime.date | None = None):
    """Remind the reporters of every owed project in `user`'s scope not reminded today."""
    today = today or timezone.localdate()
    if not window.is_open:
        raise ValidationError("该调度期已关闭，无需催报")
    owed = list(
        todo_list(user=user, year=window.year, month=window.month, owed_only=True).values_list(
            "pk", flat=True
        )
    )
    claimed = _claim(owed, window=window, user=user, today=today)
    told = 0
    if claimed:
        reporters = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=str(Role.REPORTER))
            .select_related("profile", "profile__region", "profile__unit")
            .distinct()
        )
        told = sum(_tell(r, claimed, window, today) for r in reporters)
    return ChaseResult(owed=len(owed), chased=len(claimed), already=len(owed) - len(claimed),
                       reporters=told)  # fmt: skip
