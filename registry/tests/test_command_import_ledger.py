"""manage.py import_ledger: summary, dry run, bad input exits non-zero in Chinese."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.choices import ImportStatus
from registry.models import ImportBatch, Project
from registry.tests.fixtures.workbooks import row, simple_ledger
from registry.tests.test_ledger_import import snapshot

pytestmark = pytest.mark.django_db


def _write(tmp_path, data, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_prints_summary_and_records_batch(city, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-1", name="命令导入")]))

    call_command("import_ledger", path, "--year", "2026")

    out = capsys.readouterr()
    assert "导入完成：2026年台账，共1行：新增1项，变更0项，未变0项，错误0处" in out.out
    assert "100%" in out.err  # the progress bar
    assert Project.objects.filter(code="C-1", year=2026).exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE and batch.rows_new == 1
    assert batch.file_name == "台账.xlsx"


def test_dry_run_writes_nothing(city, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-2")]))
    before = snapshot()
    call_command("import_ledger", path, "--dry-run")
    assert "预览（未写入）" in capsys.readouterr().out
    assert snapshot() == before


def test_bad_row_exits_nonzero_with_chinese_message(city, tmp_path, capsys):
    path = _write(tmp_path, simple_ledger([row(code="C-3", total="约3亿")]))
    before = snapshot()
    with pytest.raises(CommandError, match="导入失败，未写入任何数据"):
        call_command("import_ledger", path)
    assert "Sheet1 第3行 总投资(万元): 不是数字 “约3亿”" in capsys.readouterr().err
    assert snapshot() == before
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_missing_file_and_not_a_spreadsheet(city, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_ledger", str(tmp_path / "nope.xlsx"))
    path = _write(tmp_path, b"hello", "a.xlsx")
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_ledger", path)


def test_create_missing_flag(city, tmp_path):
    path = _write(tmp_path, simple_ledger([row(code="C-4", unit="新单位")]))
    with pytest.raises(CommandError):
        call_command("import_ledger", path, verbosity=0)
    call_command("import_ledger", path, "--create-missing", verbosity=0)
    assert Project.objects.get(code="C-4").unit.name == "新单位"


def test_exit_code_is_nonzero(city, tmp_path, capsys):
    # The command line path (run_from_argv) turns the CommandError into exit status 1.
    from django.core.management import ManagementUtility

    path = _write(tmp_path, b"not excel", "x.xlsx")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_ledger", path]).execute()
    assert exc.value.code == 1
    assert "不是Excel表格文件" in capsys.readouterr().err
