"""manage.py scores --period 2026-10|2026-Q3|2026 [--by region|unit] [--csv FILE]."""

import csv

from django.core.management.base import BaseCommand, CommandError

from assessments.scoring import COMPONENTS, scores, subject
from core.periods import PeriodError, parse_period
from registry.models import Project
from registry.selectors import year_list

CSV_HEADER = ["排名", "名称", *[label for _k, label in COMPONENTS], "扣分", "得分", "投资完成率(%)"]


class Command(BaseCommand):
    help = "计算县区或单位在某月、季度或年度的得分和排名（红榜/黑榜）"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-10、2026-Q3 或 2026")
        parser.add_argument("--by", choices=["region", "unit"], default="region")
        parser.add_argument("--csv", dest="csv_file", help="把得分明细写入CSV文件")

    def handle(self, *args, period, by, csv_file=None, **options):
        try:
            p = parse_period(period, allow=("month", "quarter", "year", "ytd"))
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        projects = year_list(p.year, Project.objects.all(), as_of=p.end)
        rows = scores(projects, p, by=by)
        what = subject(projects, p, by)
        self.stdout.write(f"{p.label}{what}得分（共{len(rows)}个）")
        for r in rows:
            parts = " ".join(f"{label}{r.components[k]}" for k, label in COMPONENTS)
            self.stdout.write(f"  {r.rank}. {r.name} {r.score}分（{parts} 扣{r.penalty}）")
        boards = "；".join(f"{r.board}：{r.name}" for r in rows if r.board)
        if boards:
            self.stdout.write(boards)
        if csv_file:
            try:
                with open(csv_file, "w", newline="", encoding="utf-8-sig") as fh:
                    out = csv.writer(fh)
                    out.writerow(CSV_HEADER)
                    for r in rows:
                        parts = [r.components[k] for k, _l in COMPONENTS]
                        rate = "" if r.completion_rate is None else r.completion_rate
                        out.writerow([r.rank, r.name, *parts, r.penalty, r.score, rate])
            except OSError as exc:
                raise CommandError(f"无法写入文件 {csv_file}：{exc.strerror}") from exc
