"""Lock-out after wrong passwords (django-axes): by account and address, with a ceiling per
account.

Locking an account whatever address the attempts come from lets anyone who knows a user
name lock that person out for the cool-off, from one address. Locking by address alone
locks every colleague behind the same intranet NAT (SPEC §5). So the count that locks is
per (account, address): LOGIN_FAILURE_LIMIT wrong passwords from one address lock that
account there only, and its owner still signs in from their own desk. Guessing from many
addresses is stopped by a higher ceiling per account, LOGIN_ACCOUNT_FAILURE_LIMIT, after
which the account is locked from everywhere until the cool-off ends.
"""

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def account_failures(username: str) -> int:
    """Wrong passwords for `username` from every address, within the cool-off (axes drops
    expired attempts before it asks)."""
    total = AccessAttempt.objects.filter(username=username).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: axes compares it with the failures of this (account, address).
    Past the account's ceiling the limit is 0, so every address is locked out."""
    username = get_client_username(request, credentials)
    if username and account_failures(username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return 0
    return settings.LOGIN_FAILURE_LIMIT
