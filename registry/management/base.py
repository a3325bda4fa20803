"""Management commands that fail in Chinese, in one line, without a traceback.

An operator running `manage.py import_ledger` with the database stopped, or hitting a bug,
gets one sentence saying what happened and that nothing half-done was kept; the traceback
goes to the log only with Django's own `--traceback` option (then it is raised as usual).
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

logger = logging.getLogger("registry.commands")

MSG_DATABASE = "无法访问数据库（{error}），命令未完成。请检查数据库是否运行、DATABASE_URL 是否正确"
MSG_CRASHED = "命令出错（系统内部错误：{error}），未完成。加 --traceback 可查看详细信息"


def one_line(exc) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class ChineseErrorsCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (CommandError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            if options.get("traceback"):
                raise
            message = MSG_DATABASE if isinstance(exc, DatabaseError) else MSG_CRASHED
            logger.error("manage.py command failed: %s", one_line(exc))
            raise CommandError(message.format(error=one_line(exc))) from None
