"""Hostile uploads, each through every door.

Every file goes through the ledger upload (as a reviewer), the progress upload (as a
reporter) and `manage.py import_ledger`. Each must end with a Chinese message, a 4xx or the
preview page (never a 500), no batch left 排队/处理中, and a database identical to before
(row counts and a checksum of every table an import writes). Run on SQLite and PostgreSQL:
the over-long names and the 亩 over 10¹⁰ raised DataError on PostgreSQL only.
"""

import functools
import hashlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.db import connections
from django.urls import reverse

from conftest import login
from milestones.models import ProgressReport
from registry.choices import ImportStatus
from registry.models import (
    AnnualPlan,
    ContractAssignment,
    ImportBatch,
    Land,
    Leader,
    Project,
    Region,
    Unit,
)
from registry.tests.fixtures import hostile
from registry.tests.fixtures.workbooks import row, simple_ledger, to_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_HEADER = ["项目编号", "月份", "本月完成投资(万元)", "年度累计完成投资(万元)", "形象进度"]
LONG = "项" * 10_000
CORRUPT = "文件无法读取"


def fingerprint():
    """Row counts and a checksum of every table an import may write."""
    tables = [
        Project.all_objects.order_by("pk"),
        Project.history.order_by("pk"),
        AnnualPlan.objects.order_by("pk"),
        Land.objects.order_by("pk"),
        Region.objects.order_by("pk"),
        Unit.objects.order_by("pk"),
        Leader.objects.order_by("pk"),
        ContractAssignment.objects.order_by("pk"),
        ProgressReport.objects.order_by("pk"),
        ProgressReport.history.order_by("pk"),
    ]
    counts = [qs.count() for qs in tables]
    digest = hashlib.sha256(repr([list(qs.values_list()) for qs in tables]).encode()).hexdigest()
    return counts, digest


def progress_sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(PROGRESS_HEADER)
    for r in rows:
        ws.append(r)
    return to_bytes(wb)


@functools.cache
def sixty_thousand_rows():
    return hostile.many_rows_xlsx(60_000)


@functools.cache
def huge_shared_string():
    # 40 MB of one string: about 40 KB zipped.
    return hostile.huge_string_xlsx(mb=40)


def _file_cases():
    """(ledger bytes, progress bytes, message): refused as files, whatever the sheet."""
    good = simple_ledger([row(code="T-1")])
    return {
        "renamed-binary": (hostile.png_named_xlsx(), hostile.png_named_xlsx(), CORRUPT),
        "truncated-xlsx": (hostile.truncated_xlsx(good), hostile.truncated_xlsx(good), CORRUPT),
        "huge-shared-string": (huge_shared_string(), huge_shared_string(), CORRUPT),
        "60000-rows": (sixty_thousand_rows(), sixty_thousand_rows(), "超过50,000行的上限"),
    }


def _cell_cases(code):
    """(ledger bytes, progress bytes, ledger message, progress message): refused per cell."""
    p = [code, "2026-01"]
    return {
        "1e30-text": (
            simple_ledger([row(code="T-1", total="1e30")]),
            progress_sheet([[*p, "1e30", None, "x"]]),
            "第3行 总投资(万元): 数值超出范围 “1e30”",
            "第2行 本月完成投资(万元): 数值超出范围 “1e30”",
        ),
        "1e30-number": (
            simple_ledger([row(code="T-1", plan=1e30)]),
            progress_sheet([[*p, 10, 1e30, "x"]]),
            "第3行 年度计划投资(万元): 数值超出范围",
            "第2行 年度累计完成投资(万元): 数值超出范围",
        ),
        "12,3": (
            simple_ledger([row(code="T-1", total="12,3")]),
            progress_sheet([[*p, "12,3", None, "x"]]),
            "第3行 总投资(万元): 不是数字 “12,3”",
            "第2行 本月完成投资(万元): 不是数字 “12,3”",
        ),
        "10000-char-names": (
            simple_ledger([row(code="T-1", name=LONG, region=LONG, unit=LONG, leader=LONG)]),
            progress_sheet([[*p, 10, None, LONG]]),
            "超过2,000个字的上限",
            "超过2,000个字的上限",
        ),
    }


# Just over each field's own limit: would be created with create_missing (DataError on PG).
FIELD_LIMIT_CASES = {
    "name-201": (dict(name="项" * 201), "项目名称: 超过200个字"),
    "region-51": (dict(region="区" * 51), "所属地区: 超过50个字"),
    "unit-101": (dict(unit="单" * 101), "责任单位: 超过100个字"),
    "leader-31": (dict(leader="王" * 31), "分包领导: 超过30个字"),
    "land-1e10": (dict(land=10**10), "用地面积(亩): 数值超出范围 “10000000000”"),
    "negative-plan": (dict(plan=-5), "年度计划投资(万元): 不能为负数"),
}


@pytest.fixture
def web(client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def post(user, url, data, name, **extra):
        login(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(
                url, {"file": SimpleUploadedFile(name, data, content_type=XLSX), **extra}
            )
        assert resp.status_code in (302, 400), resp.status_code
        if resp.status_code == 302:
            page = client.get(resp.url)
            assert page.status_code == 200
            return page.content.decode()
        return resp.content.decode()

    return post


def _no_batch_left_running():
    assert not ImportBatch.objects.filter(
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
    ).exists()


def _command(path, capsys, *args):
    capsys.readouterr()  # only what the command itself prints
    with pytest.MonkeyPatch.context() as mp, pytest.raises(SystemExit) as exc:
        # run_from_argv closes the connections: that would end the test's transaction
        mp.setattr(connections, "close_all", lambda: None)
        argv = ["manage.py", "import_ledger", str(path), "--user", "reviewer", *args]
        ManagementUtility(argv).execute()
    err = capsys.readouterr().err
    assert exc.value.code == 1
    assert "Traceback" not in err
    return err


def _through_every_door(web, users, tmp_path, capsys, ledger, progress, msg_l, msg_p, **extra):
    before = fingerprint()

    # the ledger upload, as a reviewer
    page = web(users.reviewer, reverse("registry:ledger_upload"), ledger, "台账.xlsx", **extra)
    assert msg_l in page
    # the progress upload, as a reporter
    page = web(users.reporter_a, reverse("milestones:progress_import"), progress, "进度.xlsx")
    assert msg_p in page
    # the command line
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger)
    args = ["--create-missing"] if extra else []
    assert msg_l in _command(path, capsys, *args)

    _no_batch_left_running()
    assert fingerprint() == before


@pytest.mark.parametrize(
    "case", ["renamed-binary", "truncated-xlsx", "huge-shared-string", "60000-rows"]
)
def test_hostile_files_are_refused_everywhere(case, city, users, web, tmp_path, capsys):
    ledger, progress, message = _file_cases()[case]
    _through_every_door(web, users, tmp_path, capsys, ledger, progress, message, message)


@pytest.mark.parametrize("case", ["1e30-text", "1e30-number", "12,3", "10000-char-names"])
def test_hostile_cells_are_refused_everywhere(case, city, users, web, tmp_path, capsys):
    ledger, progress, msg_l, msg_p = _cell_cases(city.project_a.code)[case]
    _through_every_door(web, users, tmp_path, capsys, ledger, progress, msg_l, msg_p)


@pytest.mark.parametrize("case", list(FIELD_LIMIT_CASES))
def test_values_beyond_a_field_are_refused_before_writing(case, city, users, web, tmp_path, capsys):
    # given a row whose one value does not fit its column in the database
    values, message = FIELD_LIMIT_CASES[case]
    ledger = simple_ledger([row(code="T-1", **values)])
    progress = progress_sheet([[city.project_a.code, "2026-01", "1,23,456", None, "x"]])
    # then every door refuses it by sheet, row and column, in Chinese, and writes nothing
    _through_every_door(
        web,
        users,
        tmp_path,
        capsys,
        ledger,
        progress,
        f"Sheet1 第3行 {message}",
        "第2行 本月完成投资(万元): 不是数字 “1,23,456”",
        create_missing="on",
    )
