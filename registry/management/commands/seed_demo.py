"""manage.py seed_demo [--projects N] [--seed S] [--cities C]: the demo city, deterministic and
idempotent (`--cities 10`: a province above ten cities, for measuring at province scale).

Registry data first, then each installed app's `<app>.demo.seed(...)` in INSTALLED_APPS order,
so registry never imports the apps that depend on it. Each app's tables are analysed as soon
as its stage is committed: the next stage's queries run on fresh planner statistics.
"""

import importlib
import time

from django.apps import apps
from django.core.management.base import CommandError
from django.utils import timezone

from core.bulk import analyze
from registry.demo import seed_registry
from registry.management.base import ChineseErrorsCommand

SEEDED_APPS = {"registry", "milestones", "assessments", "evaluations", "reports", "instructions"}


class Command(ChineseErrorsCommand):
    help = "生成示例城市数据（可重复执行，结果不变）"

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=120, help="项目数量（默认120）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认2026）")
        parser.add_argument(
            "--cities", type=int, default=1, help="城市数（默认1；大于1时生成一个省，最多10）"
        )

    def handle(self, *args, projects, seed, cities, **options):
        if projects < 1 or projects > 200000:
            raise CommandError("项目数量应在 1 到 200000 之间")
        if cities < 1 or cities > 10:
            raise CommandError("城市数应在 1 到 10 之间")
        started = time.monotonic()
        today = timezone.localdate()
        result = seed_registry(
            projects=projects, seed=seed, today=today, stdout=self.stdout, cities=cities
        )
        _analyze("registry")
        self.stdout.write(
            f"台账：新建项目 {result.created_projects} 个，{today.year} 年共 {result.total_projects} 个"
        )
        for config in apps.get_app_configs():
            if config.name == "registry":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.seed(seed=seed, year=today.year, today=today, stdout=self.stdout)
            _analyze(config.name)
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒")
        self.stdout.write("")
        self.stdout.write("示例账号（密码相同）：")
        for username, password, role, name in result.users:
            self.stdout.write(f"  {role:<4} {username:<10} 密码 {password}  （{name}）")


def _analyze(app_name):
    """Fresh bulk-loaded tables have no planner statistics on PostgreSQL (autovacuum may be
    off or late): without ANALYZE the next stage's queries (the assessment's facts) and the
    first list query run 100× slower (57 s instead of 3 for a 20,000-project seed)."""
    if app_name in SEEDED_APPS:
        analyze(*apps.get_app_config(app_name.rsplit(".", 1)[-1]).get_models())
