"""Reminders (SPEC §3.7): who must act, told once — in the app and by e-mail.

Scheduled (a beat job, `milestones.send_reminders`, daily): a reporting window is open, its
deadline is within REMINDER_WORKING_DAYS working days for projects still unreported, a
problem is past its deadline. From the workflow: a report returned (after the commit).
Recipients are computed through registry/scoping.py: each person hears only of projects in
their own scope. Every notice has an event key, so running a job twice changes nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core.notices import notify
from milestones.choices import MilestonesNotice, ProblemStatus
from milestones.models import Problem, ProgressReport, ReportingWindow
from milestones.selectors import todo_list
from registry.choices import Role
from registry.scoping import scope_queryset

MAX_NAMED = 5  # projects named in one notice; the rest are counted


def _people(*roles):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(r) for r in roles])
        .select_related("profile", "profile__region", "profile__unit")
        .distinct()
    )


def _md(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def working_days_until(today: datetime.date, day: datetime.date) -> int:
    """Working days (Monday–Friday) after `today` up to and including `day`."""
    n, d = 0, today
    while d < day:
        d += datetime.timedelta(days=1)
        n += d.weekday() < 5
    return n


def _owed_names(user, window) -> list[str]:
    owed = todo_list(user=user, year=window.year, month=window.month, owed_only=True)
    return list(owed.values_list("name", flat=True)[: MAX_NAMED + 1]), owed.count()


def _listing(names, total) -> str:
    shown = "、".join(names[:MAX_NAMED])
    return shown + (f"等{total}个项目" if total > MAX_NAMED else "")


def _tell_reporters(window, *, kind, event_key, title, body) -> int:
    """Each reporter who still owes reports for `window`, about their own projects only.
    `title(total)` and `body(listing, total)` word the notice."""
    sent = 0
    for user in _people(Role.REPORTER):
        names, total = _owed_names(user, window)
        if total:
            sent += len(notify([user], kind=kind, event_key=event_key, title=title(total),
                               body=body(_listing(names, total), total),
                               url=reverse("milestones:todo")))  # fmt: skip
    return sent


def window_opened(window: ReportingWindow) -> int:
    """Tell each reporter with projects to report that the month's window is open."""
    return _tell_reporters(
        window,
        kind=MilestonesNotice.WINDOW_OPEN,
        event_key=f"window-open:{window.pk}",
        title=lambda total: (
            f"{window.year}年{window.month}月月报开始填报，截止{_md(window.deadline)}"
        ),
        body=lambda listing, total: (
            f"您负责的{listing}需要填报{window.month}月进度"
            f"（共{total}个），请在{window.deadline:%Y-%m-%d}前提交。"
        ),
    )


def deadline_near(today: datetime.date | None = None) -> int:
    """Two working days (by default) before an open window's deadline, to reporters of the
    projects still unreported."""
    today = today or timezone.localdate()
    sent = 0
    for window in ReportingWindow.objects.filter(is_open=True, deadline__gte=today):
        if working_days_until(today, window.deadline) > settings.REMINDER_WORKING_DAYS:
            continue
        sent += _tell_reporters(
            window,
            kind=MilestonesNotice.DEADLINE_NEAR,
            event_key=f"deadline:{window.pk}:{window.deadline}",
            title=lambda total, w=window: (
                f"{w.month}月月报将于{_md(w.deadline)}截止，还有{total}个项目未报"
            ),
            body=lambda listing, total, w=window: (
                f"尚未提交{w.month}月月报的项目：{listing}。"
                f"请在{w.deadline:%Y-%m-%d}前提交，逾期将计为迟报。"
            ),
        )
    return sent


def problems_overdue(today: datetime.date | None = None) -> int:
    """Each unresolved problem past its deadline, to the reporters and reviewers in scope."""
    today = today or timezone.localdate()
    overdue = Problem.objects.filter(deadline__lt=today).exclude(status=ProblemStatus.RESOLVED)
    sent = 0
    for user in _people(Role.REPORTER, Role.REVIEWER):
        mine = scope_queryset(user, overdue).select_related("project")
        for p in mine:
            days = (today - p.deadline).days
            sent += len(notify(
                [user],
                kind=MilestonesNotice.PROBLEM_OVERDUE,
                event_key=f"problem-overdue:{p.pk}:{p.deadline}",
                title=f"问题逾期{days}天：{p.project.name}",
                body=f"项目“{p.project.name}”的问题“{p.description[:60]}”解决时限为"
                     f"{p.deadline:%Y-%m-%d}，已逾期{days}天，请尽快推进并更新解决情况。",
                url=reverse("milestones:problem_edit", args=[p.pk]),
            ))  # fmt: skip
    return sent


def report_returned(report: ProgressReport) -> int:
    """The reporter who submitted a returned report hears why, at once."""
    who = report.submitted_by
    if who is None:
        return 0
    return len(notify(
        [who],
        kind=MilestonesNotice.REPORT_RETURNED,
        event_key=f"report-returned:{report.pk}:{report.reviewed_at:%Y%m%d%H%M%S%f}",
        title=f"{report.year}年{report.month}月月报被退回：{report.project.name}",
        body=f"退回意见：{report.reviewer_comment}",
        url=reverse("milestones:report_edit", args=[report.pk]),
    ))  # fmt: skip


def send_scheduled(today: datetime.date | None = None) -> dict:
    """The daily beat job: open windows, approaching deadlines, overdue problems."""
    opened = sum(window_opened(w) for w in ReportingWindow.objects.filter(is_open=True))
    return {
        "window_open": opened,
        "deadline_near": deadline_near(today),
        "problem_overdue": problems_overdue(today),
    }
