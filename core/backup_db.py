"""The database side of backups: one snapshot for the dump and its checksums, a scratch
database to verify a dump in, and the swap into the live database.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot (`pg_export_snapshot()`);
`pg_dump --snapshot` reads that snapshot while the transaction stays open, and the table
checksums are computed in the same transaction, so the dump and the manifest describe the
same instant however many people write meanwhile. SQLite: the online backup API gives a
consistent copy; the checksums are read from that copy, never from the live file.
"""

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections, transaction
from django.db.utils import load_backend

from core.backup_files import BackupError, private_file

# Longest PostgreSQL identifier.
PG_NAME_MAX = 63


@contextlib.contextmanager
def database_alias(name, *, like="default"):
    """A temporary connection alias to database `name` (a PostgreSQL database name or an
    SQLite file), with the settings of `like`: the ORM reads other databases through it.

    The connection is registered for this thread only and settings.DATABASES is left
    alone, so no other code (or thread) ever sees the alias."""
    alias = f"backup_{secrets.token_hex(6)}"
    settings_dict = {**connections[like].settings_dict, "NAME": str(name)}
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args, {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}


def _run(cmd, env, **kwargs):
    done = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode:
        raise BackupError(f"{Path(cmd[0]).name} 执行失败：{done.stderr.strip()[:500]}")


def snapshot_dump(target: Path, *, using: str, checksums) -> tuple[str, dict]:
    """Dump database `using` into `target` and return (file name, checksums), both read
    from one snapshot. `checksums(alias)` computes the table checksums on a connection."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        return "db.dump", _pg_snapshot_dump(target / "db.dump", conn, checksums)
    if conn.vendor == "sqlite":
        return "db.sqlite3", _sqlite_copy(target / "db.sqlite3", conn, checksums)
    raise BackupError(f"不支持的数据库：{conn.vendor}")


def _pg_snapshot_dump(path: Path, conn, checksums) -> dict:
    db = conn.settings_dict
    args, env = _pg_args(db)
    # A connection of its own: the caller's may already be inside a transaction, and the
    # isolation level can only be set as a transaction's first statement.
    with database_alias(db["NAME"], like=conn.alias) as alias:
        snap = connections[alias]
        snap.ensure_connection()
        with transaction.atomic(using=alias), snap.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            with private_file(path) as fh:
                _run(["pg_dump", "-Fc", f"--snapshot={snapshot}", *args, "-d", db["NAME"]],
                     env, stdout=fh)  # fmt: skip
            # Still the same transaction, hence the snapshot pg_dump has just read.
            return checksums(alias)


def _sqlite_copy(path: Path, conn, checksums) -> dict:
    conn.ensure_connection()
    with private_file(path):
        pass  # created 0600 before SQLite writes into it
    dest = sqlite3.connect(path)
    with dest:
        conn.connection.backup(dest)
    dest.close()
    with database_alias(path, like=conn.alias) as alias:
        return checksums(alias)


@contextlib.contextmanager
def scratch_copy(dump: Path, *, using: str, workdir: Path):
    """The dump restored into a new database of a unique name; yields its alias. The
    database (or file) is removed afterwards whatever happens."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        with _pg_scratch(dump, conn) as alias:
            yield alias
    else:
        copy = workdir / f"scratch-{secrets.token_hex(4)}.sqlite3"
        with private_file(copy) as fh, open(dump, "rb") as src:
            shutil.copyfileobj(src, fh)
        try:
            with database_alias(copy, like=using) as alias:
                yield alias
        finally:
            copy.unlink(missing_ok=True)


def _admin_sql(conn, sql):
    # CREATE/DROP DATABASE cannot run in a transaction nor on the database they name.
    with conn._nodb_cursor() as cursor:
        cursor.execute(sql)


@contextlib.contextmanager
def _pg_scratch(dump: Path, conn):
    base = conn.settings_dict["NAME"][:36]
    name = f"{base}_restore_{os.getpid()}_{secrets.token_hex(3)}"[:PG_NAME_MAX]
    try:
        _admin_sql(conn, f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    except Exception as exc:
        raise BackupError(f"无法创建临时校验数据库 {name}（需要 CREATEDB 权限）：{exc}") from exc
    try:
        args, env = _pg_args(conn.settings_dict)
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args,
              "-d", name, str(dump)], env)  # fmt: skip
        with database_alias(name, like=conn.alias) as alias:
            yield alias
    finally:
        _admin_sql(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def replace_database(dump: Path, *, using: str) -> None:
    """Put the (already verified) dump in place of database `using`'s content.

    PostgreSQL: pg_restore --clean in ONE transaction. Either every table is replaced or,
    on any error, the database stays exactly as it was. Other processes' connections may
    stay open: their queries wait for the commit, then read the restored data. (Renaming
    databases would need every other connection terminated first, and would lose the
    database's grants and settings.) SQLite: the backup API copies the verified file into
    the live database under one lock."""
    conn = connections[using]
    conn.close()
    if conn.vendor == "postgresql":
        args, env = _pg_args(conn.settings_dict)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
              "--single-transaction", *args, "-d", conn.settings_dict["NAME"], str(dump)],
             env)  # fmt: skip
    else:
        conn.ensure_connection()
        src = sqlite3.connect(dump)
        try:
            src.backup(conn.connection)
        finally:
            src.close()
