"""make backup / make restore: a seeded database and its uploaded files round-trip exactly
(on PostgreSQL with pg_dump/pg_restore in .ci/run, on SQLite with its backup API)."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry.backup import table_checksums
from registry.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--projects", "40", stdout=io.StringIO())
    upload = settings.MEDIA_ROOT / "documents" / "批复.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 demo")
    return upload


def test_round_trip_restores_every_table_and_file(seeded, tmp_path):
    # given a seeded database and its checksums
    before = table_checksums()
    assert before["registry_project"]["rows"] >= 40
    out = io.StringIO()
    call_command("backup_data", "--dir", str(tmp_path / "b"), stdout=out)
    assert "已备份到" in out.getvalue()

    # when the data and files are damaged after the backup
    Project.objects.update(name="被误改")
    seeded.unlink()
    assert table_checksums()["registry_project"] != before["registry_project"]

    # and the backup is restored
    out = io.StringIO()
    call_command("restore_data", str(tmp_path / "b"), "--yes", stdout=out)

    # then every table has its content back and the uploaded file is there again
    assert "校验一致" in out.getvalue()
    assert table_checksums() == before
    assert seeded.read_bytes() == b"%PDF-1.4 demo"
    assert not Project.objects.filter(name="被误改").exists()


def test_damaged_backup_is_refused_and_nothing_changes(seeded, tmp_path):
    call_command("backup_data", "--dir", str(tmp_path / "b"), stdout=io.StringIO())
    dump = next(p for p in (tmp_path / "b").iterdir() if p.name.startswith("db."))
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    Project.objects.update(name="备份之后的修改")

    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore_data", str(tmp_path / "b"), "--yes", stdout=io.StringIO())

    assert Project.objects.exclude(name="备份之后的修改").count() == 0


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_data", str(tmp_path), stdout=io.StringIO())
