"""manage.py generate_report {monthly|quarterly|yearly} --period P [--region CODE]

The same as the reports page or the schedule: one run per kind, period and scope, rebuilt in
place. With a real worker (REDIS_URL) it queues the run and waits for it (--no-wait: don't)."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.queue import QueueUnavailableError
from registry.management.base import ChineseErrorsCommand
from registry.models import Region
from reports import services
from reports.models import ReportKind, ReportRun, RunStatus


class Command(ChineseErrorsCommand):
    help = "生成调度报表（月度调度、季度通报、年度考评）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--period", required=True, help="2026-10、2026-Q3 或 2026")
        parser.add_argument("--region", default="", help="县区代码；省略为全市")
        parser.add_argument("--no-wait", action="store_true")
        parser.add_argument("--timeout", type=int, default=600)

    def handle(self, *args, kind, period, region, no_wait, timeout, **options):
        place = None
        if region:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError(f"地区代码不存在：{region}")
        try:
            run = services.request_run(kind=kind, period=period, region=place)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except QueueUnavailableError as exc:
            raise CommandError(exc.message) from None
        deadline = time.monotonic() + timeout
        while not no_wait and not run.is_finished and time.monotonic() < deadline:
            time.sleep(1)
            run = ReportRun.objects.get(pk=run.pk)
        if run.status == RunStatus.FAILED:
            raise CommandError(f"{run}：失败 — {run.error}")
        where = run.file.path if run.file else ""
        self.stdout.write(f"{run}：{run.get_status_display()} {where}")
