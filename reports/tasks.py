"""Celery tasks of the reports: thin, by id, state on the ReportRun row."""

from celery import shared_task

from core.jobs import heartbeat
from reports import services


@shared_task(name="reports.build_report", bind=True, acks_late=True, reject_on_worker_lost=True)
def build_report(self, run_id):
    # acks_late + reject_on_worker_lost: a worker killed mid-build leaves the message in the
    # queue, and the next worker takes the run over (services.claim hands out a new token).
    # A whole worker killed leaves it unacknowledged: the minute's sweep sends it again once
    # its heartbeat is stale (core.jobs).
    with heartbeat(services.REPORT_JOB, run_id):
        return services.build(run_id, task_id=self.request.id or "")


@shared_task(name="reports.scheduled_report")
def scheduled_report(kind):
    """Beat's entry: the last closed period of `kind`, for the whole city."""
    from reports.schedule import last_period

    # The city set the schedule (the yearly one on 15 January, after December's deadline):
    # a scheduled run is its standing confirmation, there is nobody to ask.
    run = services.request_run(kind=kind, period=last_period(kind), confirmed=True)
    return run.pk
