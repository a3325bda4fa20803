"""Backup and restore of the whole system: the database and the uploaded files.

A backup is a directory holding the database (pg_dump custom format on PostgreSQL, an
SQLite copy made with SQLite's online backup API otherwise), the media files as a tar.gz,
and manifest.json: sha256 of each file plus a checksum of every table's content. A restore
checks the files against the manifest before touching anything, restores, then recomputes
the table checksums and refuses to report success unless they all match.
"""

import datetime
import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(cmd, env):
    import os

    done = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{cmd[0]} 执行失败：{done.stderr.strip()[:500]}")


def backup(target: Path, *, using="default") -> dict:
    """Write a backup into the (new or empty) directory `target`; return the manifest."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 不是空目录")
    conn = connections[using]
    db = conn.settings_dict
    if conn.vendor == "postgresql":
        args, env = _pg_args(db)
        _run(["pg_dump", "-Fc", *args, "-d", db["NAME"], "-f", str(target / "db.dump")], env)
        db_file = "db.dump"
    elif conn.vendor == "sqlite":
        conn.ensure_connection()
        dest = sqlite3.connect(target / "db.sqlite3")
        with dest:
            conn.connection.backup(dest)
        dest.close()
        db_file = "db.sqlite3"
    else:
        raise BackupError(f"不支持的数据库：{conn.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_TAR, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": conn.vendor,
        "files": {name: _sha256(target / name) for name in (db_file, MEDIA_TAR)},
        "tables": table_checksums(using),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(source: Path) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} 不是有效的备份（缺少或无法读取 {MANIFEST}）") from exc
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != expected:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符），未做任何恢复")
    return manifest


def restore(source: Path, *, using="default", media_root: Path | None = None) -> dict:
    """Restore a backup into the database `using` (replacing its content) and the media
    directory; verify every table against the manifest. Returns the manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    conn = connections[using]
    if manifest["vendor"] != conn.vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {conn.vendor}")
    db = conn.settings_dict
    conn.close()
    if conn.vendor == "postgresql":
        args, env = _pg_args(db)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, "-d", db["NAME"], str(source / "db.dump")], env)  # fmt: skip
    else:
        conn.ensure_connection()
        src = sqlite3.connect(source / "db.sqlite3")
        src.backup(conn.connection)
        src.close()
    media = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(source / MEDIA_TAR, "r:gz") as tar:
        staging = media.parent / f".{media.name}.restoring"
        shutil.rmtree(staging, ignore_errors=True)
        tar.extractall(staging, filter="data")
        if media.exists():
            shutil.rmtree(media)
        restored = staging / "media"
        if restored.exists():
            restored.rename(media)
        else:
            media.mkdir(parents=True)
        shutil.rmtree(staging, ignore_errors=True)
    got = table_checksums(using)
    wrong = sorted(t for t, v in manifest["tables"].items() if got.get(t) != v)
    if wrong:
        raise BackupError(f"恢复后以下数据表与备份不一致：{'、'.join(wrong[:10])}")
    return manifest
