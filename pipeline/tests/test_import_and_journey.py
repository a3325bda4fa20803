"""The pipeline Excel import (the ledger's reader and rules), the submit → 成熟 → 增补 journey
through the pages, and the demo batch's sentence."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pipeline.excel_import import pipeline_import
from pipeline.models import PipelineProject
from registry.models import AnnualPlan, Project

pytestmark = pytest.mark.django_db


def _book(rows, header=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "谋划项目"
    ws.append(["2026年甲县重大项目谋划储备表"])
    ws.append(["单位：亿元"])
    ws.append(
        header
        or [
            "序号",
            "项目名称",
            "所属县区",
            "项目类别",
            "总投资（亿元）",
            "阶段",
            "来源",
            "签约日期",
        ]
    )
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("谋划.xlsx", out.getvalue())


def test_import_with_title_rows_yi_and_synonyms_is_exact_and_idempotent(city, users):
    rows = [[1, "甲县储能电站", "甲县", "产业", "3.5", "谋划", "招商引资", "2026.3"],
            [2, "甲县冷链中心", "甲县城关镇", "基础设施", 1.25, "谋划", "自主谋划", None]]  # fmt: skip
    dry = pipeline_import(_book(rows), user=users.reporter_a, dry_run=True)
    assert not dry.errors and len(dry.new) == 2 and not PipelineProject.objects.exists()
    done = pipeline_import(_book(rows), user=users.reporter_a, dry_run=False)
    assert done.written and not done.errors
    got = {p.name: p for p in PipelineProject.objects.all()}
    assert got["甲县储能电站"].total_investment == Decimal("35000.00")  # 3.5亿 → 万元
    assert got["甲县储能电站"].signed_on == datetime.date(2026, 3, 1)
    assert got["甲县储能电站"].source == "investment"
    assert (
        got["甲县冷链中心"].region == city.town_a
        and got["甲县冷链中心"].category == "infrastructure"
    )
    again = pipeline_import(_book(rows), user=users.reporter_a, dry_run=False)
    assert len(again.unchanged) == 2 and not again.new and not again.changed
    assert PipelineProject.objects.count() == 2


def test_a_bad_row_is_refused_with_sheet_row_and_column_and_nothing_written(city, users):
    rows = [[1, "甲县好项目", "甲县", "产业", "2", "谋划", "自主谋划", None],
            [2, "甲县坏项目", "甲县", "产业", "约3亿", "谋划", "自主谋划", None],
            [3, "乙区项目", "乙区", "产业", "1", "谋划", "自主谋划", None]]  # fmt: skip
    result = pipeline_import(_book(rows), user=users.reporter_a, dry_run=False)
    assert not result.written and not PipelineProject.objects.exists()
    assert any(
        e.startswith("谋划项目 第5行 估算总投资(万元):") and "约3亿" in e for e in result.errors
    )
    assert "谋划项目 第6行 谋划地区: “乙区”不存在或不在您的范围内" in result.errors


def test_a_reporter_cannot_import_a_later_stage(city, users):
    rows = [[1, "甲县成熟项目", "甲县", "产业", "2", "成熟", "自主谋划", None]]
    result = pipeline_import(_book(rows), user=users.reporter_a, dry_run=True)
    assert result.errors == [
        "谋划项目 第4行 谋划阶段: 填报员导入的项目从“谋划”开始，阶段由审核员调整"
    ]


def test_submit_review_admit_as_added_project_with_history(client, city, users):
    # a town's reporter submits (county A's reporter stands in for the town's)
    client.force_login(users.reporter_a)
    response = client.post(reverse("pipeline:create"), {
        "name": "城关镇智慧物流园", "region": city.town_a.pk, "unit": city.unit_a.pk,
        "category": "industry", "sector": "secondary", "total_investment": "80000",
        "source": "own", "funds_in_place": "0"})  # fmt: skip
    pp = PipelineProject.objects.get(name="城关镇智慧物流园")
    assert response.status_code == 302 and pp.stage == "idea"
    # county reviewer moves it to 成熟 (dated, audited)
    reviewer_a = users.reviewer_a
    client.force_login(reviewer_a)
    today = datetime.date.today().isoformat()
    client.post(reverse("pipeline:move", args=[pp.pk]), {"stage": "mature", "changed_on": today})
    pp.refresh_from_db()
    assert pp.stage == "mature" and pp.mature_on and pp.stage_changes.count() == 1
    # a county reviewer may not admit; the city reviewer admits it as 增补
    assert client.post(reverse("pipeline:admit", args=[pp.pk]), {}).status_code == 403
    client.force_login(users.reviewer)
    year = datetime.date.today().year
    response = client.post(reverse("pipeline:admit", args=[pp.pk]), {
        "year": str(year), "level": "county", "plan": "5000", "unit": city.unit_a.pk, "sector": "tertiary",
        "reason": "成熟项目增补"})  # fmt: skip
    pp.refresh_from_db()
    project = pp.project
    assert response.status_code == 302 and project is not None
    assert project.pool == "added" and project.name == "城关镇智慧物流园"
    assert AnnualPlan.objects.get(project=project, year=year).listed_on is not None
    reasons = list(project.history.values_list("history_change_reason", flat=True))
    assert any("由项目谋划库转入" in (r or "") for r in reasons)
    page = client.get(reverse("portal:project_list"), {"year": year}).content.decode()
    assert "城关镇智慧物流园" in page and project.code in page
    assert Project.objects.filter(pk=project.pk).exists()


def test_demo_batch_sentence_matches_its_projects():
    from io import StringIO

    from django.core.management import call_command

    from pipeline import batches
    from pipeline.models import StartBatch

    call_command("seed_demo", "--projects", "40", stdout=StringIO())
    batch = StartBatch.objects.get()
    projects = list(batch.projects.all())
    total = sum((p.total_investment for p in projects), Decimal(0))
    plan = sum(
        (a.planned_investment for a in AnnualPlan.objects.filter(project__in=projects,
                                                                  year=batch.held_on.year)),
        Decimal(0),
    )  # fmt: skip
    text = batches.sentence(batch)
    assert f"集中开工项目{len(projects)}项" in text and len(projects) > 0
    assert (
        f"投资总额{batches.yi(total)}亿元" in text and f"年度计划投资{batches.yi(plan)}亿元" in text
    )
    # idempotent: a second run changes nothing
    before = (PipelineProject.objects.count(), batch.projects.count())
    call_command("seed_demo", "--projects", "40", stdout=StringIO())
    assert (PipelineProject.objects.count(), StartBatch.objects.get().projects.count()) == before
