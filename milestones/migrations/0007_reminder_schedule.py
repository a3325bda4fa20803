"""The daily reminder job (SPEC §3.7) as a django-celery-beat row, editable in the admin."""

from django.db import migrations

NAME = "每日提醒（填报开始、截止临近、问题逾期）"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(
        minute="30", hour="8", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "milestones.send_reminders",
            "crontab": cron,
            "enabled": True,
            "description": "每天8:30向需要处理的人发送站内通知和邮件；同一事件不会重复发送",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0006_admin_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
