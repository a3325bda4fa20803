"""The one Celery app. Tasks live in <app>/tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_site.settings")

app = Celery("projects_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
