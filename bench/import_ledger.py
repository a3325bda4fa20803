"""Ledger import benchmark: ours against django-import-export and a no-validation floor.

    .venv/bin/python bench/import_ledger.py [--rows 10000] [--db sqlite|postgres] [--repeat 3]
                                            [--only ours,ie_default,ie_bulk,floor]

Generates a ledger of N rows (template columns, real date cells) and imports it into a fresh
database per run (SQLite: a copy of a migrated template file; PostgreSQL: CREATE DATABASE …
TEMPLATE, on 127.0.0.1:5432 as user postgres, or PG_BENCH_URL, under names unique to this
invocation, `bench_ledger_<pid>_<random>_…`, all dropped at the end: the script never drops
a database it did not create), each run in its own process so that peak memory (ru_maxrss)
belongs to that run alone. Every variant runs once as a warm-up (discarded), then --repeat
times; the table shows the median.

Every variant writes the same rows: the projects, one history row per project, the annual
plans, the land rows and one 五个一 contract record per project.

  ours        registry.ledger_import (validation, matching, history, plans, land, 五个一)
  ie_default  django-import-export 4 with its defaults (per-row save; simple-history's
              post_save signal writes the history rows)
  ie_bulk     django-import-export with use_bulk, batch_size=1000, skip_diff,
              CachedInstanceLoader and CachedForeignKeyWidget; its bulk path sends no
              signals, so history rows are added in after_import with simple-history's
              bulk_history_create
  floor       python-calamine read + the same rows written with no validation at all:
              COPY on PostgreSQL, prepared executemany on SQLite (core/bulk.py)

django-import-export is a benchmark-only dependency (requirements-dev.txt).
"""

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["ours", "ie_default", "ie_bulk", "floor"]
COUNTIES = ["甲县", "乙区", "丙县", "丁区", "戊县", "己县", "庚区", "辛县", "壬县", "癸区"]
HEADER = [
    "序号", "项目编号", "项目名称", "项目级别", "所属地区", "责任单位", "分包领导", "建设性质",
    "项目类别", "产业类别", "建设内容及规模", "总投资(万元)", "年度计划投资(万元)", "计划开工时间",
    "计划竣工时间", "项目业主", "联系人", "联系电话", "用地面积(亩)", "备注",
]  # fmt: skip


PG_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432")


def django_setup(db_url):
    os.environ["DATABASE_URL"] = db_url
    # Production-like: DEBUG off, so Django does not keep every SQL string in memory.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_site.settings")
    os.environ["LOG_LEVEL"] = "ERROR"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- data -----------------------------------------------------------------------------------


def seed_reference():
    """Regions, units and leaders the ledger refers to (what a real city has loaded)."""
    from registry.models import Leader, Region, Unit

    city = Region(name="示例市", code="370100", level="city", parent=None)
    city.save()
    for i, name in enumerate(COUNTIES):
        county = Region(name=name, code=f"3701{i + 10:02d}", level="county", parent=city)
        county.save()
        for j in range(5):
            Unit.objects.create(name=f"{name}单位{j}", region=county, kind="department")
            Leader.objects.create(
                name=f"{name}领导{j}", post="副县长", level="county", region=county
            )


def generate(path, rows, seed=7):
    import datetime

    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(HEADER)
    for i in range(1, rows + 1):
        county = rnd.choice(COUNTIES)
        j = rnd.randrange(5)
        total = rnd.randrange(100_000, 50_000_000) / 100
        start = datetime.date(2026, rnd.randint(1, 12), rnd.randint(1, 28))
        ws.append([
            i, f"2026-BM-{i:05d}", f"基准项目{i}", rnd.choice(["省重点", "市重点", "县区重点"]),
            county, f"{county}单位{j}", f"{county}领导{j}", rnd.choice(["新开工", "续建", "前期"]),
            rnd.choice(["产业", "基础设施", "社会事业", "城乡建设", "生态环保"]),
            rnd.choice(["一产", "二产", "三产"]), f"建设内容{i}，占地若干，建筑面积若干平方米",
            total, round(total / 5, 2), start, start + datetime.timedelta(days=rnd.randint(100, 900)),
            f"业主公司{i % 300}", f"联系人{i % 97}", f"138{i:08d}", rnd.randrange(0, 50000) / 100, "",
        ])  # fmt: skip
    wb.save(path)


# -- variants -------------------------------------------------------------------------------


def run_ours(path):
    from registry.ledger_import import ledger_import

    result = ledger_import(str(path), file_name="bench.xlsx", year=2026, dry_run=False)
    assert result.applied and not result.errors, result.errors[:5]
    return len(result.new)


LEVELS = {"省重点": "province", "市重点": "city", "县区重点": "county"}
NATURES = {"新开工": "new", "续建": "continuing", "前期": "preparatory"}
CATEGORIES = {"产业": "industry", "基础设施": "infrastructure", "社会事业": "social",
              "城乡建设": "urban", "生态环保": "ecology"}  # fmt: skip
SECTORS = {"一产": "primary", "二产": "secondary", "三产": "tertiary"}


def make_resource(bulk):
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from registry.models import (
        AnnualPlan,
        ContractAssignment,
        Land,
        Leader,
        Project,
        Region,
        Unit,
    )  # fmt: skip

    fk = widgets.CachedForeignKeyWidget if bulk else widgets.ForeignKeyWidget

    class LabelWidget(widgets.CharWidget):
        def __init__(self, mapping):
            super().__init__()
            self.mapping = mapping

        def clean(self, value, row=None, **kwargs):
            return self.mapping[value]

    class ProjectResource(resources.ModelResource):
        code = fields.Field("code", "项目编号")
        name = fields.Field("name", "项目名称")
        level = fields.Field("level", "项目级别", widget=LabelWidget(LEVELS))
        region = fields.Field("region", "所属地区", widget=fk(Region, "name"))
        unit = fields.Field("unit", "责任单位", widget=fk(Unit, "name"))
        leader = fields.Field("leader", "分包领导", widget=fk(Leader, "name"))
        nature = fields.Field("nature", "建设性质", widget=LabelWidget(NATURES))
        category = fields.Field("category", "项目类别", widget=LabelWidget(CATEGORIES))
        sector = fields.Field("sector", "产业类别", widget=LabelWidget(SECTORS))
        scope = fields.Field("scope", "建设内容及规模")
        total_investment = fields.Field(
            "total_investment", "总投资(万元)", widget=widgets.DecimalWidget()
        )
        planned_start = fields.Field("planned_start", "计划开工时间", widget=widgets.DateWidget())
        planned_finish = fields.Field("planned_finish", "计划竣工时间", widget=widgets.DateWidget())
        owner = fields.Field("owner", "项目业主")
        contact = fields.Field("contact", "联系人")
        phone = fields.Field("phone", "联系电话")

        class Meta:
            model = Project
            import_id_fields = ("code",)
            fields = ("code", "name", "level", "region", "unit", "leader", "nature", "category",
                      "sector", "scope", "total_investment", "planned_start", "planned_finish",
                      "owner", "contact", "phone")  # fmt: skip
            if bulk:
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                instance_loader_class = CachedInstanceLoader

        def before_save_instance(self, instance, row, **kwargs):
            instance.year = 2026

        def before_import_row(self, row, **kwargs):
            pass

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.year = 2026

        def after_import(self, dataset, result, **kwargs):
            # The same rows' plan and land figures, one bulk insert each (not per row).
            if kwargs.get("dry_run"):
                return
            import datetime
            from decimal import Decimal

            ids = dict(Project.objects.values_list("code", "pk"))

            plans, lands = [], []
            for r in dataset.dict:
                pk = ids[r["项目编号"]]
                plans.append(AnnualPlan(project_id=pk, year=2026,
                                        planned_investment=Decimal(str(r["年度计划投资(万元)"]))))  # fmt: skip
                lands.append(Land(project_id=pk, required_area=Decimal(str(r["用地面积(亩)"]))))
            AnnualPlan.objects.bulk_create(plans, batch_size=1000)
            Land.objects.bulk_create(lands, batch_size=1000)
            projects = list(Project.objects.filter(pk__in=ids.values()))
            ContractAssignment.objects.bulk_create(
                [ContractAssignment(project_id=p.pk, leader_id=p.leader_id, unit_id=p.unit_id,
                                    start_on=datetime.date.today(), reason="台账导入")
                 for p in projects], batch_size=1000)  # fmt: skip
            if bulk:
                # The bulk path sends no post_save: write the history ours writes.
                Project.history.bulk_history_create(projects, batch_size=1000)

    return ProjectResource()


def run_ie(path, bulk):
    import tablib

    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    res = make_resource(bulk)
    result = res.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    return result.totals.get("new", 0)


def run_floor(path):
    """The honest lower bound: read with calamine, write exactly the rows ours writes with
    the same primitives (COPY / executemany), with no validation, matching or diffing."""
    import datetime
    from decimal import Decimal

    import python_calamine
    from django.utils import timezone

    from core.bulk import insert_objects
    from registry.models import AnnualPlan, ContractAssignment, Land, Leader, Project, Region, Unit
    from registry.project_bulk import insert_project_history, insert_projects

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(0).to_python()[1:]
    regions = {r.name: r for r in Region.objects.all()}
    units = {u.name: u for u in Unit.objects.all()}
    leaders = {x.name: x for x in Leader.objects.all()}
    day = lambda v: v.date() if isinstance(v, datetime.datetime) else v  # noqa: E731
    projects = [
        Project(
            code=r[1], name=r[2], year=2026, level=LEVELS[r[3]], region=regions[r[4]],
            unit=units[r[5]], leader=leaders[r[6]], nature=NATURES[r[7]],
            category=CATEGORIES[r[8]], sector=SECTORS[r[9]], scope=r[10],
            total_investment=Decimal(str(r[11])), planned_start=day(r[13]),
            planned_finish=day(r[14]), owner=r[15], contact=r[16], phone=str(r[17]),
        )
        for r in rows
    ]  # fmt: skip
    now = timezone.now()
    today = timezone.localdate()
    insert_projects(projects, now)
    insert_project_history(projects, user=None, reason="台账导入", now=now)
    insert_objects(AnnualPlan, [AnnualPlan(project_id=p.pk, year=2026,
                   planned_investment=Decimal(str(r[12]))) for p, r in zip(projects, rows, strict=True)], now)  # fmt: skip
    insert_objects(Land, [Land(project_id=p.pk, required_area=Decimal(str(r[18])))
                          for p, r in zip(projects, rows, strict=True)], now)  # fmt: skip
    insert_objects(ContractAssignment, [ContractAssignment(project_id=p.pk, leader_id=p.leader_id,
                   unit_id=p.unit_id, start_on=today, reason="台账导入") for p in projects], now)  # fmt: skip
    return len(projects)


def child(variant, path, db_url):
    django_setup(db_url)
    from django.db import connection, transaction

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    runner = {
        "ours": lambda: run_ours(path),
        "ie_default": lambda: run_ie(path, bulk=False),
        "ie_bulk": lambda: run_ie(path, bulk=True),
        "floor": lambda: run_floor(path),
    }[variant]
    with connection.execute_wrapper(count):
        t0 = time.perf_counter()
        if variant == "floor":
            with transaction.atomic():
                n = runner()
        else:
            n = runner()
        elapsed = time.perf_counter() - t0
    from registry.models import AnnualPlan, ContractAssignment, Land, Project

    for model in (Project, Project.history.model, AnnualPlan, Land, ContractAssignment):
        assert model.objects.count() == n, f"{variant}: {model.__name__} rows missing"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"variant": variant, "rows": n, "seconds": elapsed, "queries": queries[0],
                      "peak_mb": peak_mb}))  # fmt: skip


class Databases:
    """Fresh migrated databases with the reference data, one per run."""

    def __init__(self, kind, tmp):
        self.kind, self.tmp, self.n = kind, tmp, 0
        if kind == "sqlite":
            self.template = f"sqlite:///{tmp / 'template.sqlite3'}"
        else:
            # Names of this run only: the script never drops a database it did not create.
            self.prefix = f"bench_ledger_{os.getpid()}_{secrets.token_hex(3)}"
            self._psql(f"CREATE DATABASE {self.prefix}_tpl")
            self.template = f"{PG_URL}/{self.prefix}_tpl"
        try:
            self._migrate_template()
        except BaseException:
            self.close()
            raise

    def _migrate_template(self):
        env = dict(os.environ, DATABASE_URL=self.template, LOG_LEVEL="ERROR")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
             f"from bench.import_ledger import *; django_setup({self.template!r}); seed_reference()"],
            check=True, cwd=ROOT,
        )  # fmt: skip

    def _psql(self, *statements):
        env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
        for sql in statements:
            subprocess.run(
                ["psql", f"{PG_URL}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                check=True,
                env=env,
            )

    def fresh(self):
        self.n += 1
        if self.kind == "sqlite":
            path = self.tmp / f"run{self.n}.sqlite3"
            shutil.copy(self.tmp / "template.sqlite3", path)
            return f"sqlite:///{path}", lambda: path.unlink()
        name = f"{self.prefix}_run{self.n}"
        self._psql(f"CREATE DATABASE {name} TEMPLATE {self.prefix}_tpl")
        return f"{PG_URL}/{name}", lambda: self._psql(f"DROP DATABASE {name}")

    def close(self):
        if self.kind == "postgres":
            self._psql(f"DROP DATABASE IF EXISTS {self.prefix}_tpl")


def run_once(variant, xlsx, dbs):
    url, drop = dbs.fresh()
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", variant, "--file", str(xlsx), "--url", url],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
    finally:
        drop()
    if out.returncode:
        raise RuntimeError(f"{variant} 失败:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results, rows, db):
    print()
    print(f"数据库 {db}，{rows:,} 行，各方案预热1次后取中位数")
    print(
        f"{'方案':<12}{'用时(s)':>10}{'行/秒':>12}{'峰值内存(MB)':>16}{'查询数':>10}{'各次用时':>24}"
    )
    for v, r in results.items():
        rate = r["rows"] / r["seconds"] if r["seconds"] else 0
        runs = ", ".join(f"{x:.2f}" for x in r["runs"])
        print(
            f"{v:<12}{r['seconds']:>10.2f}{rate:>12,.0f}{r['peak_mb']:>16.0f}{r['queries']:>10,}{runs:>24}"
        )
    if "ours" not in results:
        return
    ours = results["ours"]["seconds"]
    print()
    for v, label, target in (
        ("ie_default", "import-export 默认", 5),
        ("ie_bulk", "import-export 批量", 2),
    ):
        if v in results:
            ratio = results[v]["seconds"] / ours
            print(
                f"比 {label} 快 {ratio:.1f} 倍（目标 ≥{target}倍）：{'达标' if ratio >= target else '未达标'}"
            )
    if "floor" in results:
        ratio = ours / results["floor"]["seconds"]
        print(f"为下限(calamine+{'COPY' if db == 'postgres' else 'executemany'})的 {ratio:.2f} 倍"
              f"（目标 ≤2倍）：{'达标' if ratio <= 2 else '未达标'}")  # fmt: skip
    print(
        f"本项目导入峰值内存 {results['ours']['peak_mb']:.0f} MB（{rows:,}行；50,000行目标 <400MB）"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(VARIANTS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.url)
        return

    variants = [v for v in args.only.split(",") if v]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    dbs = None
    try:
        dbs = Databases(args.db, tmp)
        xlsx = tmp / "ledger.xlsx"
        t0 = time.perf_counter()
        generate(xlsx, args.rows)
        size = xlsx.stat().st_size / 1048576
        print(f"生成 {args.rows:,} 行台账：{size:.1f} MB，用时 {time.perf_counter() - t0:.1f}s")
        results = {}
        for v in variants:
            run_once(v, xlsx, dbs)  # warm-up: OS caches, PostgreSQL buffers, .pyc files
            runs = [run_once(v, xlsx, dbs) for _ in range(max(1, args.repeat))]
            median = statistics.median(r["seconds"] for r in runs)
            results[v] = dict(
                rows=runs[0]["rows"],
                seconds=median,
                runs=[r["seconds"] for r in runs],
                queries=runs[0]["queries"],
                peak_mb=max(r["peak_mb"] for r in runs),
            )
            times = ", ".join(f"{r['seconds']:.2f}s" for r in runs)
            print(f"  {v}: {times}", flush=True)
        report(results, args.rows, args.db)
    finally:
        if dbs is not None:
            dbs.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
