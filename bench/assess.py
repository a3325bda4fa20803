"""Assessment benchmark: one month's `assess` and a year's scores at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_assess .venv/bin/python bench/assess.py \
        [--projects 20000] [--month 10] [--reuse]

Creates (or, with --reuse, keeps) the database named in DATABASE_URL (an existing one is
dropped and re-created only if also named in --drop-existing NAME), migrates it, seeds
the demo city with N projects and their monthly reports for the months before today
(`seed_demo`, 10 months in November), then measures, each for one call:

  assess   assessments.services.assess_month for the month (all statuses replaced)
  scores   assessments.scoring.scores for the whole year, by region and by unit

and prints wall time, peak RSS and the number of SQL statements, plus the load average
(the figures are only comparable on an otherwise idle machine).
Target: one month for 20,000 projects in under 10 s.
"""

import argparse
import os
import resource
import sys
import time
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
    if url.startswith("postgres") and not reuse:
        create_database(url, drop_existing)
    import django

    django.setup()


def measure(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Peak memory as the process's peak RSS (ru_maxrss, KiB on Linux): tracemalloc would
    # slow allocation-heavy code several times and distort the time.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{label:<22} {elapsed:8.2f} s  peak RSS {peak / 1024:7.1f} MiB "
        f"(+{(peak - before) / 1024:.1f})  {len(queries):4d} queries"
    )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--month", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    # An existing database is dropped and re-created only when named here as well.
    parser.add_argument("--drop-existing", metavar="NAME")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_assess")
    setup(url, args.reuse, args.drop_existing)

    from django.core.management import call_command
    from django.utils import timezone

    from assessments.scoring import scores
    from assessments.services import assess_month
    from core.periods import parse_period
    from milestones.models import ProgressReport
    from registry.models import Project
    from registry.selectors import year_list

    year = timezone.localdate().year
    if not args.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", "--projects", str(args.projects), stdout=StringIO())
        print(f"seed_demo {args.projects} projects: {time.perf_counter() - started:.1f} s")
    leaves = Project.objects.filter(is_package=False).count()
    reports = ProgressReport.objects.filter(year=year).count()
    print(f"database: {leaves} leaf projects, {reports} monthly reports of {year}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    result = measure(
        f"assess {year}-{args.month:02d}", lambda: assess_month(year=year, month=args.month)
    )
    print("  counts:", result["counts"])
    projects = year_list(year, Project.objects.all())
    period = parse_period(str(year))
    rows = measure(f"scores {year} by region", lambda: scores(projects, period, by="region"))
    print(f"  {len(rows)} regions; first {rows[0].name} {rows[0].score}")
    rows = measure(f"scores {year} by unit", lambda: scores(projects, period, by="unit"))
    print(f"  {len(rows)} units")


if __name__ == "__main__":
    main()
