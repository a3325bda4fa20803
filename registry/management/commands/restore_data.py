"""`manage.py restore_data DIR --yes`: replace the database and uploaded files with a backup."""

from django.core.management.base import BaseCommand, CommandError

from registry.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库与上传文件（会覆盖当前数据），恢复后逐表校验"

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup_data 生成的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前全部数据；确认无误请加 --yes")
        try:
            manifest = restore(options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {options['source']}（{manifest['created']}），{len(manifest['tables'])} 张表校验一致"
        )
