"""`manage.py restore_data DIR --yes`: replace the database and uploaded files with a backup,
after the backup has been restored into a scratch database and checked table by table."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "从备份目录恢复数据库与上传文件：先在临时数据库中恢复并逐表校验，一致后才替换当前数据"

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup_data 生成的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")
        parser.add_argument(
            "--verify-only", action="store_true", help="只在临时数据库中校验备份，不改动当前数据"
        )

    def handle(self, *args, **options):
        source = options["source"]
        if options["verify_only"]:
            try:
                manifest = verify(source)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"备份 {source}（{manifest['created']}）完好：{len(manifest['tables'])} 张表"
                "在临时数据库中校验一致，当前数据未改动"
            )
            return
        if not options["yes"]:
            raise CommandError(
                "恢复会覆盖当前全部数据；确认无误请加 --yes（只校验请用 --verify-only）"
            )
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {source}（{manifest['created']}）：{len(manifest['tables'])} 张表"
            "在替换前已校验一致，上传文件逐个校验一致"
        )
        if manifest["changed_since"]:
            self.stderr.write(
                "注意：恢复完成后以下数据表已有新的写入（恢复时系统仍在使用）："
                + "、".join(manifest["changed_since"][:10])
            )
