"""The data set of the permission matrix (tests/test_permission_matrix.py).

A small city built once per module: two counties A (甲县, with a town) and B (乙区), one
principal of every kind, and for every kind of object a route takes as `<pk>` one object in
county A and one in county B. Project names and codes are distinct and never substrings of
one another, so "this page shows no 乙区 project" is a plain substring check.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.export_jobs import export_job_create, export_job_run
from milestones.choices import MilestonesNotice, ReportStatus
from milestones.models import PendingPhoto, ReportPhoto
from milestones.progress_import import progress_import_batch
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
    SupervisionLetterFactory,
)
from milestones.tests.test_progress_import import sheet
from registry.choices import (
    DocumentKind,
    ExportKind,
    ImportKind,
    ImportStatus,
    RegionLevel,
    Role,
)
from registry.models import Document, ImportBatch, Project
from registry.scoping import set_import_footprint, visible_projects
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    UnitFactory,
    make_user,
)

TODAY = datetime.date(2026, 4, 10)

# Column order of the expectation table.
PRINCIPALS = (
    "anonymous",  # not signed in
    "reporter_a",  # 填报员, county A
    "reporter_b",  # 填报员, county B
    "unit_clerk",  # 填报员 of a city unit (市交通局) with a project in county B
    "reviewer_a",  # 审核员, county A
    "reviewer",  # 审核员, city DRC
    "leader_a",  # 领导, county A
    "leader_city",  # 领导, city
    "admin",  # 管理员
    "nobody",  # signed in, no role
)

# A 1×1 PNG that Pillow decodes: a real image for the photo routes (thumbnails read pixels).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c633851a1010003740169cbfad0d70000000049454e44ae426082"
)


class World:
    """Attributes: regions, units, projects, users (by principal name) and `objects`:
    kind → (object in county A, object in county B)."""


def build_world():
    w = World()
    w.city = RegionFactory(name="示例市", code="370100", level=RegionLevel.CITY)
    w.county_a = RegionFactory(name="甲县", code="370102", level=RegionLevel.COUNTY, parent=w.city)
    w.county_b = RegionFactory(name="乙区", code="370103", level=RegionLevel.COUNTY, parent=w.city)
    w.town_a = RegionFactory(
        name="甲县城关镇", code="370102001", level=RegionLevel.TOWN, parent=w.county_a
    )
    w.unit_a = UnitFactory(name="甲县发改局", region=w.county_a)
    w.unit_b = UnitFactory(name="乙区住建局", region=w.county_b)
    w.unit_city = UnitFactory(name="市交通局", region=w.city)

    def project(code, name, region, unit):
        p = ProjectFactory(code=code, name=name, region=region, unit=unit)
        AnnualPlanFactory(project=p)
        return p

    w.pa = project("MX-A-01", "甲县一号工程", w.county_a, w.unit_a)
    w.pt = project("MX-T-02", "城关镇二号工程", w.town_a, w.unit_a)
    w.pb = project("MX-B-03", "乙区三号工程", w.county_b, w.unit_b)
    w.pu = project("MX-U-04", "市交通局四号道路", w.county_b, w.unit_city)

    w.users = {
        "reporter_a": make_user("mx_reporter_a", Role.REPORTER, region=w.county_a),
        "reporter_b": make_user("mx_reporter_b", Role.REPORTER, region=w.county_b),
        "unit_clerk": make_user("mx_unit_clerk", Role.REPORTER, unit=w.unit_city),
        "reviewer_a": make_user("mx_reviewer_a", Role.REVIEWER, region=w.county_a),
        "reviewer": make_user("mx_reviewer", Role.REVIEWER, region=w.city),
        "leader_a": make_user("mx_leader_a", Role.LEADER, region=w.county_a),
        "leader_city": make_user("mx_leader_city", Role.LEADER, region=w.city),
        "admin": make_user("mx_admin", Role.ADMIN, region=w.city),
        "nobody": make_user("mx_nobody"),
    }
    w.objects = {
        "project": (w.pa, w.pb),
        "region": (w.county_a, w.county_b),
        "unit": (w.unit_a, w.unit_b),
        "leader": (w.pa.leader, w.pb.leader),
        "annual_plan": (w.pa.annual_plans.get(), w.pb.annual_plans.get()),
        "document": tuple(_document(p) for p in (w.pa, w.pb)),
    }
    _reports(w)
    _problems_letters_suspensions(w)
    _windows(w)
    _imports(w)
    _export_jobs(w)
    _rules(w)
    _report_runs(w)
    _publications(w)
    _notices(w)
    from tests.permission_world_pipeline import build_pipeline

    build_pipeline(w)
    _evaluations(w)
    _instructions(w)
    return w


def _evaluations(w):
    """An open event visiting 甲县's and 乙区's projects, and a closed one visiting 乙区's only
    whose evaluator is county B's reporter (a per-event role: nothing outside their scope)."""
    from evaluations import services

    events = []
    for name, stops, evaluator in (
        ("矩阵观摩（进行中）", (w.pa, w.pb), None),
        ("矩阵观摩（已发布）", (w.pb, w.pu), "reporter_b"),
    ):
        event = services.event_create(
            name=name, year=2026, starts_on=datetime.date(2026, 3, 20),
            ends_on=datetime.date(2026, 3, 21), user=w.users["reviewer"],
        )  # fmt: skip
        group = services.group_add(event=event, name="综合组")
        route = services.route_add(event=event, name="一线")
        for project in stops:
            services.stop_add(event=event, project_id=project.pk, group=group, route=route)
        if evaluator:
            services.evaluator_add(event=event, user=w.users[evaluator])
        events.append(event)
    services.event_close(event=events[1], user=w.users["reviewer"])
    events[1].refresh_from_db()
    w.objects["evaluation"] = tuple(events)
    w.evaluation_photo = {events[0].pk: w.objects["photo"][0], events[1].pk: w.objects["photo"][1]}


def _instructions(w):
    # A city leader's 批示 on each county's project, answered with a PDF attachment.
    from instructions.models import Attachment, Feedback, Instruction

    instructions, attachments = [], []
    for p in (w.pa, w.pb):
        i = Instruction.objects.create(
            project=p, unit=p.unit, text=f"请加快{p.name}", issued_on=TODAY,
            deadline=TODAY + datetime.timedelta(days=7), issued_by=w.users["leader_city"],
            signed_as="市领导",
        )  # fmt: skip
        feedback = Feedback.objects.create(instruction=i, text="已办理", author=None)
        a = Attachment(feedback=feedback, original_name="办理情况.pdf")
        a.file.save("feedback.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        a.save()
        instructions.append(i)
        attachments.append(a)
    w.objects["instruction"] = tuple(instructions)
    w.objects["instruction_attachment"] = tuple(attachments)


def _notices(w):
    # A notice is its recipient's alone: the "A" one is county A's reporter's, the "B" one
    # county B's reporter's; everybody else gets 404 for both.
    from core.models import Notice

    w.objects["notice"] = tuple(
        Notice.objects.create(
            recipient=w.users[who],
            kind=MilestonesNotice.PROBLEM_OVERDUE,
            title=f"{title}问题逾期",
            event_key=f"matrix:{who}",
            url="/milestones/problems/",
        )  # fmt: skip
        for who, title in (("reporter_a", w.pa.name), ("reporter_b", w.pb.name))
    )


def _report_runs(w):
    # A finished monthly report of each county, built for real (files downloaded are searched
    # for the other county's project names like every export).
    from reports.services import request_run

    w.objects["report_run"] = tuple(
        request_run(kind="monthly", period="2026-03", region=county, user=w.users["reviewer"])
        for county in (w.county_a, w.county_b)
    )


def _publications(w):
    # March's bulletin of each county, published by the city DRC (frozen page and workbook).
    from reports.publishing import publish

    w.objects["publication"] = tuple(
        publish(kind="monthly", period="2026-03", region=county, user=w.users["reviewer"])
        for county in (w.county_a, w.county_b)
    )


def _document(project):
    doc = Document(
        project=project,
        kind=DocumentKind.APPROVAL,
        title=f"{project.name}立项批复",
        original_name="立项批复.pdf",
    )
    doc.file.save("立项批复.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    doc.save()
    return doc


def _reports(w):
    reports, milestones = [], []
    for p in (w.pa, w.pb):
        milestones.append(MilestoneFactory(project=p, name=f"{p.name}开工节点"))
        report = ProgressReportFactory(
            project=p,
            month=3,
            status=ReportStatus.SUBMITTED,
            invested_month=Decimal("120.00"),
            progress_text=f"{p.name}主体施工",
        )
        reports.append(report)
    w.objects["report"] = tuple(reports)
    w.objects["milestone"] = tuple(milestones)
    photos = []
    for report in reports:
        photo = ReportPhoto(report=report, caption=f"{report.project.name}现场")
        photo.image.save("site.png", ContentFile(PNG), save=False)
        photo.save()
        photos.append(photo)
    w.objects["photo"] = tuple(photos)
    # A photo kept from a failed report form: its uploader's alone.
    pending = []
    for who, project in (("reporter_a", w.pa), ("reporter_b", w.pb)):
        photo = PendingPhoto(user=w.users[who], project=project, year=2026, month=3)
        photo.image.save("kept.png", ContentFile(PNG), save=False)
        photo.save()
        pending.append(photo)
    w.objects["pending_photo"] = tuple(pending)


def _problems_letters_suspensions(w):
    problems, letters, suspensions = [], [], []
    for n, p in enumerate((w.pa, w.pb), start=1):
        problem = ProblemFactory(
            project=p, description=f"{p.name}用地指标未落实", responsible_unit=p.unit
        )
        problems.append(problem)
        letters.append(
            # Numbers fixed (not the factory's sequence): issuing the next letter counts them.
            SupervisionLetterFactory(
                project=p,
                problem=problem,
                body=f"请加快推进{p.name}",
                number=f"发改提醒〔2026〕{n}号",
            )
        )
        suspensions.append(
            p.suspensions.create(kind="suspend", happened_on=TODAY, reason=f"{p.name}汛期停工")
        )
    w.objects["problem"] = tuple(problems)
    w.objects["letter"] = tuple(letters)
    w.objects["suspension"] = tuple(suspensions)


def _windows(w):
    # Windows are citywide: the "A" and "B" objects are the same window.
    march = ReportingWindowFactory(year=2026, month=3)
    february = ReportingWindowFactory(year=2026, month=2, is_open=False)
    w.objects["open_window"] = (march, march)
    w.objects["closed_window"] = (february, february)


def _imports(w):
    """Ledger previews of the city reviewer touching one county each; progress previews of
    each county's reporter (real files: confirming a progress sheet re-reads it)."""
    ledger = []
    for p, region in ((w.pa, w.county_a), (w.pb, w.county_b)):
        batch = ImportBatch(
            kind=ImportKind.LEDGER,
            file_name=f"{region.name}台账.xlsx",
            year=2026,
            status=ImportStatus.PREVIEWED,
            rows_total=1,
            rows_changed=1,
            created_by=w.users["reviewer"],
            report={
                "new": [],
                "changed": [
                    {"where": "Sheet1 第3行", "code": p.code, "name": p.name,
                     "changes": [["总投资(万元)", "10000.00", "12000.00"]]}
                ],
                "errors": [],
                "summary": "共1行：新增0项，变更1项，未变0项，错误0处",
            },
        )  # fmt: skip
        set_import_footprint(batch, project_ids=[p.pk], region_ids=[region.pk])
        batch.save()
        ledger.append(batch)
    w.objects["ledger_batch"] = tuple(ledger)
    progress = []
    for who, p in (("reporter_a", w.pt), ("reporter_b", w.pu)):
        data = sheet([[p.code, "2026-03", 80, 80, f"{p.name}开工", None]])
        upload = SimpleUploadedFile("进度.xlsx", data)
        batch, result = progress_import_batch(upload=upload, user=w.users[who])
        assert batch.status == ImportStatus.PREVIEWED and not result.errors, result.errors
        progress.append(batch)
    w.objects["progress_batch"] = tuple(progress)


def _export_jobs(w):
    """A finished ledger export of each county's reporter (a real file, built as them)."""
    jobs = []
    for who in ("reporter_a", "reporter_b"):
        job = export_job_create(
            user=w.users[who], kind=ExportKind.LEDGER, params="year=2026", rows_total=1
        )
        jobs.append(export_job_run(job_id=job.pk))
    w.objects["export_job"] = tuple(jobs)


def forbidden_texts(w, principal):
    """Names and codes of the projects the principal must never see in a response."""
    user = w.users.get(principal)
    hidden = Project.all_objects.all()
    if user is not None:
        hidden = hidden.exclude(pk__in=visible_projects(user).values("pk"))
    return [t for p in hidden for t in (p.name, p.code)]


def _rules(w):
    # Rule sets are citywide: the "A" and "B" objects are the same set.
    from assessments.models import RuleSet

    rules = RuleSet.objects.filter(year=2026).first() or RuleSet.objects.create(year=2026)
    w.objects["ruleset"] = (rules, rules)
    from assessments.models import ProjectMonthStatus

    w.objects["status"] = tuple(
        ProjectMonthStatus.objects.create(project=p, year=2026, month=3, status="normal")
        for p in (w.pa, w.pb)
    )
