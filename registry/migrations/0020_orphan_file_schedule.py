"""The nightly removal of stored files no row names (core.files.sweep_orphan_files) as a
django-celery-beat row, editable in the admin like the other schedules."""

from django.db import migrations

NAME = "每日清理无记录引用的上传文件"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(
        minute="30", hour="3", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "registry.sweep_orphan_files",
            "crontab": cron,
            "enabled": True,
            "description": "每天3:30删除没有任何记录引用、且已超过一天的上传文件（保存中断留下的残余）",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_job_sweep_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
