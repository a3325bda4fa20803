"""Celery tasks of 领导批示."""

from celery import shared_task


@shared_task(name="instructions.send_due")
def send_instruction_reminders_task():
    from instructions.notices import send_due

    return send_due()
