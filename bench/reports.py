"""Report benchmark: the monthly report for 2,000 and 20,000 projects on PostgreSQL.

    .venv/bin/python bench/reports.py [--sizes 2000,20000] [--reuse]

For each size, a database `bench_reports_<N>` (the 20,000 one may be a database kept by
bench/load.py --keep, with --db20k) is created and seeded with `seed_demo --projects N`
unless --reuse (an existing one is dropped and re-created only if named in
--drop-existing NAME); then the whole-city monthly workbook is built once, in a fresh
process, as it ships (reports.build on the streamed workbook engine, core.excel.workbook),
and the script prints wall time, peak RSS of the process, the growth of RSS during the build, the number
of SQL statements and the file size. Memory should grow with the data loaded (the leaves),
not with the rows written.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import create_database  # noqa: E402

BASE = "postgres://postgres@127.0.0.1:5432/"


def child(url, mode):
    os.environ.update(DATABASE_URL=url, DEBUG="false", SECRET_KEY="bench-only-secret-key",
                      DJANGO_SETTINGS_MODULE="projects_site.settings",
                      ASSESS_CACHE_SECONDS="0")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import build
    from reports.models import ReportRun

    run = ReportRun(kind="monthly", period="2026-10")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        path, _name = build.build_workbook(run)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = os.path.getsize(path)
    os.unlink(path)
    print(json.dumps({"seconds": elapsed, "peak_mib": peak / 1024,
                      "growth_mib": (peak - before) / 1024, "queries": len(queries),
                      "kib": size / 1024}))  # fmt: skip


def seed(name, projects, drop_existing):
    create_database(BASE + name, name if name in drop_existing else None)
    env = dict(os.environ, DATABASE_URL=BASE + name, DEBUG="false", SECRET_KEY="bench-only")
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    t = time.perf_counter()
    subprocess.run([py, "manage.py", "seed_demo", "--projects", str(projects)], env=env,
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    print(f"seed_demo --projects {projects}: {time.perf_counter() - t:.1f} s", flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--modes", default="streamed")  # the one mode: what ships
    parser.add_argument("--reuse", action="store_true")
    # An existing bench_reports_<N> is dropped and re-created only when named here.
    parser.add_argument("--drop-existing", action="append", default=[], metavar="NAME")
    parser.add_argument("--db20k", default="", help="an already seeded 20,000-project database")
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        name = args.db20k if (size == 20000 and args.db20k) else f"bench_reports_{size}"
        if not (args.reuse or (size == 20000 and args.db20k)):
            seed(name, size, args.drop_existing)
        for mode in args.modes.split(","):
            out = subprocess.run([sys.executable, __file__, "--child", BASE + name, mode],
                                 capture_output=True, text=True, cwd=ROOT)  # fmt: skip
            if out.returncode:
                print(out.stderr[-2000:])
                raise SystemExit(1)
            rows.append((size, mode, json.loads(out.stdout.strip().splitlines()[-1])))
            print(size, mode, rows[-1][2], flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    print("| projects | mode | time s | peak RSS MiB | RSS growth MiB | queries | file KiB |")
    print("|---|---|---|---|---|---|---|")
    for size, mode, r in rows:
        print(f"| {size} | {mode} | {r['seconds']:.2f} | {r['peak_mib']:.0f} | "
              f"{r['growth_mib']:.0f} | {r['queries']} | {r['kib']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
