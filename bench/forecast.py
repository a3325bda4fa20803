"""Backtest of the year-end forecast on the demo city.

    .venv/bin/python bench/forecast.py [--projects 600] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_forecast .venv/bin/python bench/forecast.py

Seeds the demo (`seed_demo`: last year closed, this year reported up to last month) into a
fresh database (default: SQLite file /tmp/bench_forecast.sqlite3), then:

1. Closed year (last year): for each cut-off month M = 3..11, `assessments.forecast.outlook`
   predicts the year-end 完成率 of every leaf and 县区 from the data up to M; the error is
   |predicted − actual year-end 完成率| in percentage points, averaged over leaves (per
   project) and over 县区 (per region, sums of leaves). The naive baseline is YTD × 12 ÷ M
   ("month/12"). For a fair test the earlier-year curve must not be the closed year itself:
   `city_curve` only looks at years before it, and the demo has none, so this is the
   run-rate fallback (what a city gets in its first year).
2. Running year (this year), to test the seasonal half: the target is the last month L
   whose reports are all approved (the month before the latest assessed one); for each
   M = 3..L−1 the same model (`forecast_leaf`/`combine`) predicts the cumulative 完成率 at L
   with last year's curve (blend), without it (run-rate only), and naively (YTD × L ÷ M).

Every figure is a plan-weighted 完成率 in %; leaves without an annual plan are skipped.
"""

import argparse
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import create_database  # noqa: E402


def setup(url, reuse, drop_existing=None):
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_site.settings")
    sys.path.insert(0, str(ROOT))
    if not reuse:
        if url.startswith("postgres"):
            create_database(url, drop_existing)
        elif url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()


def pct(part, whole):
    return Decimal(part) * 100 / Decimal(whole)


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else Decimal(0)


def closed_year(year, months):
    """Table 1: year-end of the closed `year` from each cut-off month."""
    from assessments import forecast, metrics
    from registry.models import Project
    from registry.selectors import year_list

    projects = year_list(year, Project.objects.all())
    county = {leaf.id: leaf.county_id for leaf in metrics.load_leaves(projects, year, 12)}
    actual = {pid: cum[12] for pid, cum in forecast.load_series(projects, year, 12).items()}
    rows = []
    for m in months:
        out = forecast.outlook(projects, year, m)
        leaves = [p for p in out.projects if p.forecast.plan]
        ours = [abs(p.forecast.rate - pct(actual.get(p.id, 0), p.forecast.plan)) for p in leaves]
        naive = [
            abs(pct(p.forecast.ytd * 12 / m, p.forecast.plan) - pct(actual.get(p.id, 0), p.forecast.plan))
            for p in leaves
        ]  # fmt: skip
        by_region = defaultdict(list)
        for p in leaves:
            by_region[county[p.id]].append(p)
        r_ours, r_naive = [], []
        for group in by_region.values():
            plan = sum(p.forecast.plan for p in group)
            if not plan:
                continue
            real = pct(sum(actual.get(p.id, 0) for p in group), plan)
            r_ours.append(abs(pct(sum(p.forecast.expected for p in group), plan) - real))
            r_naive.append(abs(pct(sum(p.forecast.ytd for p in group) * 12 / m, plan) - real))
        rows.append((m, len(leaves), out.projects[0].forecast.basis if leaves else "",
                     mean(ours), mean(naive), len(r_ours), mean(r_ours), mean(r_naive)))  # fmt: skip
    return rows


def running_year(year, target, months):
    """Table 2: cumulative 完成率 at month `target` of the running year from earlier cut-offs,
    with last year's curve (blend), without it (run-rate only) and naively."""
    from assessments import forecast, metrics
    from registry.models import Project
    from registry.selectors import year_list

    projects = year_list(year, Project.objects.all())
    curve = forecast.city_curve(year)
    leaves = [leaf for leaf in metrics.load_leaves(projects, year, target) if leaf.plan]
    finished = dict(projects.filter(is_package=False).values_list("pk", "completed_on"))
    full = forecast.load_series(projects, year, target)
    empty = forecast.Series([Decimal(0)] * (target + 1))
    rows = []
    for m in months:
        errors = {"blend": [], "run": [], "naive": []}
        regional = defaultdict(lambda: defaultdict(Decimal))
        for leaf in leaves:
            cum = full.get(leaf.id, empty)
            cut = forecast.Series(cum[: m + 1])
            cut.last = max((k for k in range(m + 1) if k <= getattr(cum, "last", 0)), default=0)
            done = forecast.finished_by(finished.get(leaf.id), year, m)
            real = cum[target]
            predicted = {
                "blend": forecast.forecast_leaf(
                    cut, leaf.plan, m, curve, year=year, target=target, finished=done
                ).expected,
                "run": forecast.forecast_leaf(
                    cut, leaf.plan, m, forecast.Curve(), year=year, target=target, finished=done
                ).expected,
                "naive": cut[m] * target / m,
            }
            g = regional[leaf.county_id]
            g["plan"] += leaf.plan
            g["real"] += real
            for k, v in predicted.items():
                errors[k].append(abs(pct(v - real, leaf.plan)))
                g[k] += v
        region_err = {
            k: mean(abs(pct(g[k] - g["real"], g["plan"])) for g in regional.values())
            for k in errors
        }
        rows.append((m, len(leaves), {k: mean(v) for k, v in errors.items()}, region_err))
    return curve.year, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=600)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    # An existing database is dropped and re-created only when named here as well.
    parser.add_argument("--drop-existing", metavar="NAME")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "sqlite:////tmp/bench_forecast.sqlite3")
    setup(url, args.reuse, args.drop_existing)

    from django.core.management import call_command
    from django.utils import timezone

    from assessments import selectors

    year = timezone.localdate().year
    if not args.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", "--projects", str(args.projects), stdout=StringIO())
        print(f"seed_demo --projects {args.projects}: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    print(
        f"\n## 1. Closed year {year - 1}: year-end 完成率, mean absolute error (percentage points)"
    )
    print(
        "| M | leaves | basis | per project: forecast | naive ×12/M | regions | per region: forecast | naive ×12/M |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    rows = closed_year(year - 1, range(3, 12))
    for m, n, basis, ours, naive, nr, r_ours, r_naive in rows:
        print(
            f"| {m} | {n} | {basis} | {ours:.2f} | {naive:.2f} | {nr} | {r_ours:.2f} | {r_naive:.2f} |"
        )
    print(
        f"| all | | | **{mean(r[3] for r in rows):.2f}** | **{mean(r[4] for r in rows):.2f}** | | "
        f"**{mean(r[6] for r in rows):.2f}** | **{mean(r[7] for r in rows):.2f}** |"
    )

    target = selectors.default_month(year) - 1
    curve_year, rows = running_year(year, target, range(3, target))
    print(
        f"\n## 2. Running year {year}: cumulative 完成率 at month {target} (all approved), "
        f"curve of {curve_year}, mean absolute error (percentage points)"
    )
    print(
        "| M | leaves | per project: blend | run-rate | naive ×L/M | per region: blend | run-rate | naive |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m, n, e, r in rows:
        print(
            f"| {m} | {n} | {e['blend']:.2f} | {e['run']:.2f} | {e['naive']:.2f} | "
            f"{r['blend']:.2f} | {r['run']:.2f} | {r['naive']:.2f} |"
        )
    print(
        "| all | | " + " | ".join(f"**{mean(row[2][k] for row in rows):.2f}**" for k in ("blend", "run", "naive"))
        + " | " + " | ".join(f"**{mean(row[3][k] for row in rows):.2f}**" for k in ("blend", "run", "naive")) + " |"
    )  # fmt: skip
    print(
        f"\nbacktest time {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
