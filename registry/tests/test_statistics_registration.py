"""入统/纳统 on the ledger (SPEC §3.1): edited by reviewers, imported from the
ledger with its header synonyms, exported back unchanged (the 应入统未入统 list is tested in
assessments/tests/test_unregistered.py)."""

import datetime

import openpyxl
import pytest
from django.urls import reverse

from conftest import login
from registry.ledger_import import ledger_import
from registry.models import Project
from registry.tests.fixtures.workbooks import TEMPLATE_HEADER, row, to_bytes

pytestmark = pytest.mark.django_db


def ledger_with_statistics(rows, headers=("是否纳统", "入统时间", "统计代码")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年重点项目台账"])
    ws.append([*TEMPLATE_HEADER, *headers])
    for values, extra in rows:
        ws.append([*values, *extra])
    return to_bytes(wb)


def same_row(project, **kw):
    return row(
        code=project.code, name=project.name, region=project.region.name,
        unit=project.unit.name, total=str(project.total_investment), plan="1200",
        start=project.planned_start.isoformat(), finish=project.planned_finish.isoformat(),
        level="市重点", 建设性质="续建", 项目类别="产业", 产业类别="二产", 建设内容及规模="",
        项目业主="", 联系人="", phone="", land="", **kw,
    )  # fmt: skip


def test_import_sets_statistics_with_synonyms_and_blank_changes_nothing(city):
    # given a ledger whose 是否纳统 says 已纳统 with a date and a code for project A only
    a, b = city.project_a, city.project_b
    data = ledger_with_statistics(
        [(same_row(a), ["已纳统", "2026-05-10", "3701021234"]), (same_row(b), ["", "", ""])]
    )

    # when
    result = ledger_import(data, file_name="统计.xlsx", dry_run=False)

    # then A is registered as stated; B (blank cells) is untouched
    assert result.errors == []
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.stats_registered, a.stats_registered_on, a.stats_code) == (
        True, datetime.date(2026, 5, 10), "3701021234",
    )  # fmt: skip
    assert (b.stats_registered, b.stats_registered_on, b.stats_code) == (False, None, "")
    changes = {c["code"]: c["changes"] for c in result.changed}
    assert ["是否入统", "否", "是"] in changes[a.code]
    assert ["入统时间", "", "2026-05-10"] in changes[a.code]
    labels_b = {label for label, _old, _new in changes.get(b.code, [])}
    assert not labels_b & {"是否入统", "入统时间", "统计代码"}


def test_no_clears_the_date_and_a_bad_value_is_a_chinese_error(city):
    a = city.project_a
    Project.objects.filter(pk=a.pk).update(
        stats_registered=True, stats_registered_on=datetime.date(2026, 4, 1)
    )
    bad = ledger_with_statistics([(same_row(a), ["也许", "", ""])])
    result = ledger_import(bad, file_name="bad.xlsx", dry_run=True)
    assert any("是否入统" in e and "也许" in e for e in result.errors), result.errors

    result = ledger_import(
        ledger_with_statistics([(same_row(a), ["否", "", ""])]), file_name="no.xlsx", dry_run=False
    )
    assert result.errors == []
    a.refresh_from_db()
    assert (a.stats_registered, a.stats_registered_on) == (False, None)


def test_export_then_import_keeps_statistics(client, city, users):
    a = city.project_a
    Project.objects.filter(pk=a.pk).update(
        stats_registered=True, stats_registered_on=datetime.date(2026, 4, 1), stats_code="X-1"
    )
    login(client, users.reviewer)
    exported = client.get(reverse("portal:ledger_export"), {"year": 2026}).content
    ws = openpyxl.load_workbook(__import__("io").BytesIO(exported)).active
    header = [c.value for c in ws[2]]
    # then the 1-M月 columns of the chosen month (not read back by the import)
    assert header[-6:-2] == ["是否入统", "入统时间", "统计代码", "打包情况"]
    result = ledger_import(exported, file_name="back.xlsx", dry_run=True)
    assert result.errors == [] and result.changed == [] and result.new == []


def test_reviewer_edits_statistics_on_the_ledger_form(client, city, users):
    a = city.project_a
    login(client, users.reviewer)
    form = client.get(reverse("registry:project_edit", args=[a.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "programs"}
    data.update(
        stats_registered="on", stats_registered_on="2026-06-01", stats_code="TJ-9",
        region=a.region_id, unit=a.unit_id, leader=a.leader_id,
    )  # fmt: skip
    response = client.post(reverse("registry:project_edit", args=[a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    a.refresh_from_db()
    assert (a.stats_registered, a.stats_registered_on, a.stats_code) == (
        True, datetime.date(2026, 6, 1), "TJ-9",
    )  # fmt: skip
    detail = client.get(reverse("registry:project_detail", args=[a.pk])).content.decode()
    assert "已入统 2026-06-01（统计代码 TJ-9）" in detail


def test_date_without_registration_is_refused(client, city, users):
    a = city.project_a
    login(client, users.reviewer)
    form = client.get(reverse("registry:project_edit", args=[a.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "programs"}
    data.update(stats_registered_on="2026-06-01", region=a.region_id, unit=a.unit_id)
    response = client.post(reverse("registry:project_edit", args=[a.pk]), data)
    assert response.status_code == 200
    assert "填写了入统时间的项目应勾选“已入统”" in response.content.decode()
