"""Celery tasks of the monthly cycle."""

from celery import shared_task


@shared_task(name="milestones.send_reminders")
def send_reminders():
    from milestones.reminders import send_scheduled

    return send_scheduled()


@shared_task(name="milestones.purge_pending_photos")
def purge_pending_photos():
    from milestones.photos import purge_pending

    return purge_pending()
