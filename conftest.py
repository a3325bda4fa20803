"""Shared fixtures: a small city (市 → 2 县区 → 乡镇) and one user per role."""

import pytest

from registry.choices import RegionLevel, Role
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    UnitFactory,
    make_user,
)


@pytest.fixture
def city(db):
    """市 with two counties A and B; A has a town. Returns a namespace of the pieces."""

    class City:
        pass

    c = City()
    c.city = RegionFactory(name="示例市", code="370100", level=RegionLevel.CITY)
    c.county_a = RegionFactory(name="甲县", code="370102", level=RegionLevel.COUNTY, parent=c.city)
    c.county_b = RegionFactory(name="乙区", code="370103", level=RegionLevel.COUNTY, parent=c.city)
    c.town_a = RegionFactory(
        name="甲县城关镇", code="370102001", level=RegionLevel.TOWN, parent=c.county_a
    )
    c.unit_a = UnitFactory(name="甲县发改局", region=c.county_a)
    c.unit_b = UnitFactory(name="乙区住建局", region=c.county_b)
    c.unit_city = UnitFactory(name="市交通局", region=c.city)
    c.project_a = ProjectFactory(name="甲县项目", region=c.county_a, unit=c.unit_a)
    c.project_town = ProjectFactory(name="甲县城关镇项目", region=c.town_a, unit=c.unit_a)
    c.project_b = ProjectFactory(name="乙区项目", region=c.county_b, unit=c.unit_b)
    # A city-unit project located in county B: visible to the city unit's clerk via the unit.
    c.project_city_unit = ProjectFactory(
        name="市交通局乙区道路", region=c.county_b, unit=c.unit_city
    )
    for p in (c.project_a, c.project_town, c.project_b, c.project_city_unit):
        AnnualPlanFactory(project=p)
    return c


@pytest.fixture
def users(city):
    class Users:
        pass

    u = Users()
    u.reporter_a = make_user("reporter_a", Role.REPORTER, region=city.county_a)
    u.reporter_b = make_user("reporter_b", Role.REPORTER, region=city.county_b)
    u.unit_clerk = make_user("unit_clerk", Role.REPORTER, unit=city.unit_city)
    u.reviewer = make_user("reviewer", Role.REVIEWER, region=city.city)
    u.reviewer_a = make_user("reviewer_a", Role.REVIEWER, region=city.county_a)
    u.leader_city = make_user("leader_city", Role.LEADER, region=city.city)
    u.leader_b = make_user("leader_b", Role.LEADER, region=city.county_b)
    u.admin = make_user("city_admin", Role.ADMIN, region=city.city)
    u.nobody = make_user("nobody")
    return u


def login(client, user):
    client.force_login(user)
    return client


def audit_rows(html):
    """The 变更记录 table of a project page as lists of cell texts (时间, 操作人, 对象, 操作, 内容)."""
    import re

    table = re.search(r'<table[^>]*id="audit-history".*?</table>', html, re.S).group(0)
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in cells])
    return rows


@pytest.fixture
def real_celery_worker(transactional_db, settings):
    """Start a real Celery worker on Redis against the test database; stop it afterwards.

    Only for tests marked `celery_worker` (run by .ci/run with REDIS_URL and PostgreSQL).
    Data must be committed (transactional_db) for the worker process to see it.
    """
    import subprocess

    proc = start_celery(settings)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def start_celery(settings, *command, extra_env=None, celery_app="projects_site", own_group=False):
    """A real Celery process (a worker unless `command` says e.g. "beat") on REDIS_URL against
    the test database, once it answers; the caller stops it. Needs PostgreSQL and Redis.
    `own_group`: the process leads its own process group, so a test can kill the whole
    worker (parent and pool children) without touching pytest."""
    import os
    import subprocess
    import sys
    import time

    from django.db import connection

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("REDIS_URL 未设置：真实 Celery worker 测试需要 Redis")
    if connection.vendor != "postgresql":
        pytest.fail("真实 Celery worker 测试需要 PostgreSQL（worker 进程看不到 SQLite 内存测试库）")
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="projects_site.settings_test",
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **(extra_env or {}),
    )
    command = command or ("worker", "--pool=solo", "--without-gossip", "--without-mingle",
                          "--without-heartbeat")  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", celery_app, *command, "--loglevel=INFO"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=own_group,
    )
    if command[0] != "worker":
        return proc
    from projects_site.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("Celery worker 启动失败:\n" + proc.stdout.read())
        try:
            # A fresh connection: a pooled one may point at a Redis an earlier test restarted.
            with app.connection_for_write() as conn:
                if app.control.ping(timeout=1.0, connection=conn):
                    return proc
        except Exception:
            time.sleep(0.5)
    proc.terminate()
    pytest.fail("Celery worker 60秒内未就绪")
