"""manage.py import_ledger: summary, dry run, bad input exits non-zero in Chinese."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from conftest import login
from registry.choices import ImportStatus
from registry.models import AnnualPlan, ImportBatch, Project
from registry.tests.fixtures.workbooks import row, simple_ledger
from registry.tests.test_ledger_import import snapshot

OS_USER = "registry.management.commands.import_ledger.getpass.getuser"

pytestmark = pytest.mark.django_db


def _write(tmp_path, data, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_prints_summary_and_records_batch(city, users, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-1", name="命令导入")]))

    call_command("import_ledger", path, "--year", "2026", "--user", "reviewer")

    out = capsys.readouterr()
    assert "导入完成：2026年台账，共1行：新增1项，变更0项，未变0项，错误0处" in out.out
    assert "100%" in out.err  # the progress bar
    assert Project.objects.filter(code="C-1", year=2026).exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE and batch.rows_new == 1
    assert batch.file_name == "台账.xlsx"


def test_dry_run_writes_nothing(city, users, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-2")]))
    before = snapshot()
    call_command("import_ledger", path, "--dry-run", "--user", "reviewer")
    assert "预览（未写入）" in capsys.readouterr().out
    assert snapshot() == before


def test_bad_row_exits_nonzero_with_chinese_message(city, users, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-3", total="约3亿")]))
    before = snapshot()
    with pytest.raises(CommandError, match="导入失败，未写入任何数据"):
        call_command("import_ledger", path, "--user", "reviewer")
    assert "Sheet1 第3行 总投资(万元): 不是数字 “约3亿”" in capsys.readouterr().err
    assert snapshot() == before
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_missing_file_and_not_a_spreadsheet(city, users, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_ledger", str(tmp_path / "nope.xlsx"), "--user", "reviewer")
    path = _write(tmp_path, b"hello", "a.xlsx")
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_ledger", path, "--user", "reviewer")


def test_create_missing_flag(city, users, tmp_path):
    path = _write(tmp_path, simple_ledger([row(code="C-4", unit="新单位")]))
    with pytest.raises(CommandError):
        call_command("import_ledger", path, "--user", "reviewer", verbosity=0)
    call_command("import_ledger", path, "--create-missing", "--user", "reviewer", verbosity=0)
    assert Project.objects.get(code="C-4").unit.name == "新单位"


def test_exit_code_is_nonzero(city, users, tmp_path, capsys):
    # The command line path (run_from_argv) turns the CommandError into exit status 1.
    from django.core.management import ManagementUtility

    path = _write(tmp_path, b"not excel", "x.xlsx")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_ledger", path, "--user", "reviewer"]).execute()
    assert exc.value.code == 1
    assert "不是Excel表格文件" in capsys.readouterr().err


def test_import_is_recorded_under_the_given_user(client, city, users, tmp_path):
    # given a reviewer with a name, and a file adding one project
    users.reviewer.first_name = "王审核"
    users.reviewer.save()
    path = _write(tmp_path, simple_ledger([row(code="C-9", name="命令行项目")]))

    # when the ledger is imported from the command line as that reviewer
    call_command("import_ledger", path, "--user", "reviewer", verbosity=0)

    # then the batch, the project's history and the plan's history name the reviewer
    batch = ImportBatch.objects.get()
    assert batch.created_by == users.reviewer
    p = Project.objects.get(code="C-9")
    assert p.history.get().history_user == users.reviewer
    assert AnnualPlan.history.get(project_id=p.pk).history_user == users.reviewer
    # and the import list shows the person's name, not "命令行"
    login(client, users.reviewer)
    listing = client.get(reverse("registry:import_list")).text
    assert "王审核" in listing and "命令行" not in listing


def test_os_user_with_an_account_is_the_default(city, users, tmp_path, monkeypatch):
    monkeypatch.setattr(OS_USER, lambda: "reviewer")
    path = _write(tmp_path, simple_ledger([row(code="C-10")]))
    call_command("import_ledger", path, verbosity=0)
    assert ImportBatch.objects.get().created_by == users.reviewer
    assert Project.objects.get(code="C-10").history.get().history_user == users.reviewer


def test_os_user_without_an_account_is_refused_in_chinese(city, users, tmp_path, monkeypatch):
    monkeypatch.setattr(OS_USER, lambda: "deploy")
    path = _write(tmp_path, simple_ledger([row(code="C-11")]))
    before = snapshot()
    with pytest.raises(CommandError, match="没有与当前操作系统用户“deploy”同名的账号.*--user"):
        call_command("import_ledger", path, verbosity=0)
    assert snapshot() == before and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "username,message",
    [("nosuch", "没有用户名为“nosuch”的有效账号"), ("reporter_a", "不是审核员或管理员")],
)
def test_unknown_or_unauthorised_user_is_refused(city, users, tmp_path, username, message):
    path = _write(tmp_path, simple_ledger([row(code="C-12")]))
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("import_ledger", path, "--user", username, verbosity=0)
    assert snapshot() == before and not ImportBatch.objects.exists()


def test_scope_of_the_user_applies(city, users, tmp_path):
    # a county reviewer cannot import another county's rows from the command line either
    path = _write(tmp_path, simple_ledger([row(code="C-13", region="乙区", unit="乙区住建局")]))
    before = snapshot()
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_ledger", path, "--user", "reviewer_a", verbosity=0)
    assert snapshot() == before


def _tracebacks(caplog):
    return [r for r in caplog.records if r.exc_info]


def test_a_bug_during_import_is_one_chinese_line_without_traceback(city, users, tmp_path, caplog):
    from unittest import mock

    path = _write(tmp_path, simple_ledger([row(code="C-9")]))
    target = "registry.management.commands.import_ledger.ledger_import"
    crashed = pytest.raises(CommandError, match="导入出错（系统内部错误）")
    with mock.patch(target, side_effect=RuntimeError("boom")), crashed:
        call_command("import_ledger", path, "--user", "reviewer")
    assert _tracebacks(caplog) == []
    assert "RuntimeError: boom" in caplog.text  # one line for the log
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_database_down_is_a_chinese_message_without_traceback(city, users, tmp_path, caplog):
    from unittest import mock

    from django.db import OperationalError

    path = _write(tmp_path, simple_ledger([row(code="C-8")]))
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    target = "registry.management.commands.import_ledger.Command._importer"
    chinese = pytest.raises(CommandError, match="无法访问数据库（OperationalError: connection")
    with mock.patch(target, side_effect=refused), chinese:
        call_command("import_ledger", path, "--user", "reviewer")
    assert _tracebacks(caplog) == []
