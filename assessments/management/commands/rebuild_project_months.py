"""manage.py rebuild_project_months [--check]: the monthly fact table from scratch."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.project_months import differences, rebuild


class Command(BaseCommand):
    help = "从头重建项目月度事实表（--check：只比较，不写入）"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查事实表是否与重建结果一致")

    def handle(self, *args, check=False, **options):
        if check:
            wrong = differences()
            if wrong:
                raise CommandError(f"项目月度事实表与重建结果不一致（前{len(wrong)}行）：{wrong}")
            self.stdout.write("项目月度事实表与重建结果一致")
            return
        with transaction.atomic():
            rows = rebuild()
        self.stdout.write(f"项目月度事实表已重建：{rows}行")
