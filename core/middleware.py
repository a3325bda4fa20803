"""Idle timeout without a database write on every request.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs an UPDATE and a
commit per click and per API call, which at 20 concurrent dashboard clients was a large
share of each request. Here the expiry is pushed forward only when the last push is older
than SESSION_REFRESH_SECONDS (default 300), so the idle timeout stays SESSION_COOKIE_AGE,
give or take those few minutes, for one write every five minutes per active user.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

STAMP = "_refreshed_at"


@receiver(user_logged_in, dispatch_uid="registry.session_refresh_stamp")
def stamp_at_login(sender, request, user, **kwargs):
    """Logging in saves the session with a fresh expiry: the next refresh is due from now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[STAMP] = int(time.time())


def session_refresh(get_response):
    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        # Anonymous sessions are left alone: there is nothing to keep alive, and writing
        # one would create a session row for every visitor of the login page.
        if session is None or session.is_empty() or not session.get("_auth_user_id"):
            return response
        now = int(time.time())
        interval = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
        if now - int(session.get(STAMP, 0)) >= interval:
            session[STAMP] = now  # marks the session modified: SessionMiddleware saves it
        return response

    return middleware
