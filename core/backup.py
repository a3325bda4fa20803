"""Backup and restore of the whole system: the database and the uploaded files.

A backup is a directory (mode 0700, files 0600) holding the database (pg_dump custom format
on PostgreSQL, an SQLite copy made with SQLite's online backup API otherwise), the media
files as a tar.gz, and manifest.json: sha256 of each backup file and of each uploaded file,
plus a checksum of every table's content read from the same snapshot as the dump
(core.backup_db). People may keep working while it runs.

A restore replaces nothing until the backup has proved good: the files are checked against
the manifest, the dump is restored into a scratch database of a unique name whose tables
must all match the manifest, and the uploaded files are extracted beside the media
directory and checked file by file. Only then are the database and the files swapped in.
"""

import datetime
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

from core.backup_db import replace_database, scratch_copy, snapshot_dump
from core.backup_files import (
    MEDIA_TAR,
    BackupError,
    archive_media,
    private_dir,
    private_file,
    sha256_of,
    stage_media,
    swap_media,
)
from core.signals import rows_written

__all__ = ["BackupError", "backup", "read_manifest", "restore", "table_checksums"]

MANIFEST = "manifest.json"


def table_checksums(using="default") -> dict[str, dict]:
    """Row count and content hash of every model table, in primary-key order."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        rows = model._base_manager.using(using).order_by("pk").values_list(*fields)
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
            count += 1
        result[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def differing_tables(expected: dict, using: str) -> list[str]:
    got = table_checksums(using)
    return sorted(t for t, v in expected.items() if got.get(t) != v)


def backup(target: Path, *, using="default") -> dict:
    """Write a backup into the (new or empty) directory `target`; return the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 不是空目录")
    private_dir(target)
    vendor = connections[using].vendor
    # The database snapshot first: every file a row of it names exists by then and is
    # archived below unless deleted meanwhile (uploads are kept, not deleted, in practice).
    db_file, tables = snapshot_dump(target, using=using, checksums=table_checksums)
    media_hashes = archive_media(Path(settings.MEDIA_ROOT), target)
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": vendor,
        "files": {name: sha256_of(target / name) for name in (db_file, MEDIA_TAR)},
        "media": media_hashes,
        "tables": tables,
    }
    with private_file(target / MANIFEST) as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest of a backup whose files are all present and unchanged."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} 不是有效的备份（缺少或无法读取 {MANIFEST}）") from exc
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists() or sha256_of(path) != expected:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符），未做任何恢复")
    return manifest


def verify(source: Path, *, using="default") -> dict:
    """Restore the backup into a scratch database and compare every table with the
    manifest, touching nothing else. Returns the manifest; raises BackupError."""
    source = Path(source)
    manifest = read_manifest(source)
    _check_vendor(manifest, using)
    dump = _dump_of(source, manifest)
    with (
        tempfile.TemporaryDirectory(prefix="restore-") as work,
        scratch_copy(dump, using=using, workdir=Path(work)) as alias,
    ):
        wrong = differing_tables(manifest["tables"], alias)
    if wrong:
        raise BackupError(f"备份的数据表与清单不一致：{'、'.join(wrong[:10])}，未做任何恢复")
    return manifest


def restore(source: Path, *, using="default", media_root: Path | None = None) -> dict:
    """Replace the database `using` and the media directory with a verified backup.

    Returns the manifest plus "changed_since": tables that differ from the backup right
    after the swap (someone wrote meanwhile: the restore itself was verified before)."""
    source = Path(source)
    manifest = read_manifest(source)
    _check_vendor(manifest, using)
    media = Path(media_root or settings.MEDIA_ROOT)
    staging = stage_media(source / MEDIA_TAR, media, manifest.get("media"))
    try:
        with tempfile.TemporaryDirectory(prefix="restore-") as work:
            dump = _dump_of(source, manifest)
            with scratch_copy(dump, using=using, workdir=Path(work)) as alias:
                wrong = differing_tables(manifest["tables"], alias)
            if wrong:
                raise BackupError(
                    f"备份恢复到临时数据库后以下数据表与清单不一致：{'、'.join(wrong[:10])}；"
                    "当前数据与上传文件未做任何改动"
                )
            replace_database(dump, using=using)
        # Every cached figure describes the data before the restore.
        rows_written.send(sender=None)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_media(staging, media)
    return {**manifest, "changed_since": differing_tables(manifest["tables"], using)}


def _check_vendor(manifest: dict, using: str) -> None:
    vendor = connections[using].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {vendor}")


def _dump_of(source: Path, manifest: dict) -> Path:
    name = next(n for n in manifest["files"] if n.startswith("db."))
    return source / name
