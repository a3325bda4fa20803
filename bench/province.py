"""Province scale: every figure page, the monthly report and one month's assessment.

    .venv/bin/python bench/province.py [--projects 200000] [--cities 10]
                                       [--reuse NAME | --db NAME [--keep]] [--timeout 300]

Seeds `seed_demo --projects N --cities C` (a 省 above C cities, 江州市 the first) into a
PostgreSQL database of a unique name (`bench_province_<pid>_<random>`) that it creates and
drops at the end (`--keep` keeps it for `--reuse NAME`; see deploy/scratch_db.py); then, in
one child process with production settings (DEBUG off, a local memory cache):

- every figure page and API for the whole province, as `admin` (the root region) and as
  `leader_lj` (one county): the figure cache cleared before each request ("fresh"), then the
  same request again ("warm"), with its number of SQL statements;
- the whole-province monthly report workbook (reports.build, the last closed month);
- one month's `assess` for every project (assessments.services.assess_month).

`--projects 20000 --cities 1` measures the city the same way. A request over --timeout
seconds is stopped and shown as such. Prints one markdown table and the load average.
"""

import argparse
import functools
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import ScratchDatabase, add_arguments  # noqa: E402

PAGES = [
    "/",
    "/projects/",
    "/projects/?q=公路",
    "/assessments/dashboard/",
    "/assessments/dashboard/screen/",
    "/api/dashboard/",
    "/api/dashboard/charts/",
    "/api/dashboard/map/",
    "/assessments/scores/",
    "/api/scores/",
    "/assessments/forecast/",
    "/api/forecast/",
    "/assessments/records/",
    "/reports/bulletin/",
    *(f"/assessments/lists/{k}/" for k in
      ("warning", "lagging", "unstarted", "milestones", "problems", "unregistered")),
    "/milestones/todo/",
    "/milestones/review/",
]  # fmt: skip
ROLES = ["admin", "leader_lj"]


class OverTimeError(Exception):
    pass


def _alarm(_signum, _frame):
    raise OverTimeError


def timed(fn, limit):
    """(seconds, result) of fn(), or (None, None) past `limit` seconds."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    t = time.perf_counter()
    try:
        result = fn()
    except OverTimeError:
        _drop_connection()  # the alarm may have cut a query mid-flight
        return None, None
    finally:
        signal.alarm(0)
    return time.perf_counter() - t, result


class Counter:
    """Statements sent, counted at the connection (a request resets the debug query log)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.n


def counted(fn, limit):
    """(seconds, result, statements) of fn() within `limit` seconds."""
    from django.db import connection

    counter = Counter()
    with connection.execute_wrapper(counter):
        seconds, result = timed(fn, limit)
    return seconds, result, len(counter)


def _drop_connection():
    from django.db import connection

    try:
        if connection.connection is not None:
            connection.connection.cancel_safe()
    except Exception:  # noqa: BLE001 - a broken connection is closed below either way
        pass
    try:
        connection.close()
    except Exception:  # noqa: BLE001
        connection.connection = None


def child(limit):
    """In the child (Django set up on the seeded database): JSON lines of measurements."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    def emit(**row):
        print(json.dumps(row, ensure_ascii=False), flush=True)

    for login in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=login))
        for url in PAGES:
            cache.clear()
            get = functools.partial(client.get, url, secure=True)
            fresh, response, queries = counted(get, limit)
            warm = timed(get, limit)[0] if fresh else None
            status = response.status_code if response is not None else "timeout"
            emit(what=url, role=login, fresh=fresh, warm=warm, status=status, queries=queries)
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    _report(emit, limit, year, month)
    _assess(emit, limit, year, month)


def _report(emit, limit, year, month):

    from reports import build
    from reports.models import ReportRun

    run = ReportRun(kind="monthly", period=f"{year}-{month:02d}")
    seconds, result, queries = counted(lambda: build.build_workbook(run), limit)
    if result:
        os.unlink(result[0])
    emit(what=f"monthly report {year}-{month:02d} (workbook)", role="—", fresh=seconds,
         warm=None, status="ok" if seconds else "timeout", queries=queries)  # fmt: skip


def _assess(emit, limit, year, month):

    from assessments.services import assess_month

    seconds, _, queries = counted(lambda: assess_month(year=year, month=month), limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(what=f"assess {year}-{month:02d} (every project)", role="—", fresh=seconds, warm=None,
         status=f"peak {peak:.0f} MiB" if seconds else "timeout", queries=queries)  # fmt: skip


def ms(value):
    return "—" if value is None else f"{value * 1000:,.0f}"


def main():
    if sys.argv[1:2] == ["--child"]:
        return child(int(sys.argv[2]))
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200000)
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--timeout", type=int, default=300, help="每个请求的上限（秒）")
    add_arguments(parser, "bench_province")
    args = parser.parse_args()
    with ScratchDatabase.from_args(args, "bench_province") as db:
        env = dict(os.environ, DATABASE_URL=db.url, DEBUG="false", LOG_LEVEL="ERROR",
                   SECRET_KEY="bench-only-secret-key", ALLOWED_HOSTS="testserver",
                   DJANGO_SETTINGS_MODULE="projects_site.settings", SECURE_SSL_REDIRECT="false",
                   CACHE_URL="locmemcache://")  # fmt: skip
        env.pop("REDIS_URL", None)  # tasks a page dispatches run in-process
        env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="bench-province-static-")
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env,
                       cwd=ROOT, check=True)  # fmt: skip
        if not db.reuse:
            t = time.perf_counter()
            subprocess.run([py, "manage.py", "seed_demo", "--projects", str(args.projects),
                            "--cities", str(args.cities)], env=env, cwd=ROOT, check=True)  # fmt: skip
            print(f"seed_demo --projects {args.projects} --cities {args.cities}: "
                  f"{time.perf_counter() - t:.1f} s", flush=True)  # fmt: skip
        load_before = os.getloadavg()[0]
        proc = subprocess.Popen([py, __file__, "--child", str(args.timeout)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)  # fmt: skip
        rows = []
        for line in proc.stdout:
            rows.append(json.loads(line))
            r = rows[-1]
            print(f"  {r['what']} as {r['role']}: {ms(r['fresh'])} ms", flush=True)
        if proc.wait():
            raise SystemExit(f"child failed ({proc.returncode})")
        print(f"\n{args.projects} projects, {args.cities} cities, database {db.name}; load "
              f"average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}\n")  # fmt: skip
        print("| what | as | fresh ms | warm ms | status | queries |")
        print("|---|---|---:|---:|---|---:|")
        for r in rows:
            print(f"| `{r['what']}` | {r['role']} | {ms(r['fresh'])} | {ms(r['warm'])} | "
                  f"{r['status']} | {r['queries']} |")  # fmt: skip


if __name__ == "__main__":
    main()
