"""A month that has ended keeps its figures (SPEC §3.8, list membership is dated).

On 8 December the demo's November is recorded on every surface and its bulletin is published
(发布); then December reports are filed and approved, one project is withdrawn (退库) and two
are added (增补). November must read the same to the cent everywhere, its published page and
workbook byte for byte, while December (the open month, a live draft) shows the changes. A
late November approval is then published as a correction that lists it, and version 1 stays
served as it was.
"""

import dataclasses
import datetime
import hashlib
import html
import json
import re
from decimal import Decimal
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from assessments.services import assess_month
from core.periods import parse_period
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from milestones.review import report_approve
from milestones.tests.factories import ProgressReportFactory
from registry.choices import Pool
from registry.models import AnnualPlan, Project
from registry.selectors import year_list
from registry.services import project_set_pool
from registry.tests.factories import AnnualPlanFactory, ProjectFactory
from reports import bulletin, snapshot
from reports.models import Publication, RunStatus
from reports.services import request_run

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PAGE = "/reports/bulletin/?kind=monthly&period={}"
SHEETS = [
    "汇总",
    "分地区",
    "分单位",
    "预警项目",
    "滞后项目",
    "应开未开",
    "节点逾期",
    "问题清单",
    "项目明细",
]
ARTICLE = re.compile(r'<article class="bulletin-doc" id="bulletin">.*?</article>', re.S)
CHARTS = re.compile(
    r'<script id="bulletin-chart-data" type="application/json">(.*?)</script>', re.S
)


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


def _cells(body: bytes) -> dict:
    """Every cell value of every sheet of a workbook."""
    wb = openpyxl.load_workbook(BytesIO(body))
    assert wb.sheetnames == SHEETS
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _workbook(period) -> dict:
    run = request_run(kind="monthly", period=period)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    with run.file.open("rb") as fh:
        return _cells(fh.read())


def _draft(user, period) -> dict:
    """The month's bulletin as the data stand now: what a correction would publish."""
    doc = bulletin.build(user, bulletin.Params("monthly", parse_period(period), None))
    return {"dash": _dash(doc.dash), "text": doc.text.text, "lists": doc.lists}


def surfaces(client, user, query="year=2026&month=11", period="2026-11") -> dict:
    """Every figure of one month, as a user would read it on each surface."""
    cache.clear()  # recomputed from the data, never a figure kept from before
    home = client.get(f"/?{query}")
    dashboard = client.get(f"/assessments/dashboard/?{query}")
    scores = client.get(f"/assessments/scores/?period={period}")
    page = client.get(PAGE.format(period))
    for r in (home, dashboard, scores, page):
        assert r.status_code == 200
    # The bulletin page: its live draft until published, then the frozen version.
    frozen = page.context["frozen"]
    return {
        "home": _dash(home.context["dash"]),
        "dashboard": _dash(dashboard.context["dash"]),
        "api": client.get(f"/api/dashboard/?{query}").json(),
        "charts": client.get(f"/api/dashboard/charts/?{query}").json(),
        "warning": _list(client, "warning", query),
        "lagging": _list(client, "lagging", query),
        "scores": [(r.name, r.score, r.rank) for r in scores.context["rows"]],
        "bulletin": _stored(
            frozen.figures if frozen else snapshot.of_bulletin(page.context["doc"])
        ),
        "draft": _draft(user, period),
        "workbook": _workbook(period),
    }


def _stored(figures: dict) -> dict:
    """Figures as a JSON field gives them back (a draft's tuples are a version's lists)."""
    return json.loads(json.dumps(figures))


def _printed(response) -> dict:
    """The printed document of a bulletin page, as a reader sees it: text and chart data."""
    assert response.status_code == 200
    html = response.content.decode()
    article = ARTICLE.search(html)
    assert article, "the page prints no bulletin"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article.group(0))).strip()
    return {"text": text, "charts": json.loads(CHARTS.search(html).group(1))}


def published(client, pub: Publication) -> dict:
    """What a reader of one published version gets at its own address: page and workbook."""
    page = client.get(reverse("bulletin:version", args=[pub.pk]))
    download = client.get(reverse("bulletin:download", args=[pub.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    return {**_printed(page), "sha256": hashlib.sha256(body).hexdigest(), "workbook": _cells(body)}


def _publish(client, period="2026-11"):
    """The city DRC presses 发布 (or 发布更正版) on the bulletin page."""
    url = reverse("bulletin:publish")
    response = client.post(url, {"kind": "monthly", "period": period, "region": ""})
    assert response.status_code == 302
    return response


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


def _publish_november(client, november) -> Publication:
    """November's bulletin published by the city DRC, frozen from what every surface shows."""
    _publish(client)
    first = Publication.objects.get()
    assert (first.period, first.version, first.issue_label) == ("2026-11", 1, "2026年第1期")
    assert _stored(first.figures) == november["bulletin"]
    return first


def _check_issued(client, issued, november, first):
    """The published page prints November's figures and rows; its workbook is the month's."""
    assert issued["workbook"] == november["workbook"]
    assert first.figures["paragraph"] in issued["text"] and "2026年第1期" in issued["text"]
    rows = [r["name"] for x in first.figures["lists"] for r in x["rows"]]
    assert rows and all(html.escape(name) in issued["text"] for name in rows)
    period_page = _printed(client.get(PAGE.format("2026-11")))
    assert period_page == {"text": issued["text"], "charts": issued["charts"]}


def _december(client) -> dict:
    """December, the open month: the API's figures and the bulletin page's live draft."""
    cache.clear()
    page = client.get(PAGE.format("2026-12"))
    assert page.context["frozen"] is None
    assert 'id="draft-badge"' in page.text and 'id="period-provisional"' in page.text
    return {
        "api": client.get("/api/dashboard/?year=2026&month=12").json()["totals"],
        "bulletin": snapshot.figures_of(page.context["doc"].dash.totals),
        "text": _printed(page)["text"],
    }


def _check_december_moved(client, before, withdrawn, added):
    now = _december(client)
    withdrawn_plan = AnnualPlan.objects.get(project=withdrawn, year=2026).planned_investment
    for surface in ("api", "bulletin"):
        was, figures = before[surface], now[surface]
        assert figures["count"] == was["count"] - 1 + 2, surface
        plan = Decimal(str(was["annual_plan"])) - withdrawn_plan + Decimal("15000")
        assert Decimal(str(figures["annual_plan"])) == plan, surface
    assert now["text"] != before["text"]
    dated = AnnualPlan.objects.filter(project__in=added, year=2026)
    assert set(dated.values_list("listed_on", flat=True)) == {TODAY.date()}
    assert AnnualPlan.objects.get(project=withdrawn, year=2026).withdrawn_on == TODAY.date()


def _check_nothing_to_correct(client):
    """Publishing November again finds no difference: the correction is refused."""
    response = _publish(client)
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages[-1] == "与已发布的第1版相比没有任何变化，无需发布更正版"
    assert Publication.objects.count() == 1


def _correct_november(client, reviewer, first, issued, moved):
    """A November report approved late changes November: the correction lists it, and
    version 1 is still served as published at its own address."""
    late = (
        ProgressReport.objects.filter(year=2026, month=11, status=ReportStatus.SUBMITTED)
        .select_related("project__region")
        .order_by("project__code")
        .first()
    )
    report_approve(report=late, user=reviewer)
    cache.clear()
    live = client.get("/api/dashboard/?year=2026&month=11").json()["totals"]
    _publish(client)
    second = Publication.objects.get(version=2)
    assert second.issue_label == first.issue_label and second.is_correction
    old, new = first.figures["totals"]["ytd"], second.figures["totals"]["ytd"]
    assert Decimal(new) == Decimal(str(live["ytd"])) != Decimal(old)
    ytd = f"合计 累计完成投资(万元)：{old} → {new}"
    assert ytd in second.changes
    region = f"分地区 {late.project.region.name} 累计完成投资(万元)："
    assert [line for line in second.changes if line.startswith(region)]
    # December's withdrawal and additions are no part of November's correction
    assert not [line for line in second.changes for p in moved if p.name in line]
    page = client.get(PAGE.format("2026-11")).text
    assert "已发布 · 2026年第1期 · 更正版2" in page and ytd in page
    assert published(client, first) == issued
    assert published(client, second)["text"] != issued["text"]


def test_november_holds_still_while_december_moves(client, december_city):
    # given November's figures on every surface, recorded on 8 December
    reviewer = december_city
    client.force_login(reviewer)
    november = surfaces(client, reviewer)
    december_before = _december(client)
    assert november["home"]["totals"]["count"] > 0
    # and November's bulletin published, its page and workbook as issued
    first = _publish_november(client, november)
    issued = published(client, first)
    _check_issued(client, issued, november, first)

    # when December reports are approved, one project is withdrawn and two are added
    _file_and_approve_december(reviewer)
    withdrawn = _withdraw_one(reviewer)
    added = _add_two(reviewer)

    # then November reads the same, to the cent, on every surface
    after = surfaces(client, reviewer)
    for surface in november:
        assert after[surface] == november[surface], surface
    # and its published page and workbook are served as issued; there is nothing to correct
    assert published(client, first) == issued
    _check_nothing_to_correct(client)

    # and December, the open month and an unpublished draft, shows the changes
    _check_december_moved(client, december_before, withdrawn, added)

    # and a late November approval is published as a correction; version 1 stays as issued
    _correct_november(client, reviewer, first, issued, [withdrawn, *added])
