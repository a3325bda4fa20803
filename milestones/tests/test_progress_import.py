"""Monthly progress spreadsheet import: scope, services' rules, atomic, idempotent."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from milestones.choices import MilestonesImport, ReportStatus
from milestones.models import ProgressReport
from milestones.progress_import import progress_import
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory
from registry.choices import ImportStatus
from registry.models import ImportBatch
from registry.tests.fixtures.workbooks import to_bytes

pytestmark = pytest.mark.django_db
D = Decimal


def sheet(rows, title="2026年3月重点项目进度"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度"
    ws.append([title])
    ws.merge_cells("A1:F1")
    ws.append(
        [
            "项目编号",
            "月份",
            "本月完成投资（万元）",
            "年度累计\n完成投资(万元)",
            "形象进度",
            "存在问题",
        ]
    )
    for r in rows:
        ws.append(r)
    ws.append(["合计", None, 999])
    return to_bytes(wb)


@pytest.fixture
def windows(today):
    return [ReportingWindowFactory(year=2026, month=m) for m in (1, 2, 3)]


def reports():
    return list(ProgressReport.objects.order_by("pk").values())


def test_rows_become_submitted_reports(city, users, windows):
    a, town = city.project_a, city.project_town
    data = sheet([
        [a.code, "2026年1月", "100", None, "场地平整", ""],
        [a.code, "2026.2", "150.5", "250.50", "基础施工", "用地指标不足"],
        [town.code, "2026-03", 80, 80, "开工", None],  # Jan/Feb unreported: entered
    ])  # fmt: skip

    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)

    assert result.errors == [] and result.applied
    assert len(result.new) == 3
    feb = ProgressReport.objects.get(project=a, year=2026, month=2)
    assert feb.status == ReportStatus.SUBMITTED and feb.submitted_by == users.reporter_a
    assert feb.invested_month == D("150.50") and feb.invested_ytd == D("250.50")
    assert feb.difficulties == "用地指标不足" and feb.progress_text == "基础施工"
    mar = ProgressReport.objects.get(project=town)
    assert mar.invested_ytd == D("80.00") and mar.difficulties == ""


def test_reimport_changes_nothing(city, users, windows):
    data = sheet([[city.project_a.code, "2026-01", 100, 100, "场地平整", ""]])
    progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    before = reports(), ProgressReport.history.count()
    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert result.errors == [] and result.unchanged == 1 and not result.new
    assert (reports(), ProgressReport.history.count()) == before


def test_out_of_scope_rows_are_errors_and_nothing_written(city, users, windows):
    data = sheet([
        [city.project_a.code, "2026-01", 100, None, "场地平整", ""],
        [city.project_b.code, "2026-01", 100, None, "场地平整", ""],
    ])  # fmt: skip
    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert result.errors == [
        f"进度 第4行 项目编号: 项目“{city.project_b.code}”不存在或不在您的填报范围内"
    ]
    assert not ProgressReport.objects.exists()


def test_service_rules_apply_with_row_names(city, users, windows):
    a = city.project_a
    data = sheet([
        [a.code, "2026-01", 100, None, "场地平整", ""],
        [a.code, "2026-02", 50, 999, "基础", ""],  # year-to-date disagrees
        [city.project_town.code, "2026-03", "约3亿", None, "x", ""],
        [city.project_town.code, "2026-02", 10, 10, "", ""],  # no 形象进度
    ])  # fmt: skip
    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert "进度 第5行 本月完成投资(万元): 不是数字 “约3亿”" in result.errors
    assert any(
        e.startswith("进度 第4行 年度累计完成投资(万元): 本年累计完成投资应为")
        for e in result.errors
    )
    assert any(e.startswith("进度 第6行 形象进度: 提交前请填写形象进度") for e in result.errors)
    assert not ProgressReport.objects.exists()


def test_closed_window_and_approved_report(city, users, today):
    ReportingWindowFactory(year=2026, month=1)
    ProgressReportFactory(project=city.project_a, year=2026, month=1, status=ReportStatus.APPROVED)
    data = sheet([
        [city.project_a.code, "2026-01", 300, None, "改数", ""],
        [city.project_town.code, "2026-02", 10, 10, "开工", ""],
    ])  # fmt: skip
    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert any("已审核通过，不能再修改" in e for e in result.errors)
    assert any("调度期未开放" in e for e in result.errors)


def test_returned_report_is_updated_and_resubmitted(city, users, windows):
    r = ProgressReportFactory(
        project=city.project_a, year=2026, month=1, status=ReportStatus.RETURNED
    )
    data = sheet([[city.project_a.code, "2026-01", 120, None, "改正后", ""]])
    result = progress_import(data, user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert result.errors == [] and len(result.changed) == 1
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED and r.invested_month == D("120.00")


def test_bad_files(city, users, windows):
    for data, message in ((b"", "文件为空"), (b"xx", "不是Excel表格文件")):
        result = progress_import(data, user=users.reporter_a, file_name="p", dry_run=False)
        assert message in result.errors[0]


def test_web_upload_preview_confirm(client, city, users, windows, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, users.reporter_a)
    assert client.get(reverse("milestones:progress_import")).status_code == 200
    data = sheet([[city.project_a.code, "2026-01", 100, None, "场地平整", ""]])
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = client.post(reverse("milestones:progress_import"),
                       {"file": SimpleUploadedFile("进度.xlsx", data, content_type=xlsx)})  # fmt: skip
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302
    assert batch.kind == MilestonesImport.PROGRESS and batch.status == ImportStatus.PREVIEWED
    assert not ProgressReport.objects.exists()
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "确认导入" in page
    client.post(reverse("milestones:progress_import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED
    # another reporter cannot confirm or see it
    login(client, users.reporter_b)
    assert client.get(reverse("registry:import_detail", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize("who", ["leader_city", "nobody"])
def test_denied_roles(client, city, users, who):
    login(client, getattr(users, who))
    assert client.get(reverse("milestones:progress_import")).status_code == 403


@pytest.mark.parametrize("cell", [3, "3", "3月", "3月份", " 3 月", 3.0])
def test_a_bare_month_takes_the_titles_year(city, users, windows, cell):
    a = city.project_a
    data = sheet([[a.code, cell, "100", "100", "场地平整", ""]], title="2026年3月重点项目进度表")
    result = progress_import(data, user=users.reporter_a, dry_run=False)
    assert result.errors == []
    assert ProgressReport.objects.filter(project=a, year=2026, month=3).exists()


def test_a_bare_month_without_a_year_in_the_title_takes_the_open_windows(city, users, today):
    ReportingWindowFactory(year=2026, month=3)
    a = city.project_a
    data = sheet([[a.code, "3月", "100", "100", "场地平整", ""]], title="重点项目月度进度")
    result = progress_import(data, user=users.reporter_a, dry_run=False)
    assert result.errors == []
    assert ProgressReport.objects.get(project=a).month == 3


def test_a_bare_month_with_no_year_anywhere_is_a_clear_error(city, users, today):
    from milestones.models import ReportingWindow

    ReportingWindow.objects.update(is_open=False)
    data = sheet([[city.project_a.code, "11月", "100", None, "x", ""]], title="重点项目月度进度")
    result = progress_import(data, user=users.reporter_a, dry_run=True)
    assert result.errors == [
        "进度 第3行 月份: 月份只写了“11月”，标题中没有年份，当前也没有开放的调度期，无法确定年度；"
        "请写成 2026-11 或在标题中写明年份"
    ]


@pytest.mark.parametrize("cell", ["13", "13月", "0"])
def test_a_month_out_of_range_is_still_refused(city, users, windows, cell):
    data = sheet([[city.project_a.code, cell, "100", None, "x", ""]])
    result = progress_import(data, user=users.reporter_a, dry_run=True)
    assert len(result.errors) == 1 and "月份" in result.errors[0]
