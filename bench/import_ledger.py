"""Ledger import benchmark (issue 5).

    .venv/bin/python bench/import_ledger.py [--rows 10000] [--only ours,ie_default,ie_bulk,floor]

Generates a ledger of N rows (template columns, real date cells) and imports it into a
fresh throwaway SQLite database per variant, each in its own process so that peak memory
(ru_maxrss) belongs to that variant alone:

  ours        registry.ledger_import (validation, matching, history, plans, land, 五个一)
  ie_default  django-import-export 4 with its defaults (per-row save, signals → history)
  ie_bulk     django-import-export with use_bulk, batch_size=1000, skip_diff,
              CachedInstanceLoader and CachedForeignKeyWidget
  floor       python-calamine read + one bare bulk_create of the same rows (projects, annual
              plans, land), no validation, no history

django-import-export is a benchmark-only dependency.
"""

import argparse
import json
import os
import random
import resource
import shutil
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


def django_setup(db_path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
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

    from registry.models import AnnualPlan, Land, Leader, Project, Region, Unit

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
            ids = dict(Project.objects.values_list("code", "pk"))
            from decimal import Decimal

            plans, lands = [], []
            for r in dataset.dict:
                pk = ids[r["项目编号"]]
                plans.append(AnnualPlan(project_id=pk, year=2026,
                                        planned_investment=Decimal(str(r["年度计划投资(万元)"]))))  # fmt: skip
                lands.append(Land(project_id=pk, required_area=Decimal(str(r["用地面积(亩)"]))))
            AnnualPlan.objects.bulk_create(plans, batch_size=1000)
            Land.objects.bulk_create(lands, batch_size=1000)

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
    import datetime
    from decimal import Decimal

    import python_calamine

    from registry.models import AnnualPlan, Land, Leader, Project, Region, Unit

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(0).to_python()[1:]
    regions = dict(Region.objects.values_list("name", "pk"))
    units = dict(Unit.objects.values_list("name", "pk"))
    leaders = dict(Leader.objects.values_list("name", "pk"))
    projects = []
    for r in rows:
        projects.append(Project(
            code=r[1], name=r[2], year=2026, level=LEVELS[r[3]], region_id=regions[r[4]],
            unit_id=units[r[5]], leader_id=leaders[r[6]], nature=NATURES[r[7]],
            category=CATEGORIES[r[8]], sector=SECTORS[r[9]], scope=r[10],
            total_investment=Decimal(str(r[11])),
            planned_start=r[13].date() if isinstance(r[13], datetime.datetime) else r[13],
            planned_finish=r[14].date() if isinstance(r[14], datetime.datetime) else r[14],
            owner=r[15], contact=r[16], phone=str(r[17]),
        ))  # fmt: skip
    Project.objects.bulk_create(projects, batch_size=1000)
    AnnualPlan.objects.bulk_create(
        [AnnualPlan(project=p, year=2026, planned_investment=Decimal(str(r[12])))
         for p, r in zip(projects, rows, strict=True)], batch_size=1000)  # fmt: skip
    Land.objects.bulk_create(
        [
            Land(project=p, required_area=Decimal(str(r[18])))
            for p, r in zip(projects, rows, strict=True)
        ],
        batch_size=1000,
    )
    return len(projects)


def child(variant, path, db_path):
    django_setup(db_path)
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
    from registry.models import AnnualPlan, Project

    assert Project.objects.count() == n and AnnualPlan.objects.count() == n, "rows missing"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"variant": variant, "rows": n, "seconds": elapsed, "queries": queries[0],
                      "peak_mb": peak_mb}))  # fmt: skip


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--only", default=",".join(VARIANTS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.db)
        return

    variants = [v for v in args.only.split(",") if v]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    try:
        template_db = tmp / "template.sqlite3"
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{template_db}", LOG_LEVEL="ERROR")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
             f"from bench.import_ledger import *; django_setup({str(template_db)!r}); seed_reference()"],
            check=True, cwd=ROOT,
        )  # fmt: skip
        xlsx = tmp / "ledger.xlsx"
        t0 = time.perf_counter()
        generate(xlsx, args.rows)
        print(
            f"生成 {args.rows:,} 行台账：{xlsx.stat().st_size / 1048576:.1f} MB，用时 {time.perf_counter() - t0:.1f}s"
        )
        results = {}
        for v in variants:
            db = tmp / f"{v}.sqlite3"
            shutil.copy(template_db, db)
            out = subprocess.run(
                [sys.executable, __file__, "--child", v, "--file", str(xlsx), "--db", str(db)],
                capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            if out.returncode:
                print(f"{v} 失败:\n{out.stderr[-3000:]}")
                continue
            results[v] = json.loads(out.stdout.strip().splitlines()[-1])
        print()
        print(f"{'方案':<12}{'用时(s)':>10}{'行/秒':>12}{'峰值内存(MB)':>16}{'查询数':>10}")
        for v, r in results.items():
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0
            print(
                f"{v:<12}{r['seconds']:>10.2f}{rate:>12,.0f}{r['peak_mb']:>16.0f}{r['queries']:>10,}"
            )
        if "ours" in results:
            ours = results["ours"]["seconds"]
            print()
            for v, label, target in (
                ("ie_default", "import-export 默认", 5),
                ("ie_bulk", "import-export 批量", 2),
            ):
                if v in results:
                    ratio = results[v]["seconds"] / ours
                    verdict = "达标" if ratio >= target else "未达标"
                    print(f"比 {label} 快 {ratio:.1f} 倍（目标 ≥{target}倍）：{verdict}")
            if "floor" in results:
                ratio = ours / results["floor"]["seconds"]
                print(
                    f"为下限(calamine+bulk_create)的 {ratio:.2f} 倍（目标 ≤2倍）：{'达标' if ratio <= 2 else '未达标'}"
                )
            peak = results["ours"]["peak_mb"]
            print(f"本项目导入峰值内存 {peak:.0f} MB（{args.rows:,}行；50,000行目标 <500MB）")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
