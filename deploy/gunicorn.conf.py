"""gunicorn settings for production (see README, 生产部署). Values can be overridden by
GUNICORN_* environment variables or on the command line."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: every request is short (exports and reports run in Celery); 2 per core.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a leak in one request can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# GUNICORN_ACCESSLOG=off turns the access log off (load benchmarks).
accesslog = (
    None
    if os.environ.get("GUNICORN_ACCESSLOG") == "off"
    else os.environ.get("GUNICORN_ACCESSLOG", "-")
)
errorlog = "-"
# The reverse proxy (nginx) terminates HTTPS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
