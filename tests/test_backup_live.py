"""A backup taken while people work restores cleanly, as of one instant (PostgreSQL).

A writer thread signs in through the login page (session, last-login and access-log rows)
and files monthly reports, each on its own database connection, before, during and after
`backup_data`. The backup is then restored into a fresh database: every table must match
the manifest (no "不一致"), and the restored reports must be exactly the writer's first k
reports for some k between what was committed before the backup started and after it
ended — one instant, not the state after the backup, nor a mix.
"""

import datetime
import io
import secrets
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.backup import restore, table_checksums
from core.backup_db import database_alias
from milestones import services
from milestones.models import ProgressReport
from registry.models import Project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump --snapshot: a consistent live backup needs PostgreSQL",
    ),
]

WRITER = "tb_lj"


def _next_reports(year, month_now):
    """(project id, month) pairs the writer can file in order: for each project the months
    after its last contiguous report, so year-to-date is always derivable."""
    pairs = []
    for project in Project.objects.order_by("pk"):
        done = set(
            ProgressReport.objects.filter(project=project, year=year).values_list(
                "month", flat=True
            )
        )
        month = 1
        while month in done:
            month += 1
        pairs += [(project.pk, m) for m in range(month, month_now + 1) if m not in done]
    return pairs


class Writer(threading.Thread):
    """Signs in and files one draft report per round until stopped; `filed` lists the
    report ids in commit order."""

    def __init__(self, pairs, year):
        super().__init__(daemon=True)
        self.pairs, self.year = pairs, year
        self.filed, self.errors = [], []
        self.stop = threading.Event()

    def run(self):
        try:
            user = get_user_model().objects.get(username=WRITER)
            for project_id, month in self.pairs:
                if self.stop.is_set():
                    break
                client = Client()
                response = client.post("/login/", {"username": WRITER, "password": "Demo@2026"})
                assert response.status_code == 302, response.status_code
                report = services.report_create(
                    project=Project.objects.get(pk=project_id),
                    year=self.year,
                    month=month,
                    data={"progress_text": f"备份期间填报 {month} 月"},
                    user=user,
                )
                self.filed.append(report.pk)
        except Exception as exc:  # the main thread reports it
            self.errors.append(exc)
        finally:
            connection.close()

    def wait_for(self, count, timeout=60):
        deadline = timezone.now() + datetime.timedelta(seconds=timeout)
        while len(self.filed) < count and not self.errors and timezone.now() < deadline:
            threading.Event().wait(0.05)
        assert not self.errors, self.errors
        assert len(self.filed) >= count, f"writer filed only {len(self.filed)}"


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME'][:30]}_fresh_{secrets.token_hex(4)}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        with database_alias(name) as alias:
            yield alias
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_while_people_work_restores_one_instant(settings, tmp_path, fresh_database):
    # given the demo city and a reporter who keeps signing in and filing reports
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--projects", "40", stdout=io.StringIO())
    today = timezone.localdate()
    writer = Writer(_next_reports(today.year, today.month), today.year)
    assert len(writer.pairs) > 60
    writer.start()
    writer.wait_for(3)

    # when a backup is taken while the writer works
    before = len(writer.filed)
    call_command("backup_data", "--dir", str(tmp_path / "b"), stdout=io.StringIO())
    after = len(writer.filed)
    writer.wait_for(after + 3)
    writer.stop.set()
    writer.join(30)
    assert not writer.errors, writer.errors
    assert after > before, "no report was filed while the backup ran: the test proves nothing"
    live = table_checksums()

    # and restored into a fresh database
    restored = restore(tmp_path / "b", using=fresh_database, media_root=tmp_path / "restored")

    # then every table matched the manifest before and after the swap
    assert restored["changed_since"] == []
    assert table_checksums(fresh_database) == restored["tables"]
    # and the restored reports are the writer's first k: one instant inside the backup
    ids = set(
        ProgressReport.objects.using(fresh_database)
        .filter(pk__in=writer.filed)
        .values_list("pk", flat=True)
    )
    k = len(ids)
    assert ids == set(writer.filed[:k])
    assert before <= k <= after
    # not the state after the backup: the reports filed since are missing from it
    assert k < len(writer.filed)
    assert live["milestones_progressreport"] != restored["tables"]["milestones_progressreport"]
