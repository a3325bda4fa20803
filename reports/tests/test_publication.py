"""Publishing (发布) a bulletin, correcting it (更正版) and reading every version (SPEC §3.8)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessments.services import assess_month
from conftest import login
from core.models import Notice
from core.periods import parse_period
from core.signals import changed
from milestones.models import ProgressReport
from reports import bulletin
from reports.choices import ReportsNotice
from reports.models import Publication, PublicationReader
from reports.services import request_run

pytestmark = pytest.mark.django_db
PAGE = "/reports/bulletin/"
JUNE = {"kind": "monthly", "period": "2026-06"}


def _publish(client, **extra):
    return client.post(reverse("bulletin:publish"), {**JUNE, "region": "", **extra})


def _june_ytd_of_a(value):
    """The 甲县项目 June report revised (approved) and June judged again."""
    ProgressReport.objects.filter(project__name="甲县项目", month=6).update(
        invested_ytd=Decimal(value)
    )
    changed(
        ProgressReport.objects.filter(project__name="甲县项目").values_list("project_id", flat=True)
    )
    assess_month(year=2026, month=6)


def _paragraph(user):
    params = bulletin.Params("monthly", parse_period("2026-06"), None)
    return bulletin.build(user, params).text.paragraph


def test_publishing_freezes_the_page_whatever_changes_later(client, users, judged):
    # given June's bulletin published by the city DRC
    login(client, users.reviewer)
    before = _paragraph(users.reviewer)
    resp = _publish(client)
    pub = Publication.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("bulletin:version", args=[pub.pk])
    assert (pub.version, pub.issue_label, pub.published_by) == (1, "2026年第1期", users.reviewer)
    # when 甲县项目's June figure is revised afterwards
    _june_ytd_of_a("600")
    assert _paragraph(users.reviewer) != before  # the live figures did move
    # then the page of the period still shows what was published, marked as such
    html = client.get(PAGE, JUNE).text
    assert before in html and _paragraph(users.reviewer) not in html
    assert "已发布 · 2026年第1期 · " in html and 'id="draft-badge"' not in html
    assert "<span data-issue>2026年第1期</span>" in html
    # and a county user's page of the same month is their own live draft
    login(client, users.reviewer_a)
    assert 'id="draft-badge"' in client.get(PAGE, JUNE).text


def test_a_correction_lists_what_changed_and_old_versions_stay_readable(client, users, judged):
    # given version 1, opened by the city leader, and then a revised June
    login(client, users.reviewer)
    _publish(client)
    first = Publication.objects.get()
    old_paragraph = first.figures["paragraph"]
    login(client, users.leader_city)
    client.get(PAGE, JUNE)
    _june_ytd_of_a("600")
    # when the city DRC publishes again
    login(client, users.reviewer)
    resp = _publish(client, note="甲县项目6月数据更正")
    second = Publication.objects.get(version=2)
    # then it is the 更正版 of the same issue, listing the changes in Chinese
    assert resp.url == reverse("bulletin:version", args=[second.pk])
    assert second.issue_label == "2026年第1期" and second.is_correction
    assert "合计 累计完成投资(万元)：1980.00 → 2280.00" in second.changes
    assert "分地区 甲县 累计完成投资(万元)：780.00 → 1080.00" in second.changes
    assert "滞后项目：删去 甲县项目（甲县）" in second.changes
    html = client.get(PAGE, JUNE).text
    assert "已发布 · 2026年第1期 · 更正版2" in html and "甲县项目6月数据更正" in html
    assert "滞后项目：删去 甲县项目（甲县）" in html
    # and the printed document itself says it is a correction, and what it corrects
    assert "<span data-issue>2026年第1期（更正版2）</span>" in html
    assert (
        'id="bulletin-corrections"' in second.body_html
        and "甲县项目6月数据更正" in second.body_html
    )
    # and version 1 keeps its own page, which says it has been corrected
    old = client.get(reverse("bulletin:version", args=[first.pk])).text
    assert old_paragraph in old and "此为旧版本，已有更正版2" in old
    assert f'href="{reverse("bulletin:version", args=[second.pk])}"' in old
    # and the leader who read version 1 is told of the correction, with what changed
    notice = Notice.objects.get(recipient=users.leader_city)
    assert notice.kind == ReportsNotice.REPORT_CORRECTED
    assert notice.title == "报表已更正：示例市重点建设项目进展情况通报（2026年第1期）更正版2"
    assert "合计 累计完成投资(万元)：1980.00 → 2280.00" in notice.body
    assert not Notice.objects.filter(recipient=users.reviewer).exists()  # not the publisher


def test_a_correction_that_changes_nothing_is_refused(client, users, judged):
    login(client, users.reviewer)
    _publish(client)
    resp = _publish(client)
    assert resp.status_code == 302
    assert Publication.objects.count() == 1
    messages = [m.message for m in resp.wsgi_request._messages]
    assert messages[-1] == "与已发布的第1版相比没有任何变化，无需发布更正版"


@pytest.mark.parametrize("who", ["reviewer_a", "leader_city", "reporter_a"])
def test_only_the_city_drc_publishes(client, users, judged, who):
    # a county reviewer (and any leader or reporter) is refused, nothing published
    login(client, getattr(users, who))
    assert _publish(client).status_code == 403
    assert _publish(client, region=judged.county_a.pk).status_code == 403
    assert not Publication.objects.exists()


def test_an_admin_publishes_and_issues_are_numbered_per_kind_and_year(client, users, judged):
    login(client, users.admin)
    _publish(client)
    client.post(reverse("bulletin:publish"), {"kind": "monthly", "period": "2026-05"})
    client.post(reverse("bulletin:publish"), {"kind": "quarterly", "period": "2026-Q2"})
    _publish(client, region=judged.county_a.pk)
    got = {(p.kind, p.period, p.scope_key): p.issue_label for p in Publication.objects.all()}
    assert got == {
        ("monthly", "2026-06", "city"): "2026年第1期",
        ("monthly", "2026-05", "city"): "2026年第2期",
        ("quarterly", "2026-Q2", "city"): "2026年第1期",
        ("monthly", "2026-06", judged.county_a.code): "2026年第1期",
    }


def _sheet_values(ws) -> dict:
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


def test_the_published_workbook_equals_its_frozen_page(client, users, judged):
    # given June published, then the data changed
    login(client, users.reviewer)
    _publish(client)
    pub = Publication.objects.get()
    _june_ytd_of_a("600")
    # when the frozen workbook is downloaded and opened
    resp = client.get(reverse("bulletin:download", args=[pub.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    # then its figures are the frozen page's
    totals, figures = _sheet_values(wb["汇总"]), pub.figures["totals"]
    assert totals["项目数(项)"] == figures["count"] == 4
    assert Decimal(str(totals["年度计划投资(万元)"])) == Decimal(figures["annual_plan"])
    assert Decimal(str(totals["1-6月累计完成投资(万元)"])) == Decimal(figures["ytd"])
    assert Decimal(figures["ytd"]) == Decimal("1980.00")  # not the revised 2280
    regions = {r[0]: r for r in wb["分地区"].iter_rows(min_row=3, values_only=True) if r[0]}
    for r in pub.figures["regions"]:
        assert Decimal(str(regions[r["name"]][5])) == Decimal(r["ytd"])
    lead = wb["汇总"].cell(row=2, column=1).value or ""
    assert pub.figures["paragraph"] in lead
    # and the download was recorded: a correction will reach this reader
    assert PublicationReader.objects.filter(publication=pub, action="downloaded").count() == 1


def test_the_report_run_download_serves_the_published_version(client, users, judged):
    # given a June report run, published, then June revised and the run rebuilt
    login(client, users.reviewer)
    run = request_run(kind="monthly", period="2026-06", user=users.leader_city)
    _publish(client)
    pub = Publication.objects.get()
    assert pub.requested_by == users.leader_city
    _june_ytd_of_a("600")
    request_run(kind="monthly", period="2026-06", user=users.reviewer)
    # when the run is downloaded, it is the frozen workbook
    body = b"".join(client.get(reverse("reports:download", args=[run.pk])).streaming_content)
    with pub.file.open("rb") as fh:
        assert body == fh.read()
    # and the API says which version and issue it is
    data = client.get("/api/report-runs/", {"kind": "monthly"}).json()["results"][0]
    assert (data["published_version"], data["issue"]) == (1, "2026年第1期")
    assert data["publication_url"] == reverse("bulletin:version", args=[pub.pk])


def test_publications_over_the_api_are_read_only_and_scoped(client, users, judged):
    login(client, users.reviewer)
    _publish(client)
    _publish(client, region=judged.county_b.pk)
    rows = client.get("/api/publications/").json()["results"]
    assert {(r["scope"], r["version"], r["issue"]) for r in rows} == {
        ("全市", 1, "2026年第1期"),
        ("乙区", 1, "2026年第1期"),
    }
    assert client.post("/api/publications/", {**JUNE}).status_code == 403  # read-only
    assert Publication.objects.count() == 2
    login(client, users.reviewer_a)  # 甲县: neither the city's nor 乙区's
    assert client.get("/api/publications/").json()["results"] == []
    login(client, users.leader_b)
    assert [r["scope"] for r in client.get("/api/publications/").json()["results"]] == ["乙区"]
