"""A short-lived cache for the whole-scope figures behind every page, export and API.

At city scale (20,000 projects) loading a scope's leaves costs most of a second, and a
leaders' dashboard, the home page and the ledger totals ask for the same leaves over and over.
`cached` keeps them (and the figures made from them) for ASSESS_CACHE_SECONDS under a key made of the scope's SQL (so
two users with the same scope and filters share it, and different scopes never do), the
period, and a data generation.

The generation moves after every commit that can change a figure: saves and deletes of the
models the figures read (signals, connected in AssessmentsConfig.ready), and `bump()` called by
the bulk paths that bypass signals (assess, imports, seed, restore). The timeout bounds any
path that was missed. A cache that is down (Redis stopped) is a miss, never an error page.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)
GENERATION_KEY = "assess:generation"


def _timeout() -> int:
    return int(getattr(settings, "ASSESS_CACHE_SECONDS", 0))


def generation() -> int:
    try:
        return cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    except Exception:  # the cache server is down: behave as if nothing were cached
        log.warning("figure cache unavailable", exc_info=True)
        return 0


def _bump_now():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(GENERATION_KEY, 2, timeout=None)
    except Exception:
        log.warning("figure cache unavailable", exc_info=True)


def bump(**_signal_kwargs):
    """Invalidate every cached figure once the current transaction commits."""
    if _timeout():
        transaction.on_commit(_bump_now)


def cached(kind: str, projects, year: int, month: int, compute):
    """`compute()` for this scope and period, or its copy from the last ASSESS_CACHE_SECONDS."""
    timeout = _timeout()
    if not timeout:
        return compute()
    gen = generation()
    if not gen:
        return compute()
    sql, params = projects.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, year, month)).encode()).hexdigest()
    key = f"assess:{kind}:{gen}:{digest}"
    try:
        hit = cache.get(key)
    except Exception:
        log.warning("figure cache unavailable", exc_info=True)
        return compute()
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        log.warning("figure cache unavailable", exc_info=True)
    return value
