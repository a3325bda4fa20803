"""The minute-by-minute search for jobs whose worker is gone (registry.jobs.sweep) as a
django-celery-beat row, editable in the admin like the other schedules."""

from django.db import migrations

NAME = "每分钟检查中断的后台任务"


def create(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = Interval.objects.get_or_create(every=1, period="minutes")
    Task.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "registry.sweep_jobs",
            "interval": every,
            "crontab": None,
            "enabled": True,
            "description": "报表、导出、导入的工作进程停止后，重新排队一次；再次中断则标记为失败并说明原因",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_job_requeue_fields"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
