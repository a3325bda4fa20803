"""The project's Celery app with report and export builds slowed down, so a fault test can
kill the worker while a job is 生成中 (`celery -A tests.faults.slow_worker worker`).

FAULT_SLOW_SECONDS (environment) is how long each build waits before doing its work; the
job's heartbeat keeps beating meanwhile, as it would during a long real build.
"""

import os
import time

from celery.signals import task_prerun

from projects_site.celery import app  # noqa: F401  (the app celery -A finds here)

_patched = False


def _slow(build):
    def slow_build(*args, **kwargs):
        time.sleep(float(os.environ.get("FAULT_SLOW_SECONDS", "0")))
        return build(*args, **kwargs)

    return slow_build


@task_prerun.connect
def _slow_down_builds(**_kwargs):
    """Patched at the first task, when Django is set up in this (pool) process."""
    global _patched
    if _patched:
        return
    _patched = True
    from core import export_jobs
    from reports import build

    build.build_workbook = _slow(build.build_workbook)
    spec_of = export_jobs.export_spec

    def slow_spec(kind):
        spec = spec_of(kind)
        return spec and export_jobs.ExportSpec(rows=spec.rows, build=_slow(spec.build))

    export_jobs.export_spec = slow_spec
