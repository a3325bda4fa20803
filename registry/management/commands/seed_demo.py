"""manage.py seed_demo [--projects N] [--seed S]: the demo city, deterministic and idempotent.

Registry data first, then each installed app's `<app>.demo.seed(...)` in INSTALLED_APPS order,
so registry never imports the apps that depend on it.
"""

import importlib
import time

from django.apps import apps
from django.core.management.base import CommandError
from django.utils import timezone

from core.bulk import analyze
from registry.demo import seed_registry
from registry.management.base import ChineseErrorsCommand

SEEDED_APPS = {"registry", "milestones", "assessments", "evaluations", "reports"}


class Command(ChineseErrorsCommand):
    help = "生成示例城市数据（可重复执行，结果不变）"

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=120, help="项目数量（默认120）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认2026）")

    def handle(self, *args, projects, seed, **options):
        if projects < 1 or projects > 100000:
            raise CommandError("项目数量应在 1 到 100000 之间")
        started = time.monotonic()
        today = timezone.localdate()
        result = seed_registry(projects=projects, seed=seed, today=today, stdout=self.stdout)
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
        # Fresh bulk-loaded tables have no planner statistics on PostgreSQL (autovacuum may
        # be off or late): without ANALYZE the first list query runs 100× slower.
        analyze(
            *(m for c in apps.get_app_configs() if c.name in SEEDED_APPS for m in c.get_models())
        )
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒")
        self.stdout.write("")
        self.stdout.write("示例账号（密码相同）：")
        for username, password, role, name in result.users:
            self.stdout.write(f"  {role:<4} {username:<10} 密码 {password}  （{name}）")
