"""Saving a form unchanged changes nothing (SPEC §5: nothing is ever lost silently).

For every model form and every serializer that writes a model, and every demo role that may
save it: open the edit page (or GET the API representation), send back exactly what a
browser would send for the page as rendered (parsed from the HTML: a field the template does
not show is not sent), and compare a fingerprint of the rows before and after. The data is the
demo city (`seed_demo`), with one 临江县 project contracted by the mayor — a city leader
outside the county reviewer's pick list.

`COVERED` and `NOT_WRITERS` together must name every ModelForm and ModelSerializer of the
project: a new one fails `test_every_model_writer_is_covered` until it gets a case here.
"""

import importlib
import json
import pkgutil
from contextlib import ExitStack
from io import StringIO

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework import serializers

from assessments.models import RuleSet
from milestones.choices import ReportStatus
from registry.models import Document, Leader, Project, Region
from registry.scoping import visible_projects
from registry.services import project_update
from registry.years import current_year
from tests.form_html import as_post_data, post_forms

pytestmark = pytest.mark.django_db
APPS = (
    "core",
    "registry",
    "milestones",
    "pipeline",
    "assessments",
    "evaluations",
    "reports",
    "instructions",
    "portal",
)
EDITORS = ("admin", "drc", "drc_lj")
WORKERS = ("admin", "drc", "drc_lj", "tb_lj", "tb_jt")
REPORTERS = ("admin", "tb_lj", "tb_jt")
FACTORS = {
    "plan": "registry.factor_forms.AnnualPlanForm",
    "land": "registry.factor_forms.LandForm",
    "relocation": "registry.factor_forms.RelocationForm",
    "funding": "registry.factor_forms.FundingForm",
    "approvals": "registry.factor_forms.ApprovalForm",
    "team": "registry.factor_forms.TeamMemberForm",
}

# case id → (writer class, roles that may save it, "page" or "api")
CASES = {
    "project": ("registry.forms.ProjectForm", EDITORS, "page"),
    **{f"factor-{slug}": (writer, EDITORS, "page") for slug, writer in FACTORS.items()},
    "milestones": ("milestones.forms.MilestoneForm", WORKERS, "page"),
    "problem": ("milestones.forms.ProblemForm", WORKERS, "page"),
    "report": ("milestones.forms.ProgressReportForm", REPORTERS, "page"),
    "rules": ("assessments.forms.RuleSetForm", ("admin", "drc"), "page"),
    "admin-project": ("registry.admin.DocumentForm", ("admin",), "page"),
    "api-project": ("registry.api.serializers.ProjectUpdateSerializer", EDITORS, "api"),
    "api-problem": ("milestones.api.serializers.ProblemUpdateSerializer", WORKERS, "api"),
    "api-report": ("milestones.api.serializers.ProgressReportUpdateSerializer", REPORTERS, "api"),
    "pipeline": ("pipeline.forms.PipelineForm", ("admin", "drc", "drc_lj", "tb_lj"), "page"),
    "batch": ("pipeline.forms.BatchForm", ("admin", "drc"), "page"),
    "api-pipeline": (
        "pipeline.api.serializers.PipelineUpdateSerializer",
        ("admin", "drc", "drc_lj", "tb_lj"),
        "api",
    ),
}
COVERED = {writer for writer, _roles, _kind in CASES.values()}
# Plain forms that write a model through a service (not found by subclass, listed here).
PLAIN_FORM_WRITERS = {"milestones.forms.ProgressReportForm"}
READ_ONLY = "only reads: nested or list output, no write route"
NOT_WRITERS = {
    "pipeline.api.serializers.PipelineProjectSerializer": READ_ONLY,
    "pipeline.api.serializers.StartBatchSerializer": READ_ONLY,
    "pipeline.api.serializers.PipelineWriteSerializer": "creates (its PATCH subclass is a case)",
    "registry.factor_forms.StyledModelForm": "base class without a model",
    "registry.api.serializers.RegionSerializer": READ_ONLY,
    "registry.api.serializers.UnitSerializer": READ_ONLY,
    "registry.api.serializers.LeaderSerializer": READ_ONLY,
    "registry.api.serializers.AnnualPlanSerializer": READ_ONLY,
    "registry.api.serializers.ProjectListSerializer": READ_ONLY,
    "registry.api.serializers.ProjectDetailSerializer": READ_ONLY,
    "registry.api.serializers.FundingSerializer": READ_ONLY,
    "registry.api.serializers.LandSerializer": READ_ONLY,
    "registry.api.serializers.RelocationSerializer": READ_ONLY,
    "registry.api.serializers.ApprovalSerializer": READ_ONLY,
    "registry.api.serializers.TeamMemberSerializer": READ_ONLY,
    "registry.api.serializers.AssignmentSerializer": READ_ONLY,
    "portal.api.notices.NoticeSerializer": READ_ONLY + " (marking read is its own action)",
    "assessments.api.serializers.ProjectStatusSerializer": READ_ONLY,
    "milestones.api.serializers.MilestoneSerializer": READ_ONLY,
    "milestones.api.serializers.ProgressReportSerializer": READ_ONLY,
    "reports.api.serializers.PublicationSerializer": READ_ONLY + " (publishing is its own action)",
    "milestones.api.serializers.ProblemSerializer": READ_ONLY,
    "milestones.api.serializers.LetterSerializer": READ_ONLY,
    "reports.api.serializers.ReportRunSerializer": READ_ONLY,
    "milestones.api.serializers._ReportDataSerializer": "base of the create/update serializers",
    "milestones.api.serializers.ProblemWriteSerializer": "base of the create/update serializers",
    "milestones.api.serializers.ProgressReportCreateSerializer": "creates rows: none stored yet",
    "milestones.api.serializers.ProblemCreateSerializer": "creates rows: none stored yet",
    "registry.forms_project.ProjectCreateForm": "creates rows: none stored yet",
    "instructions.api.serializers.InstructionSerializer": READ_ONLY,
    "instructions.api.serializers.FeedbackSerializer": READ_ONLY,
    "instructions.api.serializers.AttachmentSerializer": READ_ONLY,
    "evaluations.forms.EventForm": "creates rows: none stored yet (an event is set up on its page)",
    **{
        f"evaluations.api.serializers.{n}": READ_ONLY
        for n in (
            "EventSerializer",
            "CriterionSerializer",
            "GroupSerializer",
            "RouteSerializer",
            "StopSerializer",
            "ScoreSerializer",
        )
    },
}


OUTPUT = "serializes figures for an answer; writes nothing"
ACTION = "an action's own input (no stored field shown and saved back)"
CREATES = "creates rows: none stored yet"
# Plain forms and serializers (not Model*): each is an edit form covered above, or says here
# why an unchanged save cannot lose anything. A new one must be placed (test below).
PLAIN_NOT_EDITORS = {
    "assessments.api.serializers.FourRowSerializer": OUTPUT,
    "pipeline.api.serializers.StageSerializer": ACTION + ": a dated stage move",
    "pipeline.forms.StageForm": ACTION + ": a dated stage move",
    "pipeline.forms.AdmitForm": ACTION + ": admission creates the list's project",
    "pipeline.forms.DocumentForm": CREATES,
    "pipeline.forms.ImportForm": ACTION + ": a file to import",
    "pipeline.forms.TargetForm": "a grid saved cell by cell: an unchanged cell is not written "
    "(pipeline/tests/test_targets.py)",
    **{f"assessments.api.forecast.{n}": OUTPUT for n in (
        "AtRiskSerializer", "ForecastSerializer", "OutlookSerializer",
        "ProjectForecastSerializer", "RegionForecastSerializer")},
    **{f"assessments.api.serializers.{n}": OUTPUT for n in (
        "ChartsSerializer", "DashboardSerializer", "FiguresSerializer", "GroupFiguresSerializer",
        "MapPointSerializer", "MapSerializer", "PeriodSerializer", "RankSerializer",
        "RegionFiguresSerializer", "ScoreRowSerializer", "SeriesRowSerializer",
        "StatusCountSerializer", "TrendSerializer")},
    "milestones.api.serializers.ProjectRefMixin": "a field mixin of the create serializers",
    "milestones.api.serializers.ResolveSerializer": ACTION + ": 解决 with its note",
    "milestones.api.serializers.ReviewSerializer": ACTION + ": approve or return",
    "milestones.api.serializers.VersionSerializer": ACTION + ": the optimistic-lock version",
    "milestones.forms.ReportStartForm": ACTION + ": which project and month to report",
    "milestones.forms.ReviewForm": ACTION + ": approve or return with a comment",
    "milestones.forms.WindowForm": CREATES + " (a 调度期 is opened, never edited here)",
    "milestones.forms.LetterForm": CREATES,
    "milestones.forms.LetterReplyForm": ACTION + ": the reply is written once",
    "milestones.forms.SuspensionForm": CREATES,
    "milestones.forms.SuspensionDecisionForm": ACTION + ": approve or reject",
    "milestones.views_import.ProgressUploadForm": ACTION + ": a file to import",
    "registry.forms.DocumentUploadForm": CREATES,
    "registry.forms_excel.LedgerUploadForm": ACTION + ": a file to import",
    "reports.api.serializers.ReportRunRequestSerializer": ACTION + ": which report to build",
    "reports.forms.PublishForm": ACTION + ": which period to publish",
    "reports.forms.RunRequestForm": ACTION + ": which report to build",
    "reports.forms._PeriodOfKind": "base of the two report forms",
    "instructions.forms.InstructionForm": CREATES + " (a 批示 is signed once, never edited)",
    "instructions.forms.FeedbackForm": CREATES + " (each 反馈 is added, never edited)",
    "evaluations.forms.NameForm": CREATES + " (a group or a route)",
    "evaluations.forms.StopForm": CREATES + " (a visited project)",
    "evaluations.forms.EvaluatorForm": CREATES + " (an evaluator)",
    "evaluations.forms.CriterionForm": "a sheet line's row sends back all three fields it saves"
    " (unchanged save: evaluations/tests/test_views.py)",
    "evaluations.api.serializers.ScoreWriteSerializer": ACTION + ": one score, as typed",
    **{f"evaluations.api.serializers.{n}": OUTPUT for n in (
        "ResultGroupSerializer", "ResultParticipantSerializer", "ResultProjectSerializer")},
}  # fmt: skip


def plain_forms():
    """Qualified names of every plain Form and Serializer defined in the project."""
    _import_project_modules()
    names = set()
    for base in (forms.BaseForm, serializers.Serializer):
        for cls in _subclasses(base):
            model_based = issubclass(cls, (forms.ModelForm, serializers.ModelSerializer))
            if cls.__module__.split(".")[0] in APPS and not model_based:
                names.add(f"{cls.__module__}.{cls.__qualname__}")
    return names


def _import_project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(base):
    for cls in base.__subclasses__():
        yield cls
        yield from _subclasses(cls)


def model_writers():
    """Qualified names of every ModelForm and ModelSerializer defined in the project."""
    _import_project_modules()
    names = set()
    for base in (forms.ModelForm, serializers.ModelSerializer):
        for cls in _subclasses(base):
            if cls.__module__.split(".")[0] in APPS:
                names.add(f"{cls.__module__}.{cls.__qualname__}")
    return names


def test_every_model_writer_is_covered():
    writers = model_writers()
    missing = sorted(writers - COVERED - set(NOT_WRITERS))
    assert not missing, f"add an unchanged-save case (or a reason) for: {missing}"
    stale = sorted((COVERED | set(NOT_WRITERS)) - writers - PLAIN_FORM_WRITERS)
    assert not stale, f"no longer in the code: {stale}"


def test_every_plain_form_and_serializer_is_placed():
    found = plain_forms()
    missing = sorted(found - PLAIN_FORM_WRITERS - set(PLAIN_NOT_EDITORS))
    assert not missing, f"an unchanged-save case, or why none is needed, for: {missing}"
    stale = sorted(set(PLAIN_NOT_EDITORS) - found)
    assert not stale, f"no longer in the code: {stale}"


# ------------------------------------------------------------------------------ the world


FINGERPRINT_SKIP = {"version", "updated_at"}


def _fingerprint_models():
    """Every model of our apps except audit history: all of them could be written."""
    from django.apps import apps

    out = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if not model.__name__.startswith("Historical"):
                out.append(model)
    return out


# Derived tables are rebuilt for the projects a save touches: their rows are compared by
# content, not by the id a rebuild gives them.
DERIVED = {"assessments.ProjectMonth": ("project", "year", "month")}


def fingerprint():
    """Every row of every table of our apps (history aside), without version bumps and
    update stamps (an unchanged save may bump them)."""
    out = {}
    for model in _fingerprint_models():
        skip = FINGERPRINT_SKIP | {
            f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
        }
        order = DERIVED.get(model._meta.label)
        if order:
            skip = skip | {model._meta.pk.name}
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        rows = model.objects.order_by(*(order or ("pk",))).values_list(*names)
        out[model._meta.label] = list(rows)
    return out


def diff(before, after):
    changed = {}
    for label, rows in before.items():
        if rows != after[label]:
            old, new = set(rows), set(after[label])
            changed[label] = {"gone": sorted(old - new)[:3], "new": sorted(new - old)[:3]}
    return changed


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city for the module, inside a transaction rolled back at the end."""
    from django.test import override_settings

    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        media = str(tmp_path_factory.mktemp("media"))
        stack.enter_context(override_settings(MEDIA_ROOT=media))
        stack.enter_context(transaction.atomic())
        call_command("seed_demo", "--projects", "40", stdout=StringIO())
        yield _world()
        transaction.set_rollback(True)


def _world():
    w = World()
    users = get_user_model().objects
    w.users = {u.username: u for u in users.filter(username__in=set(WORKERS) | {"admin"})}
    linjiang = Region.objects.get(name="临江县")
    mayor = Leader.objects.get(post="市长")
    # A 临江县 project contracted by the mayor: outside the county reviewer's leader list.
    # Projects of the running year's list: a closed year's rows are read-only (a save is
    # refused, which this test is not about).
    running = Project.objects.filter(annual_plans__year=current_year())
    w.project = (
        visible_projects(w.users["drc_lj"])
        .filter(region__path__startswith=linjiang.path, pk__in=running.values("pk"))
        .order_by("code")
        .first()
    )
    if w.project.leader_id != mayor.pk:
        project_update(project=w.project, data={"leader": mayor}, version=w.project.version)
    w.project.refresh_from_db()
    jt_unit = w.users["tb_jt"].profile.unit
    w.project_jt = running.filter(unit=jt_unit).order_by("code").first()
    if w.project_jt is None:
        # A county project run by a city unit: tb_jt reports it by unit, not by region.
        w.project_jt = running.exclude(pk=w.project.pk).order_by("-code").first()
        project_update(project=w.project_jt, data={"unit": jt_unit}, version=w.project_jt.version)
        w.project_jt.refresh_from_db()
    w.problems, w.reports = {}, {}
    for project in (w.project, w.project_jt):
        problem = project.problems.order_by("pk").first()
        assert problem is not None, f"demo project {project.code} has no problem"
        problem.measures = problem.measures or "协调自然资源局加快组卷报批，月底前完成"
        problem.save()
        w.problems[project.pk] = problem
        report = project.progress_reports.order_by("-year", "-month").first()
        report.status = ReportStatus.RETURNED
        report.reviewer_comment = "请补充形象进度照片"
        report.save()
        w.reports[project.pk] = report
    w.document = Document.objects.create(
        project=w.project, kind=Document._meta.get_field("kind").choices[0][0], title="立项批复"
    )
    w.document.file.save("批复.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    w.rule_set = RuleSet.objects.order_by("pk").first()
    from pipeline.models import PipelineProject, StartBatch

    w.pipeline = (
        PipelineProject.objects.filter(region__path__startswith=linjiang.path, project=None)
        .order_by("pk")
        .first()
    )
    w.batch = StartBatch.objects.order_by("pk").first()
    return w


def target_project(w, role):
    return w.project_jt if role == "tb_jt" else w.project


def page_url(w, case, role):
    project = target_project(w, role)
    if case == "project":
        return reverse("registry:project_edit", args=[project.pk])
    if case.startswith("factor-"):
        return reverse("registry:factor_edit", args=[project.pk, case.removeprefix("factor-")])
    if case == "milestones":
        return reverse("milestones:milestone_edit", args=[project.pk])
    if case == "problem":
        return reverse("milestones:problem_edit", args=[w.problems[project.pk].pk])
    if case == "report":
        return reverse("milestones:report_edit", args=[w.reports[project.pk].pk])
    if case == "rules":
        return reverse("assessments:rule_edit", args=[w.rule_set.pk])
    if case == "pipeline":
        return reverse("pipeline:edit", args=[w.pipeline.pk])
    if case == "batch":
        return reverse("pipeline:batch_edit", args=[w.batch.pk])
    if case == "admin-project":
        return reverse("admin:registry_project_change", args=[project.pk])
    raise AssertionError(case)


def api_url(w, case, role):
    project = target_project(w, role)
    if case == "api-project":
        return f"/api/projects/{project.pk}/"
    if case == "api-pipeline":
        return f"/api/pipeline-projects/{w.pipeline.pk}/"
    if case == "api-problem":
        return f"/api/problems/{w.problems[project.pk].pk}/"
    return f"/api/progress-reports/{w.reports[project.pk].pk}/"


def _the_form(html, url):
    """The page's edit form: the post form sending to this URL with the most fields."""
    candidates = [f for f in post_forms(html) if f[0].get("action") in (None, "", url)]
    assert candidates, "no edit form on the page"
    return max(candidates, key=lambda f: len(f[1]))


def save_page_unchanged(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    _attrs, fields, buttons = _the_form(page.content.decode(), url)
    response = client.post(url, as_post_data(fields, buttons))
    errors = ""
    if response.status_code != 302 and response.context:
        form = response.context.get("form") or response.context.get("formset")
        errors = getattr(form, "errors", "") or response.context.get("errors", "")
    assert response.status_code == 302, f"{response.status_code}: {errors}"


def save_api_unchanged(client, url, writer):
    got = client.get(url)
    assert got.status_code == 200, got.status_code
    shown = got.json()
    module, _, name = writer.rpartition(".")
    serializer = getattr(importlib.import_module(module), name)()
    writable = [n for n, f in serializer.fields.items() if not f.read_only]
    data = {n: shown[n] for n in writable if n in shown}
    response = client.patch(url, json.dumps(data), content_type="application/json")
    assert response.status_code == 200, response.content.decode()[:500]


PARAMS = [
    pytest.param(case, role, id=f"{case}-{role}")
    for case, (_writer, roles, _kind) in CASES.items()
    for role in roles
]


@pytest.mark.parametrize("case,role", PARAMS)
def test_unchanged_save_changes_nothing(world, case, role):
    writer, _roles, kind = CASES[case]
    client = Client()
    client.force_login(world.users[role])
    before = fingerprint()
    if kind == "page":
        save_page_unchanged(client, page_url(world, case, role))
    else:
        save_api_unchanged(client, api_url(world, case, role), writer)
    assert diff(before, fingerprint()) == {}


def test_mayor_stays_on_a_county_project_saved_unchanged_by_the_county_reviewer(world):
    """The 五个一 record: drc_lj's pick list has only 临江县 leaders, the stored mayor stays."""
    client = Client()
    client.force_login(world.users["drc_lj"])
    url = reverse("registry:project_edit", args=[world.project.pk])
    html = client.get(url).content.decode()
    assert "周建国" in html and "（现有，不在您的可选范围）" in html
    save_page_unchanged(client, url)
    world.project.refresh_from_db()
    assert world.project.leader.post == "市长"
    # choosing another city leader is still refused
    other = Leader.objects.filter(region__parent=None).exclude(pk=world.project.leader_id).first()
    _a, fields, _b = _the_form(html, url)
    data = as_post_data(fields) | {"leader": str(other.pk)}
    response = client.post(url, data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    world.project.refresh_from_db()
    assert world.project.leader.post == "市长"


def test_problem_form_shows_and_edits_measures(world):
    problem = world.problems[world.project.pk]
    client = Client()
    client.force_login(world.users["tb_lj"])
    url = reverse("milestones:problem_edit", args=[problem.pk])
    html = client.get(url).content.decode()
    assert "措施" in html and problem.measures in html
    _a, fields, buttons = _the_form(html, url)
    data = as_post_data(fields, buttons) | {"measures": "县自然资源局11月底前完成组卷"}
    assert client.post(url, data).status_code == 302
    problem.refresh_from_db()
    assert problem.measures == "县自然资源局11月底前完成组卷"


def test_fingerprint_notices_a_lost_value(world):
    """The check itself can fail: blanking 措施 is seen."""
    problem = world.problems[world.project.pk]
    before = fingerprint()
    with transaction.atomic():
        type(problem).objects.filter(pk=problem.pk).update(measures="")
        assert "milestones.Problem" in diff(before, fingerprint())
        transaction.set_rollback(True)
