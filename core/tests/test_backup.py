"""make backup / make restore: a seeded database and its uploaded files round-trip exactly
(on PostgreSQL with pg_dump/pg_restore in .ci/run, on SQLite with its backup API)."""

import io
import json
import stat

import pytest
from django.core.management import CommandError, call_command

from core.backup import table_checksums
from core.cache import generation
from registry.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--projects", "40", "--traceback", stdout=io.StringIO())
    upload = settings.MEDIA_ROOT / "documents" / "批复.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 demo")
    return upload


def test_round_trip_restores_every_table_and_file(seeded, tmp_path, settings):
    # given a seeded database and its checksums
    settings.ASSESS_CACHE_SECONDS = 60
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
    cached_at = generation()
    out = io.StringIO()
    call_command("restore_data", str(tmp_path / "b"), "--yes", stdout=out)

    # then every table has its content back and the uploaded file is there again
    assert "校验一致" in out.getvalue()
    assert table_checksums() == before
    assert seeded.read_bytes() == b"%PDF-1.4 demo"
    assert not Project.objects.filter(name="被误改").exists()
    # and no figure cached before the restore is served after it
    assert generation() != cached_at


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


def test_backup_is_readable_by_its_owner_only(seeded, tmp_path):
    # a backup holds password hashes and sessions
    target = tmp_path / "b"
    call_command("backup_data", "--dir", str(target), stdout=io.StringIO())

    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()}
    assert len(modes) == 3
    assert set(modes.values()) == {0o600}, modes


def _tamper_manifest(target, change):
    path = target / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_backup_that_does_not_verify_replaces_nothing(seeded, tmp_path):
    # given a backup whose dump does not hold what its manifest says
    target = tmp_path / "b"
    call_command("backup_data", "--dir", str(target), stdout=io.StringIO())
    _tamper_manifest(target, lambda m: m["tables"]["registry_project"].update(rows=1))
    # and work done since the backup
    Project.objects.update(name="备份之后的修改")
    seeded.write_bytes(b"%PDF-1.4 edited since")
    before = table_checksums()

    # when it is restored
    with pytest.raises(CommandError, match="registry_project.*未做任何改动"):
        call_command("restore_data", str(target), "--yes", stdout=io.StringIO())

    # then neither the data nor the files were touched
    assert table_checksums() == before
    assert seeded.read_bytes() == b"%PDF-1.4 edited since"
    assert sorted(p.name for p in seeded.parent.parent.parent.iterdir()) == ["b", "media"]


def test_changed_upload_in_backup_replaces_nothing(seeded, tmp_path):
    # given a backup whose archived upload differs from the checksum taken at backup time
    target = tmp_path / "b"
    call_command("backup_data", "--dir", str(target), stdout=io.StringIO())
    _tamper_manifest(target, lambda m: m["media"].update({"documents/批复.pdf": "0" * 64}))
    Project.objects.update(name="备份之后的修改")
    before = table_checksums()

    with pytest.raises(CommandError, match="documents/批复.pdf"):
        call_command("restore_data", str(target), "--yes", stdout=io.StringIO())

    assert table_checksums() == before
    assert seeded.read_bytes() == b"%PDF-1.4 demo"


def test_verify_only_checks_in_a_scratch_database(seeded, tmp_path):
    call_command("backup_data", "--dir", str(tmp_path / "b"), stdout=io.StringIO())
    Project.objects.update(name="备份之后的修改")
    out = io.StringIO()

    call_command("restore_data", str(tmp_path / "b"), "--verify-only", stdout=out)

    assert "完好" in out.getvalue()
    assert Project.objects.exclude(name="备份之后的修改").count() == 0
