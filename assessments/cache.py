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
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property

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
    mine = _lock(key)
    if not mine:
        hit = _wait_for(key)
        if hit is not None:
            return hit
    try:
        value = compute()
        _store(key, value, timeout)
    finally:
        if mine:
            _unlock(key)
    return value


LOCK_SECONDS = 30
WAIT_SECONDS = 10


def _lock(key) -> bool:
    """One worker computes a missing figure; the others wait for it (no stampede when a
    popular key expires and every gunicorn worker would recompute the same scope at once)."""
    try:
        return bool(cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS))
    except Exception:
        return True


def _store(key, value, timeout):
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # the cache server is down: the figure is still right, just not kept
        log.warning("figure cache unavailable", exc_info=True)


def _unlock(key):
    try:
        cache.delete(f"{key}:lock")
    except Exception:
        log.warning("figure cache unavailable", exc_info=True)


def _wait_for(key):
    """The figure another worker is computing, or None after WAIT_SECONDS (then we compute
    it ourselves: a crashed worker's lock must not block the page)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            hit = cache.get(key)
        except Exception:
            return None
        if hit is not None:
            return hit
    return None


class CachedCountPaginator(Paginator):
    """A list's total from the figure cache. At city scale the COUNT over a year's list costs
    as much as the rows of the page, and it changes only when the figures do (the same
    generation invalidates both), so the ledger list counts once per change, not per click."""

    @cached_property
    def count(self):
        rows = self.object_list
        if not hasattr(rows, "query"):
            return super().count
        return cached("list-count", rows, 0, 0, rows.count)
