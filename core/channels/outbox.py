"""The outbox: a notice becomes one Delivery row per configured channel, each sent by a
Celery task after the commit and retried with back-off while its channel is down.

- `notice_created(notice, user)` — called (after commit) by the notices module for every
  notice it creates. Only kinds in CHANNEL_NOTICE_KINDS go out (reminders, 催报, 批示), and
  only on the channels configured; the notice itself is already saved whatever happens here.
- `deliver(pk)` — claims the row (one UPDATE, so two workers never send it twice), sends it,
  records 已发送, or the error and when to try again: 1, 2, 4 … minutes (at most an hour),
  until CHANNEL_MAX_ATTEMPTS, then 发送失败 (visible in the admin).
- `retry_due()` — the beat job (every minute): every row whose next attempt is due.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.channels import messages, senders
from core.channels.models import Channel, Delivery, DeliveryStatus

log = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=5)  # a claimed row is not claimed again for this long
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _phone(user) -> str:
    profile = getattr(user, "profile", None)
    phone = getattr(profile, "phone", "") if profile is not None else ""
    if not phone:
        phone = getattr(getattr(user, "leader", None), "phone", "") or ""
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")[:20]


def _name(user) -> str:
    return user.get_full_name() or user.username


def notice_created(notice, user) -> list[Delivery]:
    """Outbox rows for one new notice (none when no channel is on or the kind stays in-app)."""
    on = senders.enabled()
    if not on or notice.kind not in settings.CHANNEL_NOTICE_KINDS:
        return []
    phone = _phone(user)
    rows = []
    for channel in on:
        if channel == Channel.SMS:
            if not phone:
                continue
            text = messages.sms(title=notice.title, body=notice.body, url=notice.url)
            row = _row(channel, user, phone, notice, text, [])
        else:
            text = messages.group(
                title=notice.title, body=notice.body, url=notice.url, names=[_name(user)]
            )
            row = _row(channel, user, "", notice, text, [phone] if phone else [])
        if row is not None:
            rows.append(row)
    for row in rows:
        _queue(row)
    return rows


def _row(channel, user, address, notice, text, mentions):
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                channel=channel, recipient=user, address=address, event_key=notice.event_key,
                notice_id=notice.pk, text=text, mentions=mentions, next_attempt_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:  # this event already went to this number or group
        return None


def _queue(row):
    """Hand the row to a worker; with the broker down it waits for the minute's sweep."""
    from core.channels.tasks import deliver_message_task
    from core.queue import QueueUnavailableError, send

    try:
        send(deliver_message_task, row.pk)
    except QueueUnavailableError:
        log.warning("delivery %s: queue down, left to the retry sweep", row.pk)
    except Exception:  # an eager task that failed unexpectedly: the sweep tries again
        log.exception("delivery %s: first attempt failed", row.pk)


def deliver(pk: int, now: datetime.datetime | None = None) -> str:
    """Send one due row; returns its status afterwards ("" when not due or taken)."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=pk, status__in=OPEN, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )
    if not claimed:
        return ""
    row = Delivery.objects.get(pk=pk)
    row.attempts += 1
    try:
        senders.send(row)
    except senders.ChannelError as exc:
        row.last_error = str(exc)[:500]
        if row.attempts >= settings.CHANNEL_MAX_ATTEMPTS:
            row.status, row.next_attempt_at = DeliveryStatus.FAILED, None
            log.error("delivery %s on %s failed for good: %s", pk, row.channel, exc)
        else:
            row.status, row.next_attempt_at = DeliveryStatus.RETRYING, now + backoff(row.attempts)
    else:
        row.status, row.sent_at, row.next_attempt_at = DeliveryStatus.SENT, now, None
        row.last_error = ""
    row.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])
    return row.status


def retry_due(now: datetime.datetime | None = None) -> dict:
    """Every open row whose next attempt is due, oldest first."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    result = {"sent": 0, "retrying": 0, "failed": 0}
    for pk in list(due.values_list("pk", flat=True)[:500]):
        status = deliver(pk, now)
        if status:
            result[status] = result.get(status, 0) + 1
    return result
