"""The read replica (core/replica.py).

The `replica` test starts its own two PostgreSQL 15 clusters (never the machine's): a primary
on 127.0.0.1:55440 (wal_level=replica, trust incl. replication) and a streaming replica of it
made with `pg_basebackup -R` on 55441, under a temporary directory owned by `postgres` (as
root the binaries run as that user: initdb refuses root). A child process with
DATABASE_URL = the primary and DATABASE_REPLICA_URL = the replica then opens a dashboard
through the router and shows that the connection it read from is in recovery (the replica)
and sees a row written on the primary. Both clusters are stopped and removed at the end.

    DATABASE_URL=postgres://… .venv/bin/python -m pytest -m replica core/tests/test_replica.py
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY_PORT, REPLICA_PORT = 55440, 55441
DB = "replica_check"


def _view_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _view_names(pattern, ns)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_replica_read_url_name_exists():
    """A renamed view would silently read from the primary again: the list must resolve."""
    missing = set(settings.REPLICA_READ_URL_NAMES) - _view_names()
    assert not missing


def test_without_a_replica_url_nothing_changes():
    assert "replica" not in settings.DATABASES or settings.DATABASES["replica"]["TEST"] == {
        "MIRROR": "default"
    }


# --- the streaming replica -------------------------------------------------------------


def _as_postgres(*cmd, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *map(str, cmd)], check=True, capture_output=True, text=True, timeout=180,
        **kwargs,
    )  # fmt: skip


def _configure_primary(data, sockets):
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(
            f"port = {PRIMARY_PORT}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{sockets}'\nwal_level = replica\n"
            "max_wal_senders = 4\nfsync = off\nshared_buffers = 32MB\n"
        )
    with open(data / "pg_hba.conf", "w") as hba:
        hba.write(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            "host replication all 127.0.0.1/32 trust\n"
        )


@pytest.fixture(scope="module")
def clusters():
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 binaries not found in {PG_BIN}")
    base = Path(tempfile.mkdtemp(prefix="replica-test-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica, started = base / "primary", base / "replica", []
    try:
        _as_postgres(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        _configure_primary(primary, base)
        _as_postgres(PG_BIN / "pg_ctl", "-D", primary, "-l", base / "primary.log", "-w", "start")
        started.append(primary)
        _as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", PRIMARY_PORT,
                     "-U", "postgres", "-D", replica, "-R", "-X", "stream")  # fmt: skip
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {REPLICA_PORT}\n")
        _as_postgres(PG_BIN / "pg_ctl", "-D", replica, "-l", base / "replica.log", "-w", "start")
        started.append(replica)
        _as_postgres(PG_BIN / "psql", "-h", "127.0.0.1", "-p", PRIMARY_PORT, "-U", "postgres",
                     "-c", f"CREATE DATABASE {DB}")  # fmt: skip
        server = "postgres://postgres@127.0.0.1"
        yield {
            "primary": f"{server}:{PRIMARY_PORT}/{DB}",
            "replica": f"{server}:{REPLICA_PORT}/{DB}",
        }
    finally:
        for data in reversed(started):
            _as_postgres(PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.replica
def test_dashboard_reads_from_a_streaming_replica(clusters):
    env = dict(
        os.environ,
        DATABASE_URL=clusters["primary"],
        DATABASE_REPLICA_URL=clusters["replica"],
        DJANGO_SETTINGS_MODULE="projects_site.settings_test",
    )
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT,
                   check=True, timeout=600)  # fmt: skip
    out = subprocess.run([sys.executable, __file__], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["dashboard_status"] == 200
    # The dashboard's figures were read on the replica's connection, in recovery…
    assert seen["replica_in_recovery"] is True and seen["default_in_recovery"] is False
    assert seen["dashboard_queries_on_replica"] > 0
    assert seen["dashboard_project_queries_on_default"] == 0
    # …which serves a project written on the primary a moment before.
    assert seen["new_project_on_replica"] is True
    assert seen["writes_went_to"] == "default"


def _child():
    """In the child (Django set up against both clusters): what the router did."""
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # testserver allowed, mail kept in memory

    from core.replica import replica_reads
    from registry.choices import RegionLevel, Role
    from registry.models import Project
    from registry.tests.factories import ProjectFactory, RegionFactory, make_user

    def in_recovery(alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return cursor.fetchone()[0]

    def wait_replayed():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            lsn = cursor.fetchone()[0]
        for _ in range(200):
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.05)
        raise SystemExit("replica did not catch up")

    city = RegionFactory(name="示例市", code="370100", level=RegionLevel.CITY)
    ProjectFactory(region=city, code="2026-RP-0001")
    admin = make_user("replica_admin", Role.ADMIN, region=city)
    wait_replayed()
    client = Client()
    client.force_login(admin)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        status = client.get("/api/dashboard/", secure=True).status_code
    new = ProjectFactory(region=city, code="2026-RP-0002")
    wait_replayed()
    with replica_reads():
        seen_new = Project.objects.filter(code="2026-RP-0002").exists()
        read_from = Project.objects.filter(pk=new.pk).db
    new.name = "改名"
    new.save()
    print(json.dumps({
        "dashboard_status": status,
        "replica_in_recovery": in_recovery("replica"),
        "default_in_recovery": in_recovery("default"),
        "dashboard_queries_on_replica": len(on_replica.captured_queries),
        "dashboard_project_queries_on_default": sum(
            "registry_project" in q["sql"] for q in on_default.captured_queries),
        "new_project_on_replica": seen_new and read_from == "replica",
        "writes_went_to": new._state.db,
    }))  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    _child()
