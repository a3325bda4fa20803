"""seed_demo's milestones part: realistic spread, deterministic and idempotent."""

import datetime
import io

from milestones import demo
from milestones.choices import ReportStatus
from milestones.models import Milestone, Problem, ProgressReport, ReportingWindow
from registry.choices import Role
from registry.demo import seed_registry
from registry.models import AnnualPlan, Project
from registry.tests.factories import make_user

TODAY = datetime.date(2026, 11, 20)


def _seed():
    out = io.StringIO()
    seed_registry(projects=120, seed=7, today=TODAY, stdout=out)
    demo.seed(seed=7, year=2026, today=TODAY, stdout=out)
    return out.getvalue()


def _snapshot():
    return sorted(
        ProgressReport.objects.values_list(
            "project__code",
            "year",
            "month",
            "status",
            "invested_month",
            "invested_ytd",
            "is_late",
        )
    )


def test_demo_reports_spread(db):
    # given the demo city seeded on 2026-11-20
    output = _seed()
    # then a project started before the year reports each of January–October (a few
    # missed October), one finished reports up to its finish month, none reports November
    projects = Project.objects.filter(year=2026, is_package=False)
    assert "月报：" in output
    running = projects.filter(started_on__year__lt=2026, completed_on=None)
    for p in running:
        months = set(p.progress_reports.filter(year=2026).values_list("month", flat=True))
        assert months in (set(range(1, 11)), set(range(1, 10))), p.code
    this_year = ProgressReport.objects.filter(year=2026, project__in=running)
    assert this_year.count() > running.count() * 9.8
    for p in projects.filter(completed_on__isnull=False):
        months = set(p.progress_reports.filter(year=2026).values_list("month", flat=True))
        assert months == set(range(1, p.completed_on.month + 1)), p.code
    assert not ProgressReport.objects.filter(year=2026, month__gte=11).exists()
    # and October is mostly approved, with some submitted, returned and late
    october = ProgressReport.objects.filter(year=2026, month=10)
    statuses = {s: october.filter(status=s).count() for s in ReportStatus}
    assert statuses[ReportStatus.APPROVED] > october.count() / 2
    assert statuses[ReportStatus.SUBMITTED] > 0 and statuses[ReportStatus.RETURNED] > 0
    assert (
        0 < ProgressReport.objects.filter(is_late=True).count() < ProgressReport.objects.count() / 5
    )
    # and the gaps to schedule spread: most near, some 10–20 behind, some beyond, a few ahead
    gaps = []
    plans = {p.project_id: p for p in AnnualPlan.objects.filter(year=2026)}
    for r in october:
        plan = plans[r.project_id]
        gaps.append((r.invested_ytd - plan.planned_by_month(10)) * 100 / plan.planned_investment)
    near = sum(1 for g in gaps if -10 < g < 10)
    behind = sum(1 for g in gaps if -20 < g <= -10)
    far = sum(1 for g in gaps if g <= -20)
    ahead = sum(1 for g in gaps if g >= 10)
    assert near > len(gaps) / 2 and behind >= 5 and far >= 3 and ahead >= 2
    # and year-to-date always equals the sum of the months
    for r in october[:20]:
        months = ProgressReport.objects.filter(project_id=r.project_id, year=2026, month__lte=10)
        assert sum(m.invested_month for m in months) == r.invested_ytd
    # and there are overdue milestones, due-but-not-started projects, 督办 and overdue problems
    assert sum(1 for m in Milestone.objects.all() if m.is_overdue(TODAY)) > 0
    assert projects.filter(planned_start__lt=TODAY, started_on__isnull=True).exists()
    assert Problem.objects.filter(is_supervised=True).exists()
    assert Problem.objects.filter(status="resolved").exists()
    assert sum(1 for p in Problem.objects.all() if p.is_overdue(TODAY)) > 0
    # and the windows of past months are closed, the current month's is open
    assert not ReportingWindow.objects.get(year=2026, month=9).is_open
    assert ReportingWindow.objects.get(year=2026, month=11).is_open


def test_demo_is_idempotent_and_deterministic(db):
    _seed()
    first = _snapshot()
    counts = (Milestone.objects.count(), Problem.objects.count(), ReportingWindow.objects.count())
    # when run again
    _seed()
    # then nothing changes
    assert _snapshot() == first
    assert (
        Milestone.objects.count(),
        Problem.objects.count(),
        ReportingWindow.objects.count(),
    ) == counts


def test_first_edit_of_a_seeded_problem_and_report_shows_its_change(db, django_user_model):
    from milestones import selectors, services

    # given the demo city (seeded reports and problems carry a "created" history row)
    _seed()
    # a reviewer: only reviewers change a problem's owner (reporters update progress only)
    user = make_user("editor", Role.REVIEWER, first_name="王审核")
    problem = Problem.objects.order_by("pk").first()
    report = ProgressReport.objects.filter(status=ReportStatus.RETURNED).order_by("pk").first()
    assert problem.history.count() == 1 and report.history.count() == 1
    # when each is edited for the first time through its service
    services.problem_update(
        problem=problem,
        data={"responsible_person": "新责任人"},
        version=problem.version,
        user=user,
    )
    services.report_update(
        report=report, data={"progress_text": "补充了现场照片"}, version=report.version, user=user
    )
    # then the problem's and the project's history show what changed, and who changed it
    entry = selectors.object_history(problem)[0]
    assert entry["who"] == "王审核" and entry["action"] == "修改"
    assert {"field": "责任人", "old": problem.responsible_person, "new": "新责任人"} in entry[
        "changes"
    ]
    changes = [c for e in selectors.project_history(problem.project) for c in e["changes"]]
    assert {"field": "责任人", "old": problem.responsible_person, "new": "新责任人"} in changes
    entry = selectors.report_history(report)[0]
    assert [c["field"] for c in entry["changes"]] == ["形象进度"]
    assert entry["changes"][0]["new"] == "补充了现场照片"


def test_seeded_audited_factors_have_their_created_row(db):
    from registry.models import Approval, Funding, Relocation

    _seed()
    for model in (Funding, Relocation, Approval):
        assert model.objects.count() > 0
        assert model.history.filter(history_type="+").count() == model.objects.count()
    _seed()  # idempotent: a second run adds no history rows
    for model in (Funding, Relocation, Approval):
        assert model.history.count() == model.objects.count()
