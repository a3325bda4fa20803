"""Stored files no row names (an upload whose save rolled back, a database cut mid-save) are
removed by a nightly job; files rows name, young files and other folders are kept."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django_celery_beat.models import PeriodicTask

from core.export_jobs import export_job_create
from core.files import sweep_orphan_files
from registry.choices import ExportKind, ImportKind
from registry.models import ImportBatch
from registry.tests.fixtures.media import stored_files

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _age(root, name, seconds):
    path = root / name
    past = time.time() - seconds
    os.utime(path, (past, past))


def _orphan(root, name):
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(b"left behind")


def test_old_orphans_go_and_everything_else_stays(city, users, private_media):
    # given a file an import batch names, and one an export names
    batch = ImportBatch(kind=ImportKind.LEDGER, file_name="台账.xlsx", created_by=users.reviewer)
    batch.file.save("台账.xlsx", ContentFile(b"xlsx"))
    job = export_job_create(user=users.reviewer, kind=ExportKind.LEDGER, params="", rows_total=1)
    job.file.save("导出.xlsx", ContentFile(b"xlsx"))
    # and files no row names: two days old, and a minute old (its row may be committing)
    _orphan(private_media, "imports/0123456789abcdef0123456789abcdef.xlsx")
    _orphan(private_media, "exports/fedcba9876543210fedcba9876543210.xlsx")
    _orphan(private_media, "imports/young.xlsx")
    # and a file in a folder no file field uses
    _orphan(private_media, "notes/readme.txt")
    for name in stored_files(private_media):
        _age(private_media, name, 2 * DAY)
    _age(private_media, "imports/young.xlsx", 60)

    # when the nightly job runs
    deleted = sweep_orphan_files()

    # then only the old orphans are gone
    assert sorted(deleted) == [
        "exports/fedcba9876543210fedcba9876543210.xlsx",
        "imports/0123456789abcdef0123456789abcdef.xlsx",
    ]
    assert stored_files(private_media) == sorted(
        [batch.file.name, job.file.name, "imports/young.xlsx", "notes/readme.txt"]
    )


def test_the_orphan_sweep_runs_nightly_from_beat():
    task = PeriodicTask.objects.get(task="registry.sweep_orphan_files")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("3", "30")
