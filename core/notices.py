"""Notices and their e-mails (SPEC §3.7): in the app, and by Django's e-mail backend.

`notify` creates one Notice per person and event — a unique (recipient, event_key) row, so a
beat job run twice, two workers at once or a retried request never notify anyone twice — and
sends one e-mail for each notice it created, after the transaction commits (nothing is
mailed about work that was rolled back). People without an e-mail address get the notice only.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Notice

log = logging.getLogger(__name__)


def notify(users, *, kind, event_key, title, body="", url="") -> list[Notice]:
    """Notify each of `users` once about `event_key`; returns the notices created now."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        try:
            with transaction.atomic():
                notice, new = Notice.objects.get_or_create(
                    recipient=user,
                    event_key=event_key,
                    defaults={"kind": kind, "title": title[:200], "body": body, "url": url},
                )
        except IntegrityError:  # the same event, created meanwhile by someone else
            continue
        if new:
            created.append(notice)
            if user.email:
                transaction.on_commit(lambda n=notice, u=user: _mail(n, u))
    return created


def _mail(notice: Notice, user):
    link = f"\n\n查看：{settings.SITE_URL.rstrip('/')}{notice.url}" if notice.url else ""
    try:
        send_mail(
            subject=f"【重点项目管理系统】{notice.title}",
            message=f"{notice.body}{link}\n\n（系统自动发送，请勿回复）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception:  # a mail server that is down must not undo the work that notified
        log.exception("notice %s: e-mail to %s failed", notice.pk, user.email)
        return
    Notice.objects.filter(pk=notice.pk).update(emailed=True)


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pk=None) -> int:
    """Mark one notice (or all) of `user` read; returns how many changed."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
