"""The report schedules of SPEC §3.4 as django-celery-beat rows, editable in the admin."""

import json

from django.db import migrations

# Copied here (not imported) so the migration keeps meaning what it meant when written.
SCHEDULES = [
    ("月度调度报表（每月6日，上月）", "monthly", ("0", "6", "6", "*")),
    ("季度通报（季后8日，上季度）", "quarterly", ("0", "6", "8", "1,4,7,10")),
    ("年度考评（1月15日，上年度）", "yearly", ("0", "6", "15", "1")),
]


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, kind, (minute, hour, day, month) in SCHEDULES:
        cron, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week="*",
            timezone="Asia/Shanghai",
        )  # fmt: skip
        Task.objects.update_or_create(
            name=name,
            defaults={
                "task": "reports.scheduled_report",
                "crontab": cron,
                "kwargs": json.dumps({"kind": kind}),
                "enabled": True,
                "description": "自动生成全市报表；可在后台修改时间或停用",
            },
        )


def remove(apps, schema_editor):
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    Task.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_run"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
