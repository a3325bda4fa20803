"""Handing work to Celery.

With a real broker, Redis may be down when a user asks for work. Publishing must then
fail fast (not hang the request on kombu's default retries) and turn into a Chinese
message, with nothing half-done left behind: callers decide how to undo their own state.
"""

import logging

from django.conf import settings
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

QUEUE_DOWN = "任务队列暂时不可用（无法连接 Redis），本次操作未生效，请稍后重试或联系管理员"


class QueueUnavailableError(Exception):
    """The broker refused the message; the task was not queued."""

    def __init__(self, message=QUEUE_DOWN):
        super().__init__(message)
        self.message = message


def send(task, *args, **kwargs):
    """Queue `task(*args, **kwargs)`; raise QueueUnavailableError if the broker cannot take it.

    Call after the transaction that wrote the task's input has committed, so the worker
    reads what the request wrote and a refusal can still be undone by the caller.
    """
    try:
        return task.apply_async(
            args=args,
            kwargs=kwargs,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.error("could not queue %s: %s", task.name, exc)
        raise QueueUnavailableError() from exc
