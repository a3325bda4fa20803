"""Pages benchmark: every list page and export at 120 and at 20,000 projects.

    .venv/bin/python bench/pages.py [--projects 20000] [--reuse] [--repeat 5] [--only TEXT]

Seeds two new PostgreSQL databases on 127.0.0.1, one with the default demo (`seed_demo`,
about 120 projects) and one with `seed_demo --projects N`, named uniquely
(`bench_pages_small_<pid>_<random>`, `bench_pages_<pid>_<random>`) or `--db-small`/`--db`
(which must not exist unless also given to `--drop-existing NAME`), and drops them at the
end unless --keep. With --reuse, --db and --db-small name existing seeded databases, never
dropped (deploy/scratch_db.py).
The pages are those of tests/test_query_counts.py (every list page and export, found from the
URL configuration), each opened as the demo's city reviewer `drc`, county reviewer `drc_lj`
and reporter `tb_lj` where the permission matrix lets that role open it (the home page and the
dashboard also as the city leader `leader`).

Measured with the Django test client, in-process, production settings (DEBUG=false):

  queries@120, queries@20k  statements of one request (CaptureQueriesContext), after a warm-up
  served ms @20k            median wall time of --repeat requests, each right after the data
                            generation moved (as after any approved report): the page as
                            served in production, with the last figures from the cache while a
                            worker recomputes them (core.cache, stale while
                            revalidating; no worker runs here, the refreshes stay queued)
  full ms @20k              median of --repeat requests with the cache cleared before each:
                            the page's whole work, i.e. what the worker does after a change,
                            or what the first visitor after a cache flush waits for
  peak MB (exports only)    each export once in a fresh process: ru_maxrss after the request
                            minus ru_maxrss before it (Django set up, user signed in), i.e.
                            how much the export raised the process's peak RSS

Exports are built in the request (EXPORT_ASYNC_ROWS raised): in production the big ones run
as an export job on the Celery worker, which calls the same builder, so the figures are the
worker's time and memory for that file.

The children run with production settings on Redis (REDIS_URL, db 13, flushed before and
after): figure cache and Celery broker as deployed.

Rows over a target are flagged ⚠ (on the served median): page median > 150 ms, ledger export > 3 s, problem export
> 1 s, export peak growth > 150 MB. Raw figures go to --json (default /tmp/bench_pages.json).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import ScratchDatabase  # noqa: E402

BASE = "postgres://postgres@127.0.0.1:5432/"
ROLES = ("drc", "drc_lj", "tb_lj")
LEADER_PAGES = ("registry:home", "assessments:dashboard")
PAGE_MS, LEDGER_S, PROBLEM_S, PEAK_MB = 150, 3.0, 1.0, 150
REDIS = "redis://127.0.0.1:6379/13"


def env_for(db):
    return dict(os.environ, DATABASE_URL=BASE + db, DEBUG="false", SECRET_KEY="bench-only-secret",
                ALLOWED_HOSTS="testserver,127.0.0.1", DJANGO_SETTINGS_MODULE="projects_site.settings",
                # Exports over EXPORT_ASYNC_ROWS answer with a job and the worker builds the file
                # with the same function: raise it so the request builds it and is timed.
                EXPORT_ASYNC_ROWS="1000000", REDIS_URL=REDIS)  # fmt: skip


def setup(db):
    os.environ.update(env_for(db))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def cases(only=""):
    from tests.test_query_counts import CASES

    keep = [(p, r) for p, r in CASES if r in ROLES or (r == "leader" and p in LEADER_PAGES)]
    return [(p, r) for p, r in keep if only in p]


def is_export(page, url):
    return "export" in page or "template" in page


def client_for(login):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=login))
    return client


def fetch(client, url):
    response = client.get(url, secure=True)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return response


def child_measure(db, timed, repeat, only):
    """Queries of every case (and, with `timed`, the median of `repeat` warm requests)."""
    setup(db)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.cache import GENERATION_KEY, generation
    from tests.test_query_counts import url_of

    clients = {}
    out = []
    for page, login in cases(only):
        client = clients.setdefault(login, client_for(login))
        url = url_of(page)
        fetch(client, url)  # warm-up
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            fetch(client, url)
        row = {"page": page, "url": url, "role": login, "queries": len(ctx.captured_queries)}
        if timed:
            full, served = [], []
            for _ in range(repeat):
                cache.clear()
                started = time.perf_counter()
                fetch(client, url)
                full.append((time.perf_counter() - started) * 1000)
            fetch(client, url)  # the page's figures are in the cache again
            for _ in range(repeat):
                generation()  # (a page without figures never created the key)
                cache.incr(GENERATION_KEY)  # a change: every stored figure is now stale
                started = time.perf_counter()
                fetch(client, url)
                served.append((time.perf_counter() - started) * 1000)
            row["median_ms"] = statistics.median(served)
            row["full_ms"] = statistics.median(full)
        out.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps(out))


def child_peak(db, page, login):
    """One export in this fresh process: how much it raised the peak RSS."""
    setup(db)
    from tests.test_query_counts import url_of

    client = client_for(login)
    url = url_of(page)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    fetch(client, url)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_mb": (after - before) / 1024, "peak_mb": after / 1024,
                      "cold_s": seconds}))  # fmt: skip


def run_child(*args):
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         cwd=ROOT)  # fmt: skip
    if out.returncode:
        print(out.stderr[-3000:])
        raise SystemExit(1)
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed(name, projects):
    env = env_for(name)
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    extra = ["--projects", str(projects)] if projects else []
    t = time.perf_counter()
    subprocess.run([py, "manage.py", "seed_demo", *extra], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    print(f"{name}: seed_demo {' '.join(extra)}: {time.perf_counter() - t:.1f} s", flush=True)


def flags(page, row):
    out = []
    if page in ("registry:ledger_export",) and row["median_ms"] > LEDGER_S * 1000:
        out.append(f"ledger export > {LEDGER_S:g} s")
    elif page == "milestones:problem_export" and row["median_ms"] > PROBLEM_S * 1000:
        out.append(f"problem export > {PROBLEM_S:g} s")
    elif not row["export"] and row["median_ms"] > PAGE_MS:
        out.append(f"> {PAGE_MS} ms")
    if row.get("growth_mb", 0) > PEAK_MB:
        out.append(f"peak > {PEAK_MB} MB")
    return out


def table(rows):
    lines = ["| page | role | queries@120 | queries@20k | served ms @20k | full ms @20k | peak MB |",
             "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in rows:
        peak = f"{r['growth_mb']:.0f}" if "growth_mb" in r else ""
        q = f"{r['q_small']}" + ("" if r["q_small"] == r["q_large"] else " ≠")
        mark = " ⚠ " + "; ".join(r["flags"]) if r["flags"] else ""
        lines.append(f"| `{r['url']}` | {r['role']} | {q} | {r['q_large']} | "
                     f"{r['median_ms']:.0f}{mark} | {r['full_ms']:.0f} | {peak} |")  # fmt: skip
    return "\n".join(lines)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        return child_measure(sys.argv[2], sys.argv[3] == "timed", int(sys.argv[4]), sys.argv[5])
    if len(sys.argv) > 1 and sys.argv[1] == "--peak":
        return child_peak(*sys.argv[2:5])
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="only pages whose url name contains this")
    parser.add_argument("--db", help="新建（或 --reuse 时已有）的 N 个项目的数据库")
    parser.add_argument("--db-small", help="新建（或 --reuse 时已有）的示例数据库")
    parser.add_argument("--drop-existing", action="append", default=[], metavar="NAME")
    parser.add_argument("--keep", action="store_true", help="结束时保留本次新建的数据库")
    parser.add_argument("--json", default="/tmp/bench_pages.json")
    args = parser.parse_args()
    if args.reuse and not (args.db and args.db_small):
        raise SystemExit("--reuse 需要 --db 与 --db-small 指明已有的数据库")
    dbs = {}
    for key, prefix in (("db", "bench_pages"), ("db_small", "bench_pages_small")):
        name = getattr(args, key)
        dbs[key] = ScratchDatabase(
            prefix, server=BASE.rstrip("/"), name=None if args.reuse else name,
            reuse=name if args.reuse else None, keep=args.keep,
            drop_existing=name if name in args.drop_existing else None,
        )  # fmt: skip
    with dbs["db"] as big, dbs["db_small"] as small:
        args.db, args.db_small = big.name, small.name
        run(args)


def run(args):
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # queued refreshes and figures of an earlier run
    if not args.reuse:
        seed(args.db_small, 0)
        seed(args.db, args.projects)
    env = env_for(args.db)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   env=env, cwd=ROOT, check=True)  # fmt: skip
    t = time.perf_counter()
    small = run_child("--measure", args.db_small, "untimed", "0", args.only)
    large = run_child("--measure", args.db, "timed", str(args.repeat), args.only)
    print(f"pages measured in {time.perf_counter() - t:.0f} s", flush=True)
    rows = []
    for s, g in zip(small, large, strict=True):
        assert (s["page"], s["role"]) == (g["page"], g["role"])
        row = {**g, "q_small": s["queries"], "q_large": g["queries"],
               "export": is_export(g["page"], g["url"])}  # fmt: skip
        if row["export"]:
            row.update(run_child("--peak", args.db, g["page"], g["role"]))
            print(g["url"], g["role"], f"{row['growth_mb']:.0f} MB", flush=True)
        row["flags"] = flags(g["page"], row)
        rows.append(row)
    Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    redis.Redis.from_url(REDIS).flushdb()
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    print(table(rows))


if __name__ == "__main__":
    main()
