"""Every list page and export makes the same number of queries at two data sizes.

The demo city (`seed_demo`) is built with SMALL projects, then grown to LARGE (seed_demo
adds the missing ones), and at both sizes every page below is opened as each demo role the
permission matrix lets open it:

    drc     审核员 of the city DRC       (matrix column "reviewer")
    drc_lj  审核员 of 临江县             ("reviewer_a")
    tb_lj   填报员 of 临江县             ("reporter_a")
    leader  领导 of the city             ("leader_city")

Each request is made once to warm per-process caches, the cache is cleared, then it is made
again inside CaptureQueriesContext. A page whose count grows with the data has an N+1: fix it
in the selector (select_related / prefetch_related), never in the view.

The routes come from the URL configuration (`routes()` of the permission matrix, admin
excepted): `test_every_route_is_measured_or_skipped` fails when a route is neither in PAGES
nor in SKIPPED, so a new list page cannot be missed.
"""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from milestones.choices import MilestonesImport, MilestonesNotice
from tests.test_permission_matrix import EXPECT, ROUTES, expectations

pytestmark = pytest.mark.django_db

SMALL, LARGE = 24, 72
GROW = 2, 6  # objects of the kinds the demo does not make (see grow), per county

# demo login → the permission-matrix principal with the same rights
ROLES = {"drc": "reviewer", "drc_lj": "reviewer_a", "tb_lj": "reporter_a", "leader": "leader_city"}


def _last_month():
    first = timezone.localdate().replace(day=1)
    prev = first - datetime.timedelta(days=1)
    return prev.year, prev.month


# Every list page and export: url name → (URL kwargs, query string). One case per (page, role)
# for each role in ROLES whose matrix cell for GET is 200.
PAGES = {
    "portal:home": ({}, ""),
    "portal:project_list": ({}, ""),
    "portal:ledger_export": ({}, ""),
    "registry:ledger_template": ({}, ""),
    "milestones:progress_template": ({}, ""),
    "registry:import_list": ({}, ""),
    "portal:export_list": ({}, ""),
    "registry:years": ({}, ""),
    "portal:notices": ({}, ""),
    "milestones:todo": ({}, "show=all"),
    "milestones:review_queue": ({}, ""),
    "milestones:windows": ({}, ""),
    "milestones:problem_list": ({}, ""),
    "milestones:problem_export": ({}, ""),
    "milestones:letter_list": ({}, ""),
    "instructions:list": ({}, ""),
    "milestones:suspension_list": ({}, ""),
    "portal:dashboard": ({}, ""),
    "portal:dashboard_screen": ({}, ""),
    **{
        f"assessments:list:{kind}": ({"kind": kind}, "")
        for kind in ("warning", "lagging", "unstarted", "milestones", "problems", "unregistered")
    },
    **{
        f"assessments:export:{kind}": ({"kind": kind}, "")
        for kind in ("warning", "lagging", "unstarted", "milestones", "problems", "unregistered")
    },
    "assessments:scores": ({}, ""),
    "assessments:score_export": ({}, ""),
    "assessments:records": ({}, ""),
    "assessments:negative_export": ({}, ""),
    "assessments:forecast": ({}, ""),
    "assessments:forecast_export": ({}, ""),
    "assessments:rule_list": ({}, ""),
    "reports:list": ({}, ""),
    "bulletin:page": ({}, "kind=monthly&period={year}-{month:02d}"),
    "api:api-root": ({}, ""),
    "api:dashboard": ({}, ""),
    "api:dashboard_charts": ({}, ""),
    "api:dashboard_map": ({}, ""),
    "api:scores": ({}, ""),
    "api:forecast": ({}, ""),
    "api:forecast_projects": ({}, ""),
    "api:forecast_at_risk": ({}, ""),
    "api:region-list": ({}, ""),
    "api:unit-list": ({}, ""),
    "api:leader-list": ({}, ""),
    "api:project-list": ({}, ""),
    "api:annualplan-list": ({}, ""),
    "api:notice-list": ({}, ""),
    "api:milestone-list": ({}, ""),
    "api:progressreport-list": ({}, ""),
    "api:problem-list": ({}, ""),
    "api:letter-list": ({}, ""),
    "api:instruction-list": ({}, ""),
    "api:projectstatus-list": ({}, ""),
    "api:reportrun-list": ({}, ""),
    "api:publication-list": ({}, ""),
    "pipeline:overview": ({}, ""),
    "pipeline:overview_export": ({}, ""),
    "pipeline:targets": ({}, ""),
    "pipeline:list": ({}, ""),
    "pipeline:export": ({}, ""),
    "pipeline:batch_list": ({}, ""),
    "api:pipelineproject-list": ({}, ""),
    "api:startbatch-list": ({}, ""),
    "evaluations:list": ({}, ""),
    "api:evaluation-list": ({}, ""),
}

ONE_EVENT = (
    "one event: its pages are measured at two sizes in evaluations/tests/test_query_counts.py"
)
# Routes deliberately not measured, and why.
SKIPPED = {
    # accounts and API documentation: no project data
    "login": "no data",
    "logout": "POST only",
    "password_change": "no data",
    "password_change_done": "no data",
    "schema": "OpenAPI schema, no data",
    "api-docs": "Swagger page, no data",
    "favicon": "static icon, no data",
    "healthz": "liveness probe, no data",
    # one object (detail pages, downloads, forms about one project/report/problem/...)
    "registry:project_detail": "one project",
    "registry:project_edit": "one project",
    "registry:project_pool": "one project",
    "registry:project_create": "form, no list",
    "registry:factor_edit": "one project",
    "registry:document": "one file",
    "registry:import_detail": "one import batch",
    "registry:import_status": "one import batch",
    "registry:import_file": "one uploaded file",
    "portal:export_detail": "one export job",
    "portal:export_status": "one export job",
    "portal:export_file": "one exported file",
    "milestones:report_new": "one project's form",
    "milestones:report_detail": "one report",
    "milestones:report_edit": "one report",
    "milestones:photo": "one photo",
    "milestones:pending_photo": "one photo kept for its uploader",
    "milestones:photo_thumbnail": "one photo",
    "milestones:project_photos": "one project's photos (one query for all of them)",
    "milestones:problem_create": "one project's form",
    "milestones:problem_edit": "one problem",
    "milestones:letter_create": "one project's form",
    "milestones:letter_detail": "one letter",
    "milestones:milestone_edit": "one project's milestones",
    "milestones:suspension_request": "one project's form",
    "assessments:project_strip": "one project",
    "assessments:rule_create": "form, no list",
    "assessments:rule_edit": "one rule set",
    "reports:status": "one report run",
    "reports:download": "one stored file",
    "registry:ledger_upload": "upload form, no list",
    "milestones:progress_import": "upload form, no list",
    "year_cycle:next": "a form about one year",
    "api:region-detail": "one object",
    "api:unit-detail": "one object",
    "api:leader-detail": "one object",
    "api:project-detail": "one object",
    "api:annualplan-detail": "one object",
    "api:notice-detail": "one object",
    "api:milestone-detail": "one object",
    "api:progressreport-detail": "one object",
    "api:problem-detail": "one object",
    "api:letter-detail": "one object",
    "api:projectstatus-detail": "one object",
    "api:reportrun-detail": "one object",
    "api:publication-detail": "one object",
    "bulletin:version": "one published version",
    "bulletin:download": "one stored file",
    "bulletin:publish": "POST only",
    # POST only (GET is 405)
    "registry:document_upload": "POST only",
    "registry:import_confirm": "POST only",
    "registry:year_close": "POST only",
    "registry:year_reopen": "POST only",
    "portal:notice_open": "POST only",
    "portal:notice_read_all": "POST only",
    "milestones:progress_import_confirm": "POST only",
    "milestones:photo_delete": "POST only (GET redirects)",
    "milestones:report_approve": "POST only",
    "milestones:report_return": "POST only",
    "milestones:report_bulk_approve": "POST only",
    "milestones:window_close": "POST only",
    "milestones:window_reopen": "POST only",
    "milestones:window_chase": "POST only",
    "milestones:problem_resolve": "POST only",
    "milestones:letter_reply": "POST only",
    "instructions:create": "one project's form",
    "instructions:detail": "one 批示",
    "instructions:feedback": "POST only",
    "instructions:attachment": "one file",
    "instructions:project_panel": "one project's 批示",
    "instructions:leader_summary": "counts only (one aggregate query)",
    "api:instruction-detail": "one object",
    "milestones:letter_withdraw": "POST only",
    "milestones:suspension_decide": "POST only",
    "api:notice-read": "POST only",
    "api:progressreport-approve": "POST only",
    "api:progressreport-return": "POST only",
    "api:progressreport-submit": "POST only",
    "api:problem-resolve": "POST only",
    "pipeline:create": "form, no list",
    "pipeline:detail": "one pipeline project",
    "pipeline:edit": "one pipeline project",
    "pipeline:move": "POST only",
    "pipeline:admit": "POST only",
    "pipeline:document_upload": "POST only",
    "pipeline:document": "one file",
    "pipeline:import": "upload form, no list",
    "pipeline:import_template": "blank template, no data",
    "pipeline:batch_create": "form about one batch",
    "pipeline:batch_detail": "one batch",
    "pipeline:batch_edit": "one batch",
    "pipeline:batch_export": "one batch",
    "api:pipelineproject-detail": "one object",
    "api:pipelineproject-stage": "POST only",
    "api:startbatch-detail": "one object",
    "evaluations:create": "form, no list",
    "evaluations:detail": ONE_EVENT,
    "evaluations:score": ONE_EVENT,
    "evaluations:bulletin": ONE_EVENT,
    "evaluations:export": ONE_EVENT,
    "evaluations:lookback": ONE_EVENT,
    "evaluations:photo": "one photo",
    "evaluations:edit": "POST only",
    "evaluations:close": "POST only",
    "evaluations:score_save": "POST only",
    "api:evaluation-detail": ONE_EVENT,
    "api:evaluation-my-scores": ONE_EVENT,
}


def url_name(page):
    """`assessments:list:lagging` → `assessments:list`."""
    return ":".join(page.split(":")[:2])


def url_of(page):
    kwargs, query = PAGES[page]
    year, month = _last_month()
    url = reverse(url_name(page), kwargs=kwargs)
    query = query.format(year=year, month=month)
    return f"{url}?{query}" if query else url


def allowed_roles(page):
    cells = expectations(EXPECT[url_name(page)], "GET")
    return [login for login, principal in ROLES.items() if cells[principal][0] == "200"]


CASES = [(page, login) for page in PAGES for login in allowed_roles(page)]


def _shape(sql):
    """A statement without its literals, to compare what was run at both sizes."""
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(…)", sql)


def _brief(sql):
    """SELECT … FROM <the rest>: the part that tells one statement from another."""
    head, _, tail = sql.partition(" FROM ")
    return (f"{head[:40]}… FROM {tail}" if tail else head)[:400]


# The session is re-saved every SESSION_REFRESH_SECONDS: on a slow run that save would fall
# between the two sizes' measurements of one page and look like a query the page grew.
@override_settings(SESSION_REFRESH_SECONDS=24 * 3600)
def measure(client, url):
    client.get(url)  # warm: per-process caches (content types, settings, templates)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code, [q["sql"] for q in ctx.captured_queries]


def top_up():
    """An overdue milestone and an overdue problem in 临江县: the 节点逾期 and 问题逾期 lists
    (and the 通报's sections built from them) are not empty for any role at either size, as the
    demo's own draw, which depends on today's date, does not promise it. An empty list skips
    the query for its rows' projects, which is one query fewer, not an N+1."""
    from milestones.tests.factories import MilestoneFactory, ProblemFactory

    project = _projects("-LJX-", 1)[0]
    late = timezone.localdate() - datetime.timedelta(days=20)
    MilestoneFactory(project=project, kind="topping", name="主体封顶（逾期）", planned_on=late)
    ProblemFactory(project=project, description="征迁未完成（逾期）", deadline=late)
    # The stored 滞后 list too (paginated in the database: an empty page reads no rows): a
    # project of its own, judged 滞后, so that no other list or forecast moves.
    from assessments.choices import Status
    from assessments.models import ProjectMonthStatus
    from assessments.selectors import default_month
    from registry.tests.factories import AnnualPlanFactory, ProjectFactory

    year = timezone.localdate().year
    lagging = ProjectFactory(
        code=f"{year}-LJX-9999", year=year, region=project.region, unit=project.unit
    )
    AnnualPlanFactory(project=lagging, year=year)  # on the year's list
    ProjectMonthStatus.objects.create(
        project=lagging, year=year, month=default_month(year), status=Status.LAGGING
    )


def _projects(code_part, n, offset=0):
    from registry.models import Project

    qs = Project.objects.filter(
        year=timezone.localdate().year, is_package=False, unit__isnull=False
    ).filter(code__contains=code_part)
    return list(qs.order_by("code")[offset : offset + n])


def grow(n, offset):
    """What the demo does not make at any size, n more of each, half in 临江县 and half in
    another county: 停复工 requests, supervision letters, notices of every role, report runs
    (the city's and 临江县's) and ledger/progress import batches."""
    from core.models import Notice
    from milestones.tests.factories import SupervisionLetterFactory
    from registry.choices import ImportKind, ImportStatus
    from registry.models import ImportBatch, Region
    from registry.scoping import set_import_footprint
    from reports.models import Publication, ReportRun, RunStatus

    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    county = Region.objects.get(code=_projects("-LJX-", 1)[0].region.path.split("/")[2])
    projects = _projects("-LJX-", n, offset) + _projects("-YFX-", n, offset)
    for i, p in enumerate(projects, start=offset * 2):
        p.suspensions.create(kind="suspend", happened_on=today, reason=f"汛期停工{i}")
        SupervisionLetterFactory(project=p, number=f"测试提醒〔{today.year}〕{i}号", body="请加快")
        _instruction(p, users, today, i)
        for user in users.values():
            Notice.objects.create(
                recipient=user,
                kind=MilestonesNotice.PROBLEM_OVERDUE,
                title=f"{p.name}问题逾期",
                event_key=f"counts:{user.username}:{i}",
                url="/milestones/problems/",
            )
        year, month = today.year - 1 - i // 12, i % 12 + 1
        for region in (None, county):
            ReportRun.objects.create(
                kind="monthly",
                period=f"{year}-{month:02d}",
                region=region,
                scope_key=region.code if region else "city",
                status=RunStatus.FAILED,
                error="测试",
                requested_by=users["drc"],
            )
            # Published (the run list and the API name its version and issue).
            Publication.objects.create(
                kind="monthly", period=f"{year}-{month:02d}", region=region,
                scope_key=region.code if region else "city", issue_year=year, issue_number=month,
                title="测试通报", figures={}, published_by=users["drc"], published_at=timezone.now(),
            )  # fmt: skip
        for who, kind in (("drc", ImportKind.LEDGER), ("tb_lj", MilestonesImport.PROGRESS)):
            batch = ImportBatch(
                kind=kind,
                file_name=f"台账{i}.xlsx",
                year=today.year,
                status=ImportStatus.PREVIEWED,
                rows_total=1,
                created_by=users[who],
                report={"new": [], "changed": [], "errors": [], "summary": "共1行"},
            )
            set_import_footprint(batch, project_ids=[p.pk], region_ids=[p.region_id])
            batch.save()


def _instruction(project, users, today, i):
    """A 领导批示 by the city leader with a 反馈 from 临江县's reporter (every other one)."""
    from instructions.models import Feedback, Instruction

    instruction = Instruction.objects.create(
        project=project, unit=project.unit, text=f"请加快推进{i}", issued_on=today,
        deadline=today, issued_by=users["leader"], signed_as="市领导",
    )  # fmt: skip
    if i % 2:
        Feedback.objects.create(instruction=instruction, text="已办理", author=users["tb_lj"])


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """{(page, login, size): (status, [sql, ...])} for every case at both sizes.

    `seed_demo` adds to what is there: the LARGE city is the SMALL one with more projects
    (and their reports, plans, milestones, problems, letters), so a list that has rows at
    SMALL still has them at LARGE."""
    found = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for size in (SMALL, LARGE):
            call_command("seed_demo", "--projects", str(size), stdout=StringIO())
            if size == SMALL:
                top_up()
                grow(GROW[0], 0)
            else:
                grow(GROW[1] - GROW[0], GROW[0])
            clients = {}
            for login in ROLES:
                clients[login] = Client()
                clients[login].force_login(get_user_model().objects.get(username=login))
            for page, login in CASES:
                found[page, login, size] = measure(clients[login], url_of(page))
        transaction.set_rollback(True)
    return found


def test_every_route_is_measured_or_skipped():
    measured = {url_name(p) for p in PAGES}
    missing = sorted({name for _r, name, _p in ROUTES} - measured - set(SKIPPED))
    assert not missing, f"add to PAGES (a list or an export) or to SKIPPED (and why): {missing}"
    stale = sorted(set(SKIPPED) - {name for _r, name, _p in ROUTES})
    assert not stale, f"SKIPPED names no route: {stale}"


def test_every_role_of_the_brief_opens_something():
    assert {login for _page, login in CASES} == set(ROLES)
    assert ("portal:home", "leader") in CASES and ("portal:home", "tb_lj") in CASES


@pytest.mark.parametrize("page,login", CASES, ids=[f"{p}-{r}" for p, r in CASES])
def test_same_query_count_at_both_sizes(counts, page, login):
    small_status, small = counts[page, login, SMALL]
    large_status, large = counts[page, login, LARGE]
    assert small_status == 200 and large_status == 200, (small_status, large_status)
    more, fewer = Counter(map(_shape, large)), Counter(map(_shape, small))
    detail = "\n".join(
        f"  {sign}{n}× {_brief(sql)}"
        for sign, diff in (("+", more - fewer), ("-", fewer - more))
        for sql, n in diff.most_common(5)
    )
    assert len(large) == len(small), (
        f"{url_of(page)} as {login}: {len(small)} queries at {SMALL} projects, "
        f"{len(large)} at {LARGE}\n{detail}"
    )


def test_ledger_export_queries_do_not_grow_past_900_projects(client, city, users):
    """The city's ledger export at 4 and at 1,004 projects (bench/pages.py found 20 queries at
    120 projects and 63 at 20,000: plans and land were read in chunks of 900 ids)."""
    from conftest import login
    from registry.models import AnnualPlan, Project
    from registry.tests.factories import ProjectFactory

    def export_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("portal:ledger_export") + "?year=2026")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    login(client, users.reviewer)
    small = export_queries()
    leader = city.project_a.leader
    clones = [
        ProjectFactory.build(
            code=f"2026-QC-{i:04d}", region=city.county_a, unit=city.unit_a, leader=leader
        )
        for i in range(1000)
    ]
    Project.objects.bulk_create(clones)
    AnnualPlan.objects.bulk_create(
        AnnualPlan(project=p, year=2026, planned_investment=100)
        for p in Project.objects.filter(code__startswith="2026-QC-")
    )
    large = export_queries()
    assert large == small, f"ledger export: {small} queries at 4 projects, {large} at 1,004"
