"""THE approved year-to-date (milestones.selectors.approved_ytd): what the figures and the
year cycle both count as 1-M月累计完成."""

from decimal import Decimal

import pytest

from assessments.metrics import load_leaves
from milestones.choices import ReportStatus
from milestones.selectors import approved_ytd
from milestones.tests.factories import ProgressReportFactory
from registry.models import Project
from registry.selectors import year_list

pytestmark = pytest.mark.django_db
D = Decimal


def _report(project, month, ytd, status=ReportStatus.APPROVED):
    ProgressReportFactory(
        project=project, year=2026, month=month, status=status, invested_ytd=D(ytd)
    )


def test_the_latest_approved_figure_up_to_the_month_counts(city):
    # given approved June and August figures, a submitted October and a returned September
    p = city.project_a
    _report(p, 6, "300.25")
    _report(p, 8, "512.40")
    _report(p, 9, "600", status=ReportStatus.RETURNED)
    _report(p, 10, "999", status=ReportStatus.SUBMITTED)
    ids = [p.pk, city.project_b.pk]
    # then November counts August's figure (not reported since is not 0), July June's
    done = approved_ytd(year=2026, month=11, project_ids=ids)
    assert (done[p.pk].amount, done[p.pk].month) == (D("512.40"), 8)
    assert approved_ytd(year=2026, month=7, project_ids=ids)[p.pk].amount == D("300.25")
    # and a project with nothing approved (or a month before the first approval) is absent
    assert city.project_b.pk not in done
    assert approved_ytd(year=2026, month=5, project_ids=ids) == {}


def test_the_figures_read_the_same_year_to_date(city):
    _report(city.project_a, 3, "120.10")
    _report(city.project_b, 4, "80.05")
    _report(city.project_b, 5, "95.55")
    listed = year_list(2026, Project.objects.all())
    leaves = {leaf.id: (leaf.ytd, leaf.ytd_month) for leaf in load_leaves(listed, 2026, 12)}
    done = approved_ytd(year=2026, month=12, project_ids=listed.values("pk"))
    assert {pk: (d.amount, d.month) for pk, d in done.items()} == {
        pk: value for pk, value in leaves.items() if value[1]
    }
    assert leaves[city.project_b.pk] == (D("95.55"), 5)
