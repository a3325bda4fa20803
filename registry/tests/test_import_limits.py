"""Defect 5: values checked against their field's limits, strict numbers, batches that end."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone

from conftest import login
from core.excel import values
from milestones import progress_import as progress_module
from milestones.choices import MilestonesImport
from milestones.progress_sheet import PROGRESS
from registry import ledger_import as ledger_module
from registry import ledger_rows
from registry.choices import ImportKind, ImportStatus
from registry.excel.headers import LEDGER
from registry.models import ImportBatch, Land, Leader, Project
from registry.tests.fixtures.workbooks import row, simple_ledger

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.5", "1234.50"), ("12,345,678", "12345678.00"), ("1 234", "1234.00"),
     ("１，２３４", "1234.00"), ("-1,234", "-1234.00"), (" 800 ", "800.00")],
)  # fmt: skip
def test_thousands_groups_of_three_are_numbers(raw, expected):
    assert values.to_decimal(raw) == D(expected)


@pytest.mark.parametrize("raw", ["12,3", "1,23,456", "1,2345", "12 3", ",123", "1,,234"])
def test_other_separators_are_not_numbers(raw):
    # '12,3' used to become 123 silently
    with pytest.raises(values.CellError, match=f"不是数字 “{raw.strip()}”"):
        values.to_decimal(raw)


@pytest.mark.parametrize("raw", ["1e30", 1e30, "9" * 40, "1e999999"])
def test_numbers_too_big_to_round_are_out_of_range(raw):
    # these raised decimal.InvalidOperation (a 500) before
    with pytest.raises(values.CellError, match="数值超出范围"):
        values.to_decimal(raw)


@pytest.mark.parametrize("raw", [float("inf"), float("nan"), "Infinity", "-inf"])
def test_infinities_are_not_numbers(raw):
    with pytest.raises(values.CellError, match="不是数字"):
        values.to_decimal(raw)


# -- limits from the model fields -----------------------------------------------------------


def _field(model, name):
    return model._meta.get_field(name)


def test_money_limit_is_the_fields_digits():
    field = _field(Project, "total_investment")  # max_digits=14, decimal_places=2
    assert values.check_limits(D("999999999999.99"), field, "x") == D("999999999999.99")
    with pytest.raises(values.CellError, match="数值超出范围 “1e12”"):
        values.check_limits(D("1000000000000.00"), field, "1e12")
    with pytest.raises(values.CellError, match="不能为负数 “-5”"):
        values.check_limits(D("-5.00"), field, "-5")


def test_area_limit_is_the_fields_digits():
    field = _field(Land, "required_area")  # max_digits=12: under 10¹⁰ 亩
    assert values.check_limits(D("9999999999.99"), field, "x")
    with pytest.raises(values.CellError, match="数值超出范围"):
        values.check_limits(D("10000000000.00"), field, "10000000000")


def test_text_limit_is_the_fields_max_length():
    assert values.check_limits("王" * 30, _field(Leader, "name"), "") == "王" * 30
    with pytest.raises(values.CellError, match="超过30个字（填了31个字）"):
        values.check_limits("王" * 31, _field(Leader, "name"), "")


def test_limits_follow_the_field_not_a_copied_number():
    # a field with other metadata gets other limits
    field = models.DecimalField(max_digits=5, decimal_places=2)
    assert values.check_limits(D("999.99"), field, "") == D("999.99")
    with pytest.raises(values.CellError, match="数值超出范围"):
        values.check_limits(D("1000.00"), field, "1000")
    with pytest.raises(values.CellError, match="超过3个字"):
        values.check_limits("abcd", models.CharField(max_length=3), "")


@pytest.mark.parametrize(
    ("schema", "targets"),
    [(LEDGER, ledger_rows.TARGETS), (PROGRESS, progress_module.TARGETS)],
    ids=["ledger", "progress"],
)
def test_every_column_says_where_it_is_stored(schema, targets):
    # a new column without a target would be written unchecked
    assert set(targets) == set(schema.by_key)


# -- a batch always ends --------------------------------------------------------------------


@pytest.fixture
def web(client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def upload(user, url, data):
        login(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"file": SimpleUploadedFile("a.xlsx", data, content_type=XLSX)})

    return upload


def _boom(*args, **kwargs):
    raise RuntimeError("boom <class 'decimal.InvalidOperation'>")


@pytest.mark.django_db
def test_unexpected_error_in_ledger_import_fails_the_batch(
    client, city, users, web, monkeypatch, caplog
):
    monkeypatch.setattr(ledger_module.LedgerImporter, "run", _boom)
    with caplog.at_level(logging.ERROR):
        resp = web(users.reviewer, reverse("registry:ledger_upload"), simple_ledger([row()]))
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302
    assert batch.status == ImportStatus.FAILED and batch.finished_at
    assert batch.error.startswith("导入出错（系统内部错误），未写入任何数据")
    assert "boom" not in batch.error and "class" not in batch.error
    assert "RuntimeError: boom" in caplog.text  # the traceback is in the log
    assert "导入出错" in client.get(resp.url).content.decode()


@pytest.mark.django_db
def test_unexpected_error_in_progress_import_fails_the_batch(
    client, city, users, web, monkeypatch, caplog
):
    monkeypatch.setattr(progress_module, "progress_import", _boom)
    resp = web(users.reporter_a, reverse("milestones:progress_import"), simple_ledger([row()]))
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302  # not a 500
    assert batch.status == ImportStatus.FAILED
    assert "导入出错" in client.get(resp.url).content.decode()
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.django_db
def test_unexpected_error_on_the_command_line(city, users, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("registry.management.commands.import_ledger.ledger_import", _boom)
    path = tmp_path / "a.xlsx"
    path.write_bytes(simple_ledger([row()]))
    capsys.readouterr()
    # run_from_argv closes the connections: that would end the test's transaction
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_ledger", str(path), "--user", "reviewer"]).execute()
    assert exc.value.code == 1
    assert "导入出错（系统内部错误）" in capsys.readouterr().err
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def _batch(user, status, minutes_ago, kind=ImportKind.LEDGER):
    batch = ImportBatch.objects.create(
        kind=kind, file_name="a.xlsx", status=status, created_by=user, progress=40
    )
    moved = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=moved)
    return batch


@pytest.mark.django_db
def test_batch_of_a_dead_worker_is_failed_when_looked_at(client, city, users, settings):
    settings.IMPORT_STALE_MINUTES = 30
    login(client, users.reviewer)
    dead = _batch(users.reviewer, ImportStatus.RUNNING, 31)
    queued = _batch(users.reviewer, ImportStatus.QUEUED, 45)
    alive = _batch(users.reviewer, ImportStatus.RUNNING, 5)

    # the status poll stops polling and the page says why
    resp = client.get(reverse("registry:import_status", args=[dead.pk]))
    assert resp.status_code == 200 and resp["HX-Refresh"] == "true"
    page = client.get(reverse("registry:import_detail", args=[dead.pk])).content.decode()
    assert "超过30分钟没有进展" in page
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and dead.finished_at

    client.get(reverse("registry:import_list"))
    queued.refresh_from_db()
    alive.refresh_from_db()
    assert queued.status == ImportStatus.FAILED
    assert alive.status == ImportStatus.RUNNING  # still moving: left alone


@pytest.mark.django_db
def test_stale_timeout_is_a_setting(client, city, users, settings):
    settings.IMPORT_STALE_MINUTES = 120
    batch = _batch(users.reporter_a, ImportStatus.RUNNING, 60, MilestonesImport.PROGRESS)
    login(client, users.reporter_a)
    client.get(reverse("registry:import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING


@pytest.mark.django_db
def test_progress_marks_the_batch_as_moving(city, users, settings, tmp_path, monkeypatch):
    # given a batch queued long ago (its worker only now picks it up)
    settings.MEDIA_ROOT = tmp_path
    batch = _batch(users.reviewer, ImportStatus.QUEUED, 90)
    batch.file.save("a.xlsx", SimpleUploadedFile("a.xlsx", simple_ledger([row()])))
    seen = []
    real_run = ledger_module.LedgerImporter.run

    def run(self, source, **kwargs):
        seen.append(ImportBatch.objects.get(pk=batch.pk).updated_at)
        return real_run(self, source, **kwargs)

    monkeypatch.setattr(ledger_module.LedgerImporter, "run", run)
    # when it runs
    ledger_module.ledger_import_batch(batch_id=batch.pk)
    # then it is marked as moving (not stale) while it runs, and it ends
    assert timezone.now() - seen[0] < datetime.timedelta(minutes=1)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


@pytest.mark.django_db
def test_error_outside_the_import_still_fails_the_batch(
    client, city, users, web, monkeypatch, caplog
):
    # given a failure after the import itself (recording its result)
    monkeypatch.setattr(ledger_module, "batch_apply_result", _boom)
    resp = web(users.reviewer, reverse("registry:ledger_upload"), simple_ledger([row()]))
    # then the task ends the batch as failed: no 500, nothing left 处理中
    assert resp.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert "导入出错" in client.get(resp.url).content.decode()
