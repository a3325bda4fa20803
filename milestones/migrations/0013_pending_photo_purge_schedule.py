"""The nightly clean-up of photos kept from failed report forms (PHOTO_PENDING_KEEP_HOURS),
as a django-celery-beat row editable in the admin like the other schedules."""

from django.db import migrations

NAME = "每日清理暂存的调度图片"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(
        minute="20", hour="3", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "milestones.purge_pending_photos",
            "crontab": cron,
            "enabled": True,
            "description": "每天3:20删除填报员未再提交的暂存图片（超过PHOTO_PENDING_KEEP_HOURS小时）",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0012_photo_evidence_and_pending"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
