"""Celery tasks of the channels: one delivery, and the sweep that retries due ones."""

from celery import shared_task


@shared_task(name="core.channels.deliver")
def deliver_message_task(pk):
    from core.channels.outbox import deliver

    return deliver(pk)


@shared_task(name="core.channels.retry_due")
def retry_deliveries_task():
    from core.channels.outbox import retry_due

    return retry_due()
