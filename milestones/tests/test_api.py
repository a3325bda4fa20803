"""Monthly reporting API: the report workflow, problems, letters — scoped, locked, in Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from milestones.choices import ReportStatus
from milestones.models import Problem, ProgressReport
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
    SupervisionLetterFactory,
)
from registry.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_report_workflow_create_submit_return_fix_approve(city, users, today):
    # given an open window for March and January/February approved
    ReportingWindowFactory(year=2026, month=3, opens_on=datetime.date(2026, 4, 1))
    for m, v in ((1, "100"), (2, "50")):
        ProgressReportFactory(
            project=city.project_a, month=m, status="approved", invested_month=D(v)
        )
    reporter, reviewer = api(users.reporter_a), api(users.reviewer)

    # when the reporter creates March's report; the year-to-date is derived
    created = reporter.post(
        "/api/progress-reports/",
        {"project": city.project_a.pk, "year": 2026, "month": 3, "invested_month": "25.5",
         "progress_text": "主体施工"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == ReportStatus.DRAFT and body["invested_ytd"] == "175.50"
    rid = body["id"]

    # then submit, return without a reason (refused), return, fix, resubmit, approve
    assert reporter.post(f"/api/progress-reports/{rid}/submit/", {"version": 1}).status_code == 200
    no_reason = reviewer.post(f"/api/progress-reports/{rid}/return/", {"comment": ""})
    assert no_reason.status_code == 400
    assert "退回时必须填写退回意见" in str(no_reason.json())
    returned = reviewer.post(f"/api/progress-reports/{rid}/return/", {"comment": "请补充图片"})
    assert returned.json()["status"] == ReportStatus.RETURNED
    version = returned.json()["version"]
    fixed = reporter.patch(
        f"/api/progress-reports/{rid}/",
        {"invested_month": "30", "version": version, "submit": True},
        format="json",
    )
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["status"] == ReportStatus.SUBMITTED
    approved = reviewer.post(f"/api/progress-reports/{rid}/approve/", {"comment": "同意"})
    assert approved.status_code == 200
    report = ProgressReport.objects.get(pk=rid)
    assert report.status == ReportStatus.APPROVED and report.invested_ytd == D("180.00")


def test_stale_report_edit_is_409(city, users, today):
    ReportingWindowFactory(year=2026, month=3)
    report = ProgressReportFactory(project=city.project_a, month=3, status="draft")
    client = api(users.reporter_a)
    url = f"/api/progress-reports/{report.pk}/"
    assert (
        client.patch(url, {"progress_text": "一", "version": 1}, format="json").status_code == 200
    )
    stale = client.patch(url, {"progress_text": "二", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "旧版本" in stale.json()["detail"]
    assert ProgressReport.objects.get(pk=report.pk).progress_text == "一"


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("reporter_a", "approve", 403),
        ("leader_city", "approve", 403),
        ("reviewer_a", "approve", 404),  # county A reviewer, county B report
        ("reporter_a", "submit", 404),
        ("reviewer", "approve", 200),
    ],
)
def test_report_actions_by_role_and_scope(city, users, today, who, action, status):
    report = ProgressReportFactory(project=city.project_b, month=3, status="submitted")
    response = api(getattr(users, who)).post(
        f"/api/progress-reports/{report.pk}/{action}/", {"version": report.version}
    )
    assert response.status_code == status
    expected = ReportStatus.APPROVED if status == 200 else ReportStatus.SUBMITTED
    assert ProgressReport.objects.get(pk=report.pk).status == expected


def test_reporter_cannot_create_for_out_of_scope_project(city, users, today):
    ReportingWindowFactory(year=2026, month=3)
    response = api(users.reporter_a).post(
        "/api/progress-reports/",
        {"project": city.project_b.pk, "year": 2026, "month": 3, "invested_month": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert not ProgressReport.objects.filter(project=city.project_b).exists()


def test_problem_create_update_resolve(city, users, today):
    client = api(users.reporter_a)
    created = client.post(
        "/api/problems/",
        {"project": city.project_a.pk, "category": "land", "description": "用地指标未落实"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pid = created.json()["id"]
    no_text = client.post(f"/api/problems/{pid}/resolve/", {"version": 1, "resolution": ""})
    assert no_text.status_code == 400
    done = client.post(f"/api/problems/{pid}/resolve/", {"version": 1, "resolution": "已协调解决"})
    assert done.status_code == 200
    assert Problem.objects.get(pk=pid).status == "resolved"
    stale = client.patch(
        f"/api/problems/{pid}/", {"progress_note": "x", "version": 1}, format="json"
    )
    assert stale.status_code == 409


def test_problem_list_is_scoped_and_leaders_cannot_write(city, users, today):
    ProblemFactory(project=city.project_a)
    ProblemFactory(project=city.project_b)
    rows = api(users.reporter_b).get("/api/problems/").json()["results"]
    assert [r["project_code"] for r in rows] == [city.project_b.code]
    response = api(users.leader_city).post(
        "/api/problems/",
        {"project": city.project_a.pk, "category": "land", "description": "x"},
        format="json",
    )
    assert response.status_code == 403


def _grow(city, n):
    for _ in range(n):
        p = ProjectFactory(region=city.county_a, unit=city.unit_a)
        ProgressReportFactory(project=p, month=3, status="submitted")
        MilestoneFactory(project=p)
        problem = ProblemFactory(project=p)
        SupervisionLetterFactory(
            project=p, problem=problem, recipient=city.unit_a, number=f"发改督办〔2026〕{p.pk}号"
        )


@pytest.mark.parametrize(
    "endpoint", ["/api/progress-reports/", "/api/milestones/", "/api/problems/", "/api/letters/"]
)
def test_list_queries_do_not_grow_with_rows(city, users, today, endpoint):
    client = api(users.reviewer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(endpoint, {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    _grow(city, 5)
    count()  # roles are read once, then cached on the user
    small = count()
    _grow(city, 95)
    assert count() == small


def test_report_list_orders_and_counts_once_per_change(
    settings, city, users, today, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.ASSESS_CACHE_SECONDS = 60
    cache.clear()
    for m in (1, 2, 3):
        ProgressReportFactory(project=city.project_a, month=m, status="approved")
    ProgressReportFactory(project=city.project_town, month=3, status="submitted")
    client = api(users.reviewer)

    def listed(**params):
        """(ids in order, total, queries over the reports table that count or order them)"""
        with CaptureQueriesContext(connection) as q:
            body = client.get("/api/progress-reports/", {"page_size": 2, **params}).json()
        heavy = [
            x["sql"] for x in q.captured_queries if "COUNT(*)" in x["sql"] or "LIMIT" in x["sql"]
        ]
        heavy = [x for x in heavy if 'FROM "milestones_progressreport"' in x]
        return [r["id"] for r in body["results"]], body["count"], len(heavy)

    # the first look counts and orders (newest month first, then status); the second does not
    first, total, heavy = listed()
    assert total == 4 and heavy == 2
    assert listed() == (first, 4, 0)
    page2, _total, _heavy = listed(page=2)
    assert len(page2) == 2 and not set(page2) & set(first)
    # the rows themselves are read fresh: a text changed without moving the generation shows
    ProgressReport.objects.filter(pk=first[0]).update(progress_text="新的形象进度")
    row = client.get("/api/progress-reports/", {"page_size": 2}).json()["results"][0]
    assert row["id"] == first[0] and row["progress_text"] == "新的形象进度"
    # a new report moves the generation: counted and ordered afresh, and it is listed first
    with django_capture_on_commit_callbacks(execute=True):
        new = ProgressReportFactory(project=city.project_b, month=4, status="submitted")
    ids, total, heavy = listed()
    assert total == 5 and ids[0] == new.pk and heavy == 2
