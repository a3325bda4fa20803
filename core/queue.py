"""Handing work to Celery.

With a real broker, Redis may be down when a user asks for work. Publishing must then
fail fast (not hang the request on kombu's default retries) and turn into a Chinese
message, with nothing half-done left behind: callers decide how to undo their own state.
A refusal is logged once per outage (core.outages), not once per request.
"""

from django.conf import settings
from kombu.exceptions import OperationalError

from core import outages

QUEUE_DOWN = "任务队列暂时不可用（无法连接 Redis），本次操作未生效，请稍后重试或联系管理员"
BROKER = "Redis (task queue)"
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


class QueueUnavailableError(Exception):
    """The broker refused the message; the task was not queued."""

    def __init__(self, message=QUEUE_DOWN):
        super().__init__(message)
        self.message = message


def send(task, *args, task_id=None, **kwargs):
    """Queue `task(*args, **kwargs)`; raise QueueUnavailableError if the broker cannot take it.

    Call after the transaction that wrote the task's input has committed, so the worker
    reads what the request wrote and a refusal can still be undone by the caller.
    """
    try:
        result = task.apply_async(
            args=args,
            kwargs=kwargs,
            task_id=task_id,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except BROKER_ERRORS as exc:
        outages.down(BROKER, exc)
        raise QueueUnavailableError() from exc
    outages.up(BROKER)
    return result


def pending_task_ids():
    """The ids of every task message Redis holds (waiting in a queue or delivered and not
    yet acknowledged), or None when that cannot be known (no Redis broker, or it is down).

    A job whose id is missing here lost its message, e.g. to a Redis restarted without
    persistence (core.jobs)."""
    from celery import current_app

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return None
    try:
        with current_app.connection_for_read() as conn:
            channel = conn.default_channel
            if not hasattr(channel, "client"):  # not the Redis transport
                return None
            client = channel.client
            blobs = list(client.hvals(channel.unacked_key))
            for name in _queue_keys(channel):
                blobs.extend(client.lrange(name, 0, -1))
    except BROKER_ERRORS as exc:
        outages.down(BROKER, exc)
        return None
    return _task_ids(blobs)


def _queue_keys(channel):
    """Redis lists of the app's queues, with kombu's priority lists beside each."""
    from celery import current_app

    names = {current_app.conf.task_default_queue}
    names.update(q.name for q in current_app.amqp.queues.values())
    keys = []
    for name in names:
        keys.extend(channel._q_for_pri(name, pri) for pri in channel.priority_steps)
    return set(keys)


def _task_ids(blobs):
    import json

    ids = set()
    for blob in blobs:
        try:
            message = json.loads(blob)
        except ValueError:
            continue
        if isinstance(message, list):  # an unacked entry: [message, exchange, routing_key]
            message = message[0] if message else {}
        task_id = (message.get("headers") or {}).get("id")
        if task_id:
            ids.add(task_id)
    return frozenset(ids)
