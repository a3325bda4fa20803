"""Derived figures follow a change of an earlier month.

The probe: correcting a returned month left the approved next month's year-to-date stale
(19237.40 ≠ 18378.30 + 1859.10). Later months are recomputed in the same transaction, with
history; an entered year-to-date that now disagrees is flagged for the reviewer instead.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from milestones import services
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.progress_import import progress_import
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory
from milestones.tests.test_progress_import import sheet
from registry.models import Project

D = Decimal
REASON = "2月数据变更，重新推算本年累计"


@pytest.fixture
def project(city):
    Project.objects.filter(pk=city.project_a.pk).update(invested_before_year=D("5000.00"))
    return Project.objects.get(pk=city.project_a.pk)


def _month(project, month, invested, ytd, status):
    return ProgressReportFactory(
        project=project,
        month=month,
        invested_month=D(invested),
        invested_ytd=D(ytd),
        invested_total=project.invested_before_year + D(ytd),
        status=status,
    )


@pytest.fixture
def february_returned(project):
    """Jan approved, Feb returned (ytd 17378.30), Mar approved with ytd derived from it."""
    _month(project, 1, "10000.00", "10000.00", ReportStatus.APPROVED)
    feb = _month(project, 2, "7378.30", "17378.30", ReportStatus.RETURNED)
    mar = _month(project, 3, "1859.10", "19237.40", ReportStatus.APPROVED)
    apr = _month(project, 4, "100.00", "19337.40", ReportStatus.DRAFT)
    return feb, mar, apr


def test_correcting_a_returned_month_recomputes_the_approved_months_after_it(
    february_returned, users, today
):
    feb, mar, apr = february_returned
    # when the reporter corrects February to 8378.30 (year-to-date left to the system)
    services.report_update(
        report=feb,
        data={"invested_month": D("8378.30")},
        version=feb.version,
        user=users.reporter_a,
    )
    # then February is 18378.30 and March follows: 18378.30 + 1859.10, April after it
    feb, mar2, apr2 = (ProgressReport.objects.get(pk=r.pk) for r in (feb, mar, apr))
    assert feb.invested_ytd == D("18378.30")
    assert mar2.invested_ytd == D("20237.40") == feb.invested_ytd + mar2.invested_month
    assert mar2.invested_total == D("25237.40")  # 至上年底 5000 + 本年累计
    assert apr2.invested_ytd == D("20337.40") and apr2.invested_total == D("25337.40")
    assert mar2.status == ReportStatus.APPROVED and mar2.figures_note == ""
    # and the change is audited on March and April, and their open forms are now stale
    for before, after in ((mar, mar2), (apr, apr2)):
        assert after.version == before.version + 1
        last = after.history.latest("history_date")
        assert last.history_change_reason == REASON and last.history_user == users.reporter_a
        assert last.invested_ytd == after.invested_ytd
    with pytest.raises(services.StaleEditError):
        services.report_update(
            report=apr2,
            data={"progress_text": "旧表单"},
            version=apr.version,
            user=users.reporter_a,
        )


def test_unchanged_later_months_get_no_history_row(february_returned, users, today):
    feb, mar, _apr = february_returned
    rows_before = ProgressReport.history.filter(id=mar.pk).count()
    # when February is saved again with the same figure
    services.report_update(
        report=feb, data={"progress_text": "补充说明"}, version=feb.version, user=users.reporter_a
    )
    # then March is untouched
    assert ProgressReport.history.filter(id=mar.pk).count() == rows_before
    assert ProgressReport.objects.get(pk=mar.pk).version == mar.version


def test_entered_ytd_that_disagrees_after_a_late_month_is_flagged(client, project, users, today):
    # given January unreported, so February and March entered their year-to-date
    _month(project, 2, "100.00", "300.00", ReportStatus.APPROVED)
    mar = _month(project, 3, "150.00", "450.00", ReportStatus.SUBMITTED)
    # when January is reported late with 150 (so February "should" be 250, March 400)
    services.report_create(
        project=project,
        year=2026,
        month=1,
        data={"invested_month": D("150.00"), "progress_text": "补报"},
        user=users.reporter_a,
    )
    # then the entered figures are kept, not overwritten, and both months are flagged
    feb, mar = (ProgressReport.objects.get(project=project, month=m) for m in (2, 3))
    assert (feb.invested_ytd, mar.invested_ytd) == (D("300.00"), D("450.00"))
    assert "应为 250.00 万元" in feb.figures_note and "应为 400.00 万元" in mar.figures_note
    assert "1月数据变更" in mar.history.latest("history_date").history_change_reason
    # and a reviewer finds them in the review queue
    login(client, users.reviewer)
    queue = client.get(reverse("milestones:review_queue"), {"status": "", "figures_flagged": "1"})
    body = queue.content.decode()
    assert queue.status_code == 200
    assert "累计数待核对 2 份" in body and body.count(">累计数待核对</span>") == 2
    detail = client.get(reverse("milestones:report_detail", args=[mar.pk])).content.decode()
    assert "应为 400.00 万元" in detail


def test_late_month_that_fits_flags_nothing(project, users, today):
    _month(project, 2, "100.00", "300.00", ReportStatus.APPROVED)
    _month(project, 3, "150.00", "450.00", ReportStatus.APPROVED)
    services.report_create(
        project=project,
        year=2026,
        month=1,
        data={"invested_month": D("200.00"), "progress_text": "补报"},
        user=users.reporter_a,
    )
    assert not ProgressReport.objects.exclude(figures_note="").exists()


def test_correcting_the_flagged_month_clears_its_flag(project, users, today):
    _month(project, 1, "150.00", "150.00", ReportStatus.APPROVED)
    feb = _month(project, 2, "100.00", "300.00", ReportStatus.RETURNED)
    ProgressReport.objects.filter(pk=feb.pk).update(figures_note="待核对")
    feb = services.report_update(
        report=feb,
        data={"invested_ytd": None, "invested_total": None},
        version=feb.version,
        user=users.reporter_a,
    )
    assert feb.invested_ytd == D("250.00") and feb.figures_note == ""


def test_progress_import_correction_recomputes_later_months(february_returned, users, today):
    feb, mar, _apr = february_returned
    ReportingWindowFactory(year=2026, month=2)
    # when the reporter re-imports February with the corrected figure
    result = progress_import(
        sheet([[feb.project.code, "2026-02", "8378.30", None, "更正", ""]]),
        user=users.reporter_a,
        dry_run=False,
    )
    # then March (approved, not in the sheet) was recomputed in the same import
    assert result.applied, result.errors
    mar = ProgressReport.objects.get(pk=mar.pk)
    assert mar.invested_ytd == D("20237.40")
    assert mar.history.latest("history_date").history_change_reason == REASON


def test_progress_import_of_consecutive_months_is_not_stale(project, users, today):
    # given February and March both returned
    _month(project, 1, "100.00", "100.00", ReportStatus.APPROVED)
    feb = _month(project, 2, "100.00", "200.00", ReportStatus.RETURNED)
    _month(project, 3, "100.00", "300.00", ReportStatus.RETURNED)
    for m in (2, 3):
        ReportingWindowFactory(year=2026, month=m)
    # when one sheet corrects both (February recomputes March before March's row is applied)
    result = progress_import(
        sheet(
            [
                [feb.project.code, "2026-02", "150", None, "更正", ""],
                [feb.project.code, "2026-03", "120", None, "更正", ""],
            ]
        ),
        user=users.reporter_a,
        dry_run=False,
    )
    # then both rows apply and March is 100 + 150 + 120
    assert result.applied, result.errors
    assert ProgressReport.objects.get(project=project, month=3).invested_ytd == D("370.00")


def test_approval_flags_a_later_month_that_disagrees(project, users, today):
    # given March approved with a year-to-date that does not fit January + February
    _month(project, 1, "100.00", "100.00", ReportStatus.APPROVED)
    feb = _month(project, 2, "100.00", "200.00", ReportStatus.SUBMITTED)
    _month(project, 3, "100.00", "999.00", ReportStatus.APPROVED)
    # when February is approved
    services.report_approve(report=feb, user=users.reviewer)
    # then March is flagged for the reviewer (its figure is kept)
    mar = ProgressReport.objects.get(project=project, month=3)
    assert mar.invested_ytd == D("999.00") and "应为 300.00 万元" in mar.figures_note
