"""Two ledger imports of the same file at once.

One import per year at a time (core.locks): the loser is told
"另一个导入正在进行，请稍后再试" (or, arriving after the winner committed, finds nothing left
to change); never duplicate history or contract records, never a traceback or English text.
"""

import io
import os
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.urls import reverse

from core.locks import IMPORT_BUSY, ImportBusyError
from registry import ledger_import as ledger_import_module
from registry.choices import ImportKind, ImportStatus
from registry.ledger_import import LedgerImporter, ledger_import, ledger_import_batch
from registry.models import ContractAssignment, ImportBatch, Project
from registry.tests.factories import UnitFactory
from registry.tests.fixtures.workbooks import row, simple_ledger
from registry.tests.races import postgresql_only, postgresql_processes_only, run_together
from registry.tests.test_ledger_import import snapshot

CHANGED, MOVED, NEW = 40, 10, 5


def _base_rows():
    return [row(code=f"R-{i:03d}", name=f"竞态项目{i}") for i in range(CHANGED)]


def _change_file():
    """40 projects renamed (10 of them moved to another unit) and 5 new ones."""
    rows = [
        row(code=f"R-{i:03d}", name=f"竞态项目{i}（更名）", unit="甲县住建局" if i < MOVED else "甲县发改局")
        for i in range(CHANGED)
    ]  # fmt: skip
    rows += [row(code=f"N-{i:03d}", name=f"新增项目{i}") for i in range(NEW)]
    return simple_ledger(rows)


@pytest.fixture
def ledger(city):
    """40 imported projects of 甲县, committed; returns the change file's bytes."""
    UnitFactory(name="甲县住建局", region=city.county_a)
    base = ledger_import(simple_ledger(_base_rows()), file_name="base.xlsx", dry_run=False)
    assert base.applied and len(base.new) == CHANGED
    return _change_file()


def _counts():
    return Project.history.count(), ContractAssignment.objects.count(), Project.objects.count()


def _assert_applied_once(before):
    history, contracts, projects = before
    # one history row per changed or created project; one contract record per moved or new
    assert Project.history.count() == history + CHANGED + NEW
    assert ContractAssignment.objects.count() == contracts + MOVED + NEW
    assert Project.objects.count() == projects + NEW
    assert Project.objects.filter(name__endswith="（更名）").count() == CHANGED


# ------------------------------------------------------------------ the loser's messages


@pytest.mark.django_db
def test_busy_import_fails_in_chinese_on_the_command_line(ledger, users, tmp_path, monkeypatch):
    # given another import of 2026 holds the lock
    def held(name, year):
        raise ImportBusyError

    monkeypatch.setattr(ledger_import_module, "lock_import_year", held)
    path = tmp_path / "变更.xlsx"
    path.write_bytes(ledger)
    before = snapshot()
    # when the command runs: a Chinese message and a non-zero exit, nothing written
    with pytest.raises(CommandError, match=IMPORT_BUSY):
        call_command(
            "import_ledger", str(path), "--year", "2026", "--user", "reviewer", verbosity=0
        )
    assert snapshot() == before
    batch = ImportBatch.objects.get(file_name="变更.xlsx")
    assert batch.status == ImportStatus.FAILED and batch.error == IMPORT_BUSY


@pytest.mark.django_db
def test_busy_import_batch_ends_failed_with_the_message(ledger, users, monkeypatch, client):
    def held(name, year):
        raise ImportBusyError

    monkeypatch.setattr(ledger_import_module, "lock_import_year", held)
    batch = ImportBatch(
        kind=ImportKind.LEDGER,
        file_name="变更.xlsx",
        year=2026,
        dry_run=False,
        status=ImportStatus.QUEUED,
        created_by=users.reviewer,
    )
    batch.file.save("变更.xlsx", io.BytesIO(ledger), save=False)
    batch.save()
    before = snapshot()

    batch = ledger_import_batch(batch_id=batch.pk)

    assert batch.status == ImportStatus.FAILED and batch.error == IMPORT_BUSY
    assert snapshot() == before
    client.force_login(users.reviewer)
    page = client.get(reverse("registry:import_detail", args=[batch.pk]))
    assert page.status_code == 200 and IMPORT_BUSY in page.content.decode()


@pytest.mark.django_db
def test_integrity_error_during_import_is_a_chinese_message(ledger, monkeypatch):
    def clash(self, *args, **kwargs):
        raise IntegrityError(
            'duplicate key value violates unique constraint "registry_project_code_key"'
        )

    monkeypatch.setattr(LedgerImporter, "_write", clash)
    before = snapshot()

    result = ledger_import(ledger, file_name="变更.xlsx", dry_run=False)

    assert not result.applied and snapshot() == before
    assert result.errors == [ledger_import_module.MSG_CONFLICT]
    assert "duplicate" not in " ".join(result.errors)


# ------------------------------------------------------------------ real races (PostgreSQL)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_apply_it_once(ledger):
    # given the change file, and each run pausing after its diff (lock held) until the other
    # run has finished: without a lock both would diff the old data and both write
    before = _counts()
    finished = [threading.Event(), threading.Event()]

    def run(i):
        def progress(fraction, text=""):
            if text == "检查完成":
                finished[1 - i].wait(timeout=10)

        try:
            return ledger_import(ledger, file_name="变更.xlsx", dry_run=False, progress=progress)
        finally:
            finished[i].set()

    # when both start at the same instant
    outcomes = run_together(lambda: run(0), lambda: run(1))

    # then one applied 40 changes and 5 new projects, the other was told to wait
    results = [result for result, exc in outcomes]
    assert [exc for _r, exc in outcomes] == [None, None]
    winners = [r for r in results if r.applied]
    losers = [r for r in results if not r.applied]
    assert len(winners) == 1 and len(losers) == 1
    assert (len(winners[0].changed), len(winners[0].new)) == (CHANGED, NEW)
    assert losers[0].busy and losers[0].errors == [IMPORT_BUSY]
    _assert_applied_once(before)


@postgresql_processes_only
@pytest.mark.django_db(transaction=True)
def test_two_import_ledger_commands_at_once(ledger, users, tmp_path, settings):
    # given the change file and two shells running `manage.py import_ledger` on it
    path = tmp_path / "变更.xlsx"
    path.write_bytes(ledger)
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="projects_site.settings_test",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    command = [sys.executable, "manage.py", "import_ledger", str(path), "--year", "2026"]
    command += ["--user", "reviewer"]
    before = _counts()

    # when both start together
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [(p.wait(timeout=120), *p.communicate()) for p in procs]

    # then one imported the change; the other was refused, or (if it came after) found it done
    for code, _out, err in outputs:
        assert "Traceback" not in err and "duplicate key" not in err
        assert code == 0 or (code == 1 and IMPORT_BUSY in err), err
    summaries = sorted(out for code, out, _ in outputs if code == 0)
    assert any(f"新增{NEW}项，变更{CHANGED}项" in out for out in summaries)
    assert all(
        f"新增{NEW}项，变更{CHANGED}项" in out or "新增0项，变更0项" in out for out in summaries
    )
    _assert_applied_once(before)
