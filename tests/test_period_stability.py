"""A month that has ended keeps its figures (SPEC §3.8, list membership is dated).

On 8 December the demo's November is recorded on every surface; then December reports are
filed and approved, one project is withdrawn (退库) and two are added (增补). November must
read the same to the cent everywhere, while December (the open month) shows the changes.
"""

import dataclasses
import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from assessments.services import assess_month
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.review import report_approve
from milestones.tests.factories import ProgressReportFactory
from registry.choices import Pool
from registry.models import AnnualPlan, Project
from registry.selectors import year_list
from registry.services import project_set_pool
from registry.tests.factories import AnnualPlanFactory, ProjectFactory
from reports.models import RunStatus
from reports.services import request_run

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOVEMBER = "year=2026&month=11"
SHEETS = ["汇总", "分地区", "分单位", "预警项目", "滞后项目", "项目明细"]


def _figures(f) -> dict:
    return dataclasses.asdict(f)


def _dash(dash) -> dict:
    return {
        "totals": _figures(dash.totals),
        "paragraph": dash.paragraph,
        "regions": [(r["region"].name, _figures(r["figures"])) for r in dash.regions],
    }


def _list(client, kind, query) -> dict:
    r = client.get(f"/assessments/lists/{kind}/?{query}")
    assert r.status_code == 200
    rows = [getattr(i, "project_id", None) for i in r.context["page_obj"].object_list]
    return {"total": r.context["total_count"], "projects": rows}


def _workbook(period) -> dict:
    run = request_run(kind="monthly", period=period)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    wb = openpyxl.load_workbook(run.file.path)
    return {name: [row for row in wb[name].iter_rows(values_only=True)] for name in SHEETS}


def surfaces(client, query="year=2026&month=11", period="2026-11") -> dict:
    """Every figure of one month, as a user would read it on each surface."""
    cache.clear()  # recomputed from the data, never a figure kept from before
    home = client.get(f"/?{query}")
    dashboard = client.get(f"/assessments/dashboard/?{query}")
    scores = client.get(f"/assessments/scores/?period={period}")
    bulletin = client.get(f"/reports/bulletin/?kind=monthly&period={period}")
    for r in (home, dashboard, scores, bulletin):
        assert r.status_code == 200
    doc = bulletin.context["doc"]
    return {
        "home": _dash(home.context["dash"]),
        "dashboard": _dash(dashboard.context["dash"]),
        "api": client.get(f"/api/dashboard/?{query}").json(),
        "charts": client.get(f"/api/dashboard/charts/?{query}").json(),
        "warning": _list(client, "warning", query),
        "lagging": _list(client, "lagging", query),
        "scores": [(r.name, r.score, r.rank) for r in scores.context["rows"]],
        "bulletin": {"dash": _dash(doc.dash), "text": doc.text.text, "lists": doc.lists},
        "workbook": _workbook(period),
    }


def _file_and_approve_december(reviewer, n=6):
    """Approved December reports: the November figures must not see them."""
    november = ProgressReport.objects.filter(year=2026, month=11, status=ReportStatus.APPROVED)
    for old in november.select_related("project").order_by("project__code")[:n]:
        report = ProgressReportFactory(
            project=old.project,
            year=2026,
            month=12,
            status=ReportStatus.SUBMITTED,
            invested_month=Decimal("321.00"),
            invested_ytd=old.invested_ytd + Decimal("321.00"),
            invested_total=old.invested_total + Decimal("321.00"),
            submitted_at=TODAY,
            first_submitted_at=TODAY,
        )
        report_approve(report=report, user=reviewer)
    assess_month(year=2026, month=12)


def _withdraw_one(reviewer) -> Project:
    withdrawn = (
        year_list(2026)
        .filter(is_package=False, package__isnull=True, annual_plans__planned_investment__gt=0)
        .order_by("code")
        .first()
    )
    project_set_pool(
        project=withdrawn,
        pool=Pool.WITHDRAWN,
        reason="项目终止",
        version=withdrawn.version,
        user=reviewer,
    )
    return withdrawn


def _add_two(reviewer) -> list[Project]:
    model = Project.objects.filter(is_package=False).order_by("code").first()
    added = []
    for i in range(2):
        project = ProjectFactory(
            name=f"年中增补项目{i + 1}",
            region=model.region,
            unit=model.unit,
            total_investment=Decimal("80000.00"),
            started_on=datetime.date(2026, 12, 1),
            planned_start=datetime.date(2026, 12, 1),
        )
        AnnualPlanFactory(project=project, year=2026, planned_investment=Decimal("7500.00"))
        project_set_pool(
            project=project,
            pool=Pool.ADDED,
            reason="市政府常务会议研究增补",
            version=project.version,
            user=reviewer,
        )
        added.append(project)
    return added


@pytest.fixture
def december_city(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", "--projects", "60", stdout=StringIO())
        yield get_user_model().objects.get(username="drc")


def test_november_holds_still_while_december_moves(client, december_city):
    # given November's figures on every surface, recorded on 8 December
    reviewer = december_city
    client.force_login(reviewer)
    november = surfaces(client)
    december_before = client.get("/api/dashboard/?year=2026&month=12").json()["totals"]
    assert november["home"]["totals"]["count"] > 0

    # when December reports are approved, one project is withdrawn and two are added
    _file_and_approve_december(reviewer)
    withdrawn = _withdraw_one(reviewer)
    added = _add_two(reviewer)

    # then November reads the same, to the cent, on every surface
    after = surfaces(client)
    for surface in november:
        assert after[surface] == november[surface], surface

    # and December, the open month, shows the changes: one out, two in
    cache.clear()
    december = client.get("/api/dashboard/?year=2026&month=12").json()["totals"]
    assert december["count"] == december_before["count"] - 1 + 2
    plan = Decimal(str(december["annual_plan"]))
    withdrawn_plan = AnnualPlan.objects.get(project=withdrawn, year=2026).planned_investment
    expected = Decimal(str(december_before["annual_plan"])) - withdrawn_plan + Decimal("15000")
    assert plan == expected
    dated = AnnualPlan.objects.filter(project__in=added, year=2026)
    assert set(dated.values_list("listed_on", flat=True)) == {TODAY.date()}
    assert AnnualPlan.objects.get(project=withdrawn, year=2026).withdrawn_on == TODAY.date()
