"""The daily 批示 reminders (due soon, overdue) as a django-celery-beat row, editable in the
admin like the other schedules."""

from django.db import migrations

NAME = "每日批示反馈提醒"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(
        minute="40", hour="8", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )  # fmt: skip
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "instructions.send_due",
            "crontab": cron,
            "enabled": True,
            "description": "每天8:40提醒责任单位反馈即将到期的领导批示，逾期未反馈的同时告知审核员和批示领导",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("instructions", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
