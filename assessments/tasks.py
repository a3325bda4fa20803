"""Celery tasks of the assessments app."""

from celery import shared_task

from assessments import cache


@shared_task(name="assessments.refresh_figure", ignore_result=True)
def refresh_figure(key: str) -> bool:
    """Recompute a figure pages are being served stale (assessments.cache)."""
    return cache.refresh(key)
