"""Figure pages benchmark: every page and API that shows figures, whole city, fresh.

    .venv/bin/python bench/figures.py --reuse h_facts_20k [--reuse-small h_facts_2k]
                                      [--repeat 3] [--only TEXT]

Works in existing seeded PostgreSQL databases (`seed_demo --projects N`; never dropped or
written to by this script, but for the sign-in). Each page is opened in-process with the
Django test client, production settings (DEBUG=false), as the demo's city reviewer `drc`
(the whole city), with no figure cache (ASSESS_CACHE_SECONDS=0): every request computes its
figures from the database, which is what a page costs after any change.

Printed per page: SQL statements of one request at each size (they must be equal: no query
per project or per month), and the median wall time of --repeat requests at the larger size,
flagged ⚠ over 1 s (the target of SPEC's city scale). Raw figures go to --json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "postgres://postgres@127.0.0.1:5432/"
TARGET_MS = 1000
PAGES = (
    ("首页", "/"),
    ("领导驾驶舱", "/assessments/dashboard/"),
    ("大屏", "/assessments/dashboard/screen/"),
    ("API 驾驶舱", "/api/dashboard/"),
    ("API 图表", "/api/dashboard/charts/"),
    ("API 地图", "/api/dashboard/map/"),
    ("通报（月度）", "/reports/bulletin/?kind=monthly"),
    ("通报（季度）", "/reports/bulletin/?kind=quarterly"),
    ("评分排名", "/assessments/scores/"),
    ("API 评分", "/api/scores/"),
    ("绩效库", "/assessments/records/"),
    ("预测", "/assessments/forecast/"),
    ("API 预测", "/api/forecast/"),
    ("API 风险项目", "/api/forecast/at-risk/"),
    ("预警清单", "/assessments/lists/warning/"),
    ("滞后清单", "/assessments/lists/lagging/"),
    ("应开未开", "/assessments/lists/unstarted/"),
    ("节点逾期", "/assessments/lists/milestones/"),
    ("问题逾期", "/assessments/lists/problems/"),
    ("项目台账", "/projects/"),
)


def child(url, repeat, only):
    os.environ.update(DATABASE_URL=url, DEBUG="false", SECRET_KEY="bench-only-secret-key",
                      DJANGO_SETTINGS_MODULE="projects_site.settings",
                      ASSESS_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic here: static URLs unhashed (what is measured is the figures).
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="drc"))
    out = {}
    for label, path in PAGES:
        if only and only not in label and only not in path:
            continue
        full = path  # each page's default period (the last closed month)
        client.get(full, secure=True)  # warm-up: templates, imports, connection
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(full, secure=True)
        queries = len(ctx.captured_queries)  # now: the log is per connection
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(full, secure=True)
            times.append((time.perf_counter() - t0) * 1000)
        out[label] = {
            "path": full,
            "status": resp.status_code,
            "queries": queries,
            "ms": round(statistics.median(times)),
        }
    print(json.dumps(out))


def run(name, args):
    cmd = [sys.executable, __file__, "--child", BASE + name, "--repeat", str(args.repeat)]
    cmd += ["--only", args.only] if args.only else []
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", help="已播种的大库（如 20,000 个项目）")
    parser.add_argument("--reuse-small", help="已播种的小库（比较查询条数）")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only")
    parser.add_argument("--json", default="/tmp/bench_figures.json")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.repeat, args.only)
    if not args.reuse:
        parser.error("--reuse NAME is required")
    big = run(args.reuse, args)
    small = run(args.reuse_small, args) if args.reuse_small else {}
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| page | status | queries small | queries big | median ms (big) |")
    print("|---|---|---|---|---|")
    for label, row in big.items():
        q_small = small.get(label, {}).get("queries", "")
        flag = " ⚠" if row["ms"] > TARGET_MS else ""
        same = "" if not small or q_small == row["queries"] else " ≠"
        print(f"| {label} `{row['path']}` | {row['status']} | {q_small} | {row['queries']}{same} "
              f"| {row['ms']}{flag} |")  # fmt: skip
    Path(args.json).write_text(json.dumps({"big": big, "small": small, "load": load}))


if __name__ == "__main__":
    main()
