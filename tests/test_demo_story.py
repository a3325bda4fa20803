"""The demo city tells a consistent story the judgements can stand on.

No investment before the actual start, finished projects stop reporting, every 在建 project
has a start date, milestones agree with the ledger's lifecycle dates, and the last closed
month has projects in every status of SPEC §3.3's default rules. The statuses are computed
here by a small helper of our own, independent of the assessments app.
"""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from milestones import demo as milestones_demo
from milestones.models import Milestone, Problem, ProgressReport
from registry.choices import Pool, Stage
from registry.demo import seed_registry
from registry.models import AnnualPlan, Project

pytestmark = pytest.mark.django_db

FINISHED = {Stage.COMPLETED, Stage.OPERATING, Stage.CAPACITY}


def _month_end(year, month):
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _leaves(year):
    return (
        Project.objects.filter(year=year, is_package=False)
        .exclude(pool__in=[Pool.RESERVE, Pool.WITHDRAWN])
        .filter(annual_plans__year=year)
    )


def _should_report(p, year, month):
    """Started or due to start by the month's end, and not finished before the month."""
    end = _month_end(year, month)
    due = (p.started_on and p.started_on <= end) or (p.planned_start and p.planned_start <= end)
    finished_before = p.completed_on and p.completed_on < datetime.date(year, month, 1)
    return bool(due) and not finished_before


def _status(p, plan, report, milestones, problems, year, month):
    """SPEC §3.3 with the default rule set, first match wins; None when not judged."""
    asof = _month_end(year, month)
    if report is None:
        return "未报" if _should_report(p, year, month) else None
    if report.status != "approved":
        return None  # judged on approved data only; pending ones are left out here
    annual = plan.planned_investment
    r = report.invested_ytd / annual
    schedule = [getattr(plan, f"m{m:02d}") for m in range(1, 13)]
    if all(v is not None for v in schedule):
        t = schedule[month - 1] / annual
    else:
        t = Decimal(month) / 12
    gap = (r - t) * 100
    ms_days = max(
        [
            (asof - m.planned_on).days
            for m in milestones
            if m.planned_on < asof and (m.actual_on is None or m.actual_on > asof)
        ],
        default=None,
    )
    unstarted_days = None
    if (p.started_on is None or p.started_on > asof) and p.planned_start < asof:
        unstarted_days = (asof - p.planned_start).days
    overdue_problems = [
        q for q in problems if q.status != "resolved" and q.deadline and q.deadline < asof
    ]
    if (
        gap <= -20
        or (ms_days is not None and ms_days >= 60)
        or (unstarted_days is not None and unstarted_days > 30)
    ):
        return "滞后"
    if (
        gap <= -10
        or ms_days is not None
        or unstarted_days is not None
        or any(q.is_supervised for q in overdue_problems)
    ):
        return "预警"
    if gap >= 10 and not overdue_problems:
        return "较快"
    return "正常"


def _statuses(year, month):
    projects = list(_leaves(year))
    ids = [p.pk for p in projects]
    plans = {a.project_id: a for a in AnnualPlan.objects.filter(year=year, project_id__in=ids)}
    reports = {r.project_id: r for r in ProgressReport.objects.filter(year=year, month=month)}
    milestones, problems = {}, {}
    for m in Milestone.objects.filter(project_id__in=ids):
        milestones.setdefault(m.project_id, []).append(m)
    for q in Problem.objects.filter(project_id__in=ids):
        problems.setdefault(q.project_id, []).append(q)
    out = {}
    for p in projects:
        status = _status(
            p,
            plans[p.pk],
            reports.get(p.pk),
            milestones.get(p.pk, []),
            problems.get(p.pk, []),
            year,
            month,
        )
        if status:
            out[p.code] = status
    return out


def _assert_consistent_story(year):
    """Over the reports of `year` and the projects of its list (AnnualPlan of `year`)."""
    projects = {p.pk: p for p in Project.objects.all()}
    listed_ids = set(AnnualPlan.objects.filter(year=year).values_list("project_id", flat=True))
    listed = [p for pk, p in projects.items() if pk in listed_ids]
    reports = ProgressReport.objects.filter(year=year)
    # no investment before the actual start month
    for r in reports.filter(invested_ytd__gt=0):
        p = projects[r.project_id]
        assert p.started_on is not None, f"{p.code} 未开工却报了 {r.month} 月投资"
        assert (year, r.month) >= (p.started_on.year, p.started_on.month), (
            f"{p.code} {p.started_on} 开工，却报了 {year}年{r.month} 月投资"
        )
    # finished projects stop reporting after their finish month, and their stage says so
    for r in reports:
        done = projects[r.project_id].completed_on
        assert done is None or (year, r.month) <= (done.year, done.month), (
            f"{projects[r.project_id].code} {done} 竣工后仍在填报"
        )
    for p in listed:
        assert (p.stage in FINISHED) == (p.completed_on is not None), p.code
        if p.stage == Stage.OPERATING:
            assert p.operating_on and p.operating_on >= p.completed_on, p.code
        # every 在建 project has a start date; a 前期 one has none
        if p.stage == Stage.BUILDING:
            assert p.started_on is not None, f"{p.code} 在建却无开工时间"
        if p.stage == Stage.PREPARATORY:
            assert p.started_on is None, p.code
    # packages too: a 在建 package started with its first sub-project
    assert not Project.objects.filter(stage=Stage.BUILDING, started_on=None).exists()
    # milestones agree with the lifecycle dates; nothing is done before the start
    for kind, attname in [
        ("start", "started_on"),
        ("completion", "completed_on"),
        ("operation", "operating_on"),
    ]:
        for m in Milestone.objects.filter(kind=kind):
            assert m.actual_on == getattr(projects[m.project_id], attname), (m.project_id, kind)
    for m in Milestone.objects.filter(actual_on__isnull=False):
        p = projects[m.project_id]
        assert p.started_on and m.actual_on >= p.started_on, (p.code, m.name)
        assert p.completed_on is None or m.actual_on <= max(
            p.completed_on, p.operating_on or p.completed_on
        )


def _seed(today, projects=120, seed=2026):
    out = StringIO()
    seed_registry(projects=projects, seed=seed, today=today, stdout=out)
    milestones_demo.seed(seed=seed, year=today.year, today=today, stdout=out)


def test_seeded_demo_tells_a_consistent_story_with_every_status():
    # given the demo city as `seed_demo` builds it today (default 120 projects)
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    # then its story is consistent, this year and last year
    _assert_consistent_story(today.year)
    _assert_consistent_story(today.year - 1)
    # and 5 projects are 应开未开 (planned start passed, not started)
    unstarted = _leaves(today.year).filter(planned_start__lt=today, started_on__isnull=True)
    assert unstarted.count() == 5
    # and the last closed month has projects in every status
    if today.month > 1:
        counts = Counter(_statuses(today.year, today.month - 1).values())
        assert set(counts) == {"较快", "正常", "预警", "滞后", "未报"}, counts


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2026, 11, 23),
        datetime.date(2026, 3, 15),
        datetime.date(2026, 7, 1),
        datetime.date(2027, 1, 3),
        datetime.date(2026, 12, 31),
    ],
)
def test_story_holds_on_other_days(today):
    _seed(today)
    _assert_consistent_story(today.year)
    _assert_consistent_story(today.year - 1)
    if today.month > 2:  # from March on the year has enough months behind it
        counts = Counter(_statuses(today.year, today.month - 1).values())
        assert set(counts) == {"较快", "正常", "预警", "滞后", "未报"}, (today, counts)


def test_two_years_last_closed_this_running():
    # given the demo seeded on 2026-11-23
    today = datetime.date(2026, 11, 23)
    _seed(today)
    plans = {}
    for project_id, year in AnnualPlan.objects.values_list("project_id", "year"):
        plans.setdefault(project_id, set()).add(year)
    leaves = Project.objects.filter(is_package=False)
    last_year = [p for p in leaves if 2025 in plans.get(p.pk, ())]
    carried = [p for p in last_year if 2026 in plans[p.pk]]
    finished = [p for p in last_year if 2026 not in plans[p.pk]]
    # then last year's list holds carried-over projects and ones that finished in 2025
    assert len(carried) > 20 and len(finished) >= 10
    for p in finished:
        assert p.completed_on.year == 2025 and p.stage in FINISHED, p.code
        assert ProgressReport.objects.filter(project=p, year=2026).count() == 0
    # and every carried-over project started before 2026, is not finished before 2026, and
    # its 至上年底累计 is what was approved cumulatively by the end of 2025
    for p in carried:
        assert p.started_on.year < 2026, p.code
        assert p.completed_on is None or p.completed_on.year == 2026, p.code
        december = ProgressReport.objects.get(project=p, year=2025, month=12)
        assert december.status == "approved"
        assert p.invested_before_year == december.invested_total, p.code
    # and last year is closed: all twelve months reported and approved, windows closed
    assert not ProgressReport.objects.filter(year=2025).exclude(status="approved").exists()
    from milestones.models import ReportingWindow

    windows = ReportingWindow.objects.filter(year=2025)
    assert windows.count() == 12 and not windows.filter(is_open=True).exists()
    # and this year's list has no project that finished last year
    assert not [
        p
        for p in leaves
        if 2026 in plans.get(p.pk, ()) and p.completed_on and p.completed_on.year < 2026
    ]
