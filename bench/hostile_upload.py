"""Hostile upload benchmark: peak memory of a refused file.

    .venv/bin/python bench/hostile_upload.py [--mb 300] [--rows 60000] [--cap-gb 2]

Builds, in a temporary directory, the probe's file (an .xlsx of a few hundred KB whose
sharedStrings.xml holds one string of --mb MB) and a real 60,000-row ledger, then reads
each one in its own process, so that peak RSS (ru_maxrss) belongs to that variant alone:

  baseline   the interpreter with Django set up, reading nothing (the floor)
  ours       core.excel.reader.read_workbook: what the web upload, the task and
             `import_ledger` call (bounds checked before anything is parsed)
  ours_stream  the same with the zip-directory checks switched off (ratio and unzipped
             size limits raised): the streaming scan alone must still refuse in bounded memory
  calamine   python-calamine loading every sheet to Python, as the reader did before
  openpyxl   openpyxl.load_workbook(read_only=True) iterating every value

The unbounded variants run under RLIMIT_AS (--cap-gb, default 2 GB) so the machine stays
safe; hitting the cap is reported as such.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["baseline", "ours", "ours_stream", "calamine", "openpyxl"]


def django_setup():
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_site.settings")
    os.environ["LOG_LEVEL"] = "ERROR"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- children --------------------------------------------------------------------------------


def run_ours(path):
    from core.excel.reader import ImportFileError, read_workbook
    from registry.excel.headers import LEDGER

    try:
        wb = read_workbook(path, LEDGER)
    except ImportFileError as exc:
        return f"refused: {exc}"
    return f"read {wb.rows_total} rows"


def run_calamine(path):
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = 0
    for i in range(len(wb.sheet_names)):
        rows = wb.get_sheet_by_index(i).to_python(skip_empty_area=False)
        cells += sum(len(r) for r in rows)
    return f"loaded {cells} cells"


def run_openpyxl(path):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    cells = sum(1 for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for _c in r)
    return f"loaded {cells} cells"


def child(variant, path, cap_gb):
    if variant in ("calamine", "openpyxl"):
        cap = int(cap_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if variant == "ours_stream":
        os.environ["IMPORT_MAX_ZIP_RATIO"] = str(10**9)
        os.environ["IMPORT_MAX_UNZIPPED_BYTES"] = str(10**12)
    django_setup()
    start = time.perf_counter()
    try:
        outcome = {
            "baseline": lambda p: "nothing read",
            "ours": run_ours,
            "ours_stream": run_ours,
            "calamine": run_calamine,
            "openpyxl": run_openpyxl,
        }[variant](path)
    except MemoryError:
        outcome = f"MemoryError at the {cap_gb:g} GB cap"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak}))


# -- parent ----------------------------------------------------------------------------------


def measure(variant, path, cap_gb):
    proc = subprocess.run(
        [sys.executable, __file__, "--child", variant, str(path), "--cap-gb", str(cap_gb)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode == 0 and proc.stdout.strip():
        return json.loads(proc.stdout.strip().splitlines()[-1])
    # Killed by the allocator under the cap (Rust aborts on a failed allocation).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    tail = (proc.stderr.strip().splitlines() or ["?"])[-1][:80]
    return {
        "outcome": f"died (exit {proc.returncode}) under the {cap_gb:g} GB cap: {tail}",
        "seconds": float("nan"),
        "peak_mb": peak,
    }


def build(tmp, mb, rows, limit):
    sys.path.insert(0, str(ROOT))
    from registry.tests.fixtures.hostile import huge_string_xlsx, many_rows_xlsx

    t = time.perf_counter()
    files = {
        f"{mb} MB string": (tmp / "huge_string.xlsx", huge_string_xlsx(mb=mb), None),
        f"{rows:,} rows": (tmp / "many_rows.xlsx", many_rows_xlsx(rows), None),
        # A legitimate file at the row limit, accepted: what a big real import costs.
        f"{limit:,} rows (accepted)": (
            tmp / "at_limit.xlsx",
            many_rows_xlsx(limit),
            ["baseline", "ours", "calamine"],
        ),
    }
    for path, data, _variants in files.values():
        path.write_bytes(data)
    print(f"built the files in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return {label: (path, variants) for label, (path, _data, variants) in files.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--limit-rows", type=int, default=50_000)
    parser.add_argument("--cap-gb", type=float, default=2.0)
    parser.add_argument("--only", default=",".join(VARIANTS))
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.cap_gb)
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = build(Path(tmp), args.mb, args.rows, args.limit_rows)
        print("| file | size | variant | peak RSS (MB) | time (s) | outcome |")
        print("|---|---:|---|---:|---:|---|")
        for label, (path, variants) in files.items():
            size = f"{path.stat().st_size / 1024:,.0f} KB"
            for variant in args.only.split(","):
                if variants and variant not in variants:
                    continue
                r = measure(variant, path, args.cap_gb)
                print(
                    f"| {label} | {size} | {variant} | {r['peak_mb']:,.0f} | "
                    f"{r['seconds']:.2f} | {r['outcome']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
