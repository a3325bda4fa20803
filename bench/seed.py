"""Demo seed timing: wall time and the CPU it costs, client and PostgreSQL server apart.

    .venv/bin/python bench/seed.py [--projects 20000] [--cities 1] [--reuse NAME | --db NAME [--keep]]

Runs `seed_demo --projects N` in this process on a new database of a unique name
(`bench_seed_<pid>_<random>`, created, migrated, dropped at the end; see deploy/scratch_db.py).
On a shared machine the wall time mostly measures the others: the CPU seconds of this process
and of the PostgreSQL backend serving it (read from /proc, same machine) are what the seed
itself costs, and on an idle machine wall ≈ client CPU + server CPU + waits.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import ScratchDatabase, add_arguments  # noqa: E402


def backend_cpu(pid: int) -> float:
    """utime + stime of a local PostgreSQL backend, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    server0, load0 = backend_cpu(pid), os.getloadavg()[0]
    usage0, t = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    out = io.StringIO()
    options = {"cities": args.cities} if args.cities > 1 else {}
    call_command("seed_demo", projects=args.projects, stdout=out, **options)
    wall = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_SELF)
    client = usage.ru_utime + usage.ru_stime - usage0.ru_utime - usage0.ru_stime
    server = backend_cpu(pid) - server0
    print(out.getvalue().split("\n\n")[0])
    print(f"\n| projects | wall s | client CPU s | server CPU s | CPU total s | peak MiB | load avg "
          f"before → after |\n|---:|---:|---:|---:|---:|---:|---|\n| {args.projects} | {wall:.1f} "
          f"| {client:.1f} | {server:.1f} | {client + server:.1f} | {usage.ru_maxrss / 1024:.0f} "
          f"| {load0:.1f} → {os.getloadavg()[0]:.1f} |")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--cities", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    add_arguments(parser, "bench_seed")
    args = parser.parse_args()
    if args.child:
        return seed(args)
    with ScratchDatabase.from_args(args, "bench_seed") as db:
        env = dict(os.environ, DATABASE_URL=db.url, DEBUG="false", LOG_LEVEL="ERROR",
                   SECRET_KEY="bench-only-secret-key", DJANGO_SETTINGS_MODULE="projects_site.settings")  # fmt: skip
        env.pop("REDIS_URL", None)
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        argv = [
            py,
            __file__,
            "--child",
            "--projects",
            str(args.projects),
            "--cities",
            str(args.cities),
        ]
        subprocess.run(argv, env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
