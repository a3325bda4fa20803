"""manage.py import_ledger PATH [--year Y] [--dry-run] [--create-missing] [--user USERNAME]

Thin: runs registry.ledger_import on the file through the one import-batch life cycle
(registry.import_batches.batch_run), which records an ImportBatch.
The import is done as a person, like on the web: their scope applies and their name goes on
the batch and in the change history (--user, else the account named like the OS user).
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from registry.choices import ImportKind, ProjectLevel, Role
from registry.import_batches import MSG_CRASHED, batch_run
from registry.ledger_import import ledger_import
from registry.management.base import ChineseErrorsCommand
from registry.models import ImportBatch
from registry.roles import has_role

MAX_SHOWN_ERRORS = 50


class Command(ChineseErrorsCommand):
    help = "导入年度重点项目台账（.xlsx/.xls/.ods）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账文件路径")
        parser.add_argument(
            "--year", type=int, default=None, help="台账年度（默认取标题中的年份或今年）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并预览，不写入")
        parser.add_argument(
            "--create-missing", action="store_true", help="自动创建系统中没有的地区/单位/领导"
        )
        parser.add_argument(
            "--level",
            choices=[label for _v, label in ProjectLevel.choices],
            default=None,
            help="默认项目级别：表中没有“项目级别”列、标题也未写明时采用（导入印发的计划表）",
        )
        parser.add_argument(
            "--user",
            default=None,
            help="以哪个账号的名义导入（用户名；默认取与操作系统用户同名的账号）",
        )

    def handle(self, *args, path, year, dry_run, create_missing, user=None, level=None, **options):
        level = {label: v for v, label in ProjectLevel.choices}.get(level) if level else None
        if not os.path.isfile(path):
            raise CommandError(f"文件不存在：{path}")
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"年度无效：{year}")
        user = self._importer(user)
        show_bar = options.get("verbosity", 1) > 0
        batch = ImportBatch(
            kind=ImportKind.LEDGER,
            file_name=os.path.basename(path)[:255],
            year=year,
            create_missing=create_missing,
            default_level=level or "",
            dry_run=dry_run,
            created_at=timezone.now(),
            created_by=user,
        )

        def run():
            return ledger_import(
                path,
                file_name=os.path.basename(path),
                year=year,
                dry_run=dry_run,
                create_missing=create_missing,
                level=level,
                user=user,
                progress=self._bar if show_bar else None,
            )

        # A bug, not bad input, fails the batch and is told in Chinese; the traceback only
        # with --traceback (one line in the log otherwise).
        result = batch_run(batch, run, traceback=options["traceback"])
        if result is None:
            raise CommandError(MSG_CRASHED.format(pk=batch.pk))
        if show_bar:
            self.stderr.write("")
        self._report(result, dry_run=dry_run, verbosity=options.get("verbosity", 1))

    def _report(self, result, *, dry_run, verbosity):
        """What was read, then the errors (exit 1) or the summary."""
        for sheet in result.sheets:
            self.stdout.write(
                f"工作表“{sheet['name']}”：表头在第{sheet['header_row']}行，{sheet['rows']}行数据"
            )
        for name in result.skipped_sheets:
            self.stdout.write(f"已跳过工作表“{name}”（未找到表头）")
        if result.busy:
            raise CommandError(result.errors[0])
        if result.errors:
            for err in result.errors[:MAX_SHOWN_ERRORS]:
                self.stderr.write(err)
            if len(result.errors) > MAX_SHOWN_ERRORS:
                self.stderr.write(f"……另有{len(result.errors) - MAX_SHOWN_ERRORS}处错误")
            raise CommandError(f"导入失败，未写入任何数据。{result.summary()}")
        if verbosity > 1:
            for item in result.changed[:MAX_SHOWN_ERRORS]:
                diffs = "；".join(
                    f"{label}: {old or '空'} → {new or '空'}" for label, old, new in item["changes"]
                )
                self.stdout.write(f"{item['where']} {item['code']} {item['name']}：{diffs}")
        prefix = "预览（未写入）" if dry_run else "导入完成"
        self.stdout.write(self.style.SUCCESS(f"{prefix}：{result.year}年台账，{result.summary()}"))

    @staticmethod
    def _importer(username):
        """The account the import is recorded under; refuse rather than record nobody."""
        given = username is not None
        username = username if given else getpass.getuser()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            if given:
                raise CommandError(f"没有用户名为“{username}”的有效账号")
            raise CommandError(
                f"系统中没有与当前操作系统用户“{username}”同名的账号，"
                "请用 --user 指定以哪个账号的名义导入（审核员或管理员）"
            )
        if not has_role(user, Role.REVIEWER, Role.ADMIN):
            raise CommandError(f"账号“{username}”不是审核员或管理员，不能导入台账")
        return user

    def _bar(self, fraction, text=""):
        width = 30
        filled = int(width * fraction)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {int(fraction * 100):3d}% {text}   "
        )
        sys.stderr.flush()
