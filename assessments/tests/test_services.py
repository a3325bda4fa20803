"""assess_month: stored, idempotent, rule-set driven, bounded queries, recomputed on approval."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.choices import Status
from assessments.models import ProjectMonthStatus
from assessments.services import assess_month, assess_months
from assessments.tests.helpers import leaf, rules_2026
from milestones import services as ms_services
from milestones.choices import ReportStatus
from milestones.tests.factories import MilestoneFactory, ProblemFactory, ProgressReportFactory
from registry.choices import Pool
from registry.tests.factories import ProjectFactory, RegionFactory, make_user

pytestmark = pytest.mark.django_db


def stored(project, month=6):
    return ProjectMonthStatus.objects.get(project=project, year=2026, month=month)


def test_assess_stores_status_with_reasons_and_is_idempotent():
    # given a project 10 points behind in June (R 40%, T 50%)
    p = leaf(reports=[(6, "480")])
    # when June is assessed twice
    first = assess_month(year=2026, month=6)
    second = assess_month(year=2026, month=6)
    # then one row, 预警, with its numbers and reason
    assert first["counts"] == second["counts"]
    assert ProjectMonthStatus.objects.filter(project=p).count() == 1
    row = stored(p)
    assert row.status == Status.WARNING
    assert (row.r, row.t, row.g) == (Decimal("40.00"), Decimal("50.00"), Decimal("-10.00"))
    assert "G=-10.00个百分点（≤-10，预警）" in row.reason_text


def test_changing_a_threshold_changes_the_next_assess():
    # given a project 12 points behind and the default rules
    p = leaf(reports=[(6, "456")])
    assess_month(year=2026, month=6)
    assert stored(p).status == Status.WARNING
    # when the city moves the warning line to −15 points
    rules = rules_2026()
    rules.warn_points = Decimal("-15")
    rules.save()
    assess_month(year=2026, month=6)
    # then the same project is 正常
    assert stored(p).status == Status.NORMAL
    assert stored(p).rule_set == rules


def test_only_the_list_of_the_year_is_judged():
    # given a listed project, a withdrawn one, a deleted one and one without a 2026 plan
    listed = leaf(reports=[(6, "600")])
    withdrawn = leaf(reports=[(6, "600")], pool=Pool.WITHDRAWN, pool_reason="项目取消")
    deleted = leaf(reports=[(6, "600")])
    deleted.soft_delete()
    no_plan = ProjectFactory()
    assess_month(year=2026, month=6)
    judged = set(ProjectMonthStatus.objects.values_list("project_id", flat=True))
    assert judged == {listed.pk}
    assert {withdrawn.pk, deleted.pk, no_plan.pk}.isdisjoint(judged)


def test_package_parent_is_not_judged_its_sub_projects_are():
    parent = ProjectFactory(is_package=True)
    sub = leaf(reports=[(6, "600")], package=parent)
    assess_month(year=2026, month=6)
    assert list(ProjectMonthStatus.objects.values_list("project_id", flat=True)) == [sub.pk]


def test_milestone_done_after_the_month_was_overdue_at_its_end():
    # given a milestone planned for 1 May, done on 5 July
    p = leaf(reports=[(6, "600")])
    MilestoneFactory(
        project=p,
        kind="topping",
        name="主体封顶",
        planned_on=datetime.date(2026, 5, 1),
        actual_on=datetime.date(2026, 7, 5),
    )
    assess_month(year=2026, month=6)
    assess_month(year=2026, month=7)
    # then June counts it overdue 60 days (滞后); July, when it was done, does not
    assert stored(p, 6).status == Status.LAGGING
    assert "节点“主体封顶”逾期60天" in stored(p, 6).reason_text
    assert stored(p, 7).status == Status.UNREPORTED  # no July report


def _many(n):
    region = RegionFactory()
    for _ in range(n):
        p = ProjectFactory(region=region, started_on=datetime.date(2026, 1, 5))
        from registry.tests.factories import AnnualPlanFactory

        AnnualPlanFactory(project=p)
        ProgressReportFactory(project=p, month=6, status=ReportStatus.APPROVED)
        MilestoneFactory(
            project=p, kind="topping", name="封顶", planned_on=datetime.date(2026, 5, 1)
        )


def test_query_count_does_not_grow_with_the_number_of_projects():
    _many(50)
    with CaptureQueriesContext(connection) as small:
        assess_month(year=2026, month=6)
    _many(450)
    with CaptureQueriesContext(connection) as large:
        assess_month(year=2026, month=6)
    assert ProjectMonthStatus.objects.filter(month=6).count() == 500
    assert len(small) == len(large) <= 15


def test_approving_a_report_recomputes_that_month(django_capture_on_commit_callbacks):
    # given a June report submitted 20 points behind, judged 未报 so far
    p = leaf()
    report = ProgressReportFactory(
        project=p, month=6, status=ReportStatus.SUBMITTED, invested_ytd=Decimal("360")
    )
    assess_month(year=2026, month=6)
    assert stored(p).status == Status.UNREPORTED
    reviewer = make_user("rev", "审核员", region=p.region)
    # when a reviewer approves it
    with django_capture_on_commit_callbacks(execute=True):
        ms_services.report_approve(report=report, user=reviewer)
    # then June is recomputed from the approved data
    assert stored(p).status == Status.LAGGING
    assert "G=-20.00个百分点（≤-20，滞后）" in stored(p).reason_text


def test_a_failing_recompute_does_not_undo_or_break_the_approval(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import assessments.services

    p = leaf()
    report = ProgressReportFactory(project=p, month=6, status=ReportStatus.SUBMITTED)
    reviewer = make_user("rev", "审核员", region=p.region)

    def boom(**kwargs):
        raise RuntimeError("数据库忙")

    monkeypatch.setattr(assessments.services, "recompute_project", boom)
    with django_capture_on_commit_callbacks(execute=True):
        ms_services.report_approve(report=report, user=reviewer)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert "审核通过后的处理失败" in caplog.text


def _stored_rows(year):
    return list(
        ProjectMonthStatus.objects.filter(year=year)
        .order_by("month", "project__code")
        .values_list(
            "project_id",
            "month",
            "status",
            "r",
            "t",
            "g",
            "unstarted_days",
            "milestone_overdue_days",
            "reasons",
            "lights",
            "rule_set_id",
        )
    )


def test_assess_months_stores_what_assess_month_stores_month_by_month():
    # given projects with reports in several months, overdue and late-finished milestones,
    # open, resolved and late-resolved problems, a project not started and one finished
    a = leaf(reports=[(3, "200"), (4, "300"), (5, "480"), (6, "700")])
    b = leaf(reports=[(4, "100"), (6, "150")], started_on=None)
    c = leaf(reports=[(5, "1200")], completed_on=datetime.date(2026, 5, 20))
    MilestoneFactory(project=a, kind="topping", name="封顶", planned_on=datetime.date(2026, 3, 1))
    MilestoneFactory(
        project=a,
        kind="ground_zero",
        name="正负零",
        planned_on=datetime.date(2026, 2, 1),
        actual_on=datetime.date(2026, 5, 10),
    )
    MilestoneFactory(project=b, kind="start", name="开工", planned_on=datetime.date(2026, 2, 1))
    for project, deadline, status, resolved_on in [
        (a, datetime.date(2026, 3, 15), "open", None),
        (b, datetime.date(2026, 2, 15), "resolved", datetime.date(2026, 5, 2)),
        (c, datetime.date(2026, 4, 1), "resolved", datetime.date(2026, 3, 30)),
    ]:
        ProblemFactory(
            project=project,
            deadline=deadline,
            status=status,
            resolved_on=resolved_on,
            resolution="已解决" if resolved_on else "",
            is_supervised=True,
        )
    # when the months are assessed one by one, then all at once
    by_month = {m: assess_month(year=2026, month=m)["counts"] for m in range(1, 8)}
    one_by_one = _stored_rows(2026)
    together = assess_months(year=2026, months=range(1, 8))
    # then the same rows are stored (replaced, not added) and the same counts returned
    assert _stored_rows(2026) == one_by_one
    assert len(one_by_one) == 3 * 7
    assert together == by_month
