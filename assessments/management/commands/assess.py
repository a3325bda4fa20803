"""manage.py assess --period 2026-10 [--csv FILE]: recompute a month's project statuses."""

import csv

from django.core.management.base import BaseCommand, CommandError

from assessments.choices import Status
from assessments.services import assess_month
from core.periods import PeriodError, parse_period

CSV_HEADER = ["项目编号", "状态", "R", "T", "G", "原因"]


class Command(BaseCommand):
    help = "重新计算某月全部项目的状态（可重复执行，结果不变）"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="月份，如 2026-10")
        parser.add_argument("--csv", dest="csv_file", help="把每个项目的状态写入CSV文件")

    def handle(self, *args, period, csv_file=None, **options):
        try:
            p = parse_period(period, allow=("month",))
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        result = assess_month(year=p.year, month=p.index)
        labels = dict(Status.choices)
        total = sum(result["counts"].values())
        self.stdout.write(f"{p.label}：共评价 {total} 个项目")
        for status, n in result["counts"].items():
            self.stdout.write(f"  {labels[status]} {n}")
        if csv_file:
            self._write_csv(csv_file, result["rows"], labels)
            self.stdout.write(f"已写入 {csv_file}")

    def _write_csv(self, path, rows, labels):
        try:
            with open(path, "w", newline="", encoding="utf-8-sig") as fh:
                out = csv.writer(fh)
                out.writerow(CSV_HEADER)
                for facts, j in rows:
                    out.writerow([facts.code, labels[j.status], *_nums(j), "；".join(j.reasons)])
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc


def _nums(j):
    return ["" if v is None else v for v in (j.r, j.t, j.g)]
