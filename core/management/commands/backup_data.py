"""`manage.py backup_data [--dir D]`: the database and uploaded files into one directory."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与上传文件（含校验清单）"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录（默认 backups/时间戳）")

    def handle(self, *args, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(options["dir"] or Path("backups") / stamp)
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {target}：{len(manifest['tables'])} 张表，{rows} 行，含上传文件"
        )
