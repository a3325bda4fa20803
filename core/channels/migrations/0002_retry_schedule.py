"""The sweep that retries channel messages whose next attempt is due, every minute, as a
django-celery-beat row editable in the admin like the other schedules."""

from django.db import migrations

NAME = "渠道消息重试（每分钟）"


def create(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = Interval.objects.get_or_create(every=1, period="minutes")
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "core.channels.retry_due",
            "interval": every,
            "enabled": True,
            "description": "短信、企业微信/政务微信、钉钉消息发送失败后按1、2、4…分钟退避重试",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core_channels", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
