"""The nightly clean-up of old export files (EXPORT_KEEP_DAYS) as a django-celery-beat row,
editable in the admin like the reports' and reminders' schedules."""

from django.db import migrations

NAME = "每日清理过期导出文件"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(
        minute="0", hour="3", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "registry.purge_exports",
            "crontab": cron,
            "enabled": True,
            "description": "每天3:00删除超过保留天数（EXPORT_KEEP_DAYS）的导出文件，导出记录保留",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_export_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
