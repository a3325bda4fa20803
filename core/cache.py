"""A short-lived cache for the whole-scope figures behind every page, export and API.

At city scale (20,000 projects) loading a scope's leaves costs most of a second, and a
leaders' dashboard, the home page and the ledger totals ask for the same leaves over and over.
`cached` keeps them (and the figures made from them) under a key made of the scope's SQL (so
two users with the same scope and filters share it, and different scopes never do) and the
period, stamped with the data generation they were computed at.

The generation moves after every commit that can change a figure: saves and deletes of the
models the figures read (signals, connected in AssessmentsConfig.ready), and `bump()` called by
the bulk paths that bypass signals (assess, imports, seed, restore). A stored figure is fresh
while its generation is current and it is younger than ASSESS_CACHE_SECONDS (which bounds any
path that was missed). A cache that is down (Redis stopped) is a miss, never an error page.

Stale while revalidating: at 20,000 projects a whole-city figure takes 1–15 s to
compute, and every approved report moves the generation. When a page asks for a figure that is
no longer fresh but was computed less than ASSESS_STALE_SECONDS ago, and the request may see
it (`stale_allowed`: a GET by someone who has not changed data in that time, with a Celery
worker to recompute), the page gets the last figure at once and the worker recomputes it
(`core.tasks.refresh_figure`); the person who made a change, reports, exports run as
jobs, tests and a setup without a worker always get a freshly computed figure.
"""

import contextvars
import functools
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from core import outages
from core.periods import as_of
from core.queue import BROKER

CACHE = "Redis (figure cache)"
GENERATION_KEY = "assess:generation"
LOCK_SECONDS = 30
WAIT_SECONDS = 10
SAFE_METHODS = ("GET", "HEAD")
_request = contextvars.ContextVar("assess_request", default=None)


def _timeout() -> int:
    return int(getattr(settings, "ASSESS_CACHE_SECONDS", 0))


def _stale_seconds() -> int:
    return int(getattr(settings, "ASSESS_STALE_SECONDS", 0))


def generation() -> int:
    try:
        value = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    except Exception:  # the cache server is down: behave as if nothing were cached
        outages.down(CACHE)
        return 0
    outages.up(CACHE)
    return value


def _bump_now():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(GENERATION_KEY, 2, timeout=None)
    except Exception:
        outages.down(CACHE)


def bump(**_signal_kwargs):
    """Invalidate every cached figure once the current transaction commits."""
    if _timeout():
        transaction.on_commit(_bump_now)


def figure_key(kind: str, projects, year: int, month: int, params=None) -> str:
    """The scope's SQL, the period and its as-of day: a month still running is judged as of
    today (time progress, overdue days), so its figures move on at midnight."""
    try:
        sql, sql_params = projects.query.sql_with_params()
    except EmptyResultSet:
        # A scope that can match nothing (`.none()`, an id filter outside the user's choices)
        # has no SQL; all such scopes have the same, empty, figures and share one key.
        sql, sql_params = f"<empty {projects.model._meta.label}>", ()
    extra = sorted((params or {}).items())
    day = as_of(year, month) if isinstance(month, int) and 1 <= month <= 12 else None
    digest = hashlib.sha256(repr((sql, sql_params, year, month, day, extra)).encode()).hexdigest()
    return f"assess:{code_version()}:{kind}:{digest}"


@functools.cache
def code_version() -> str:
    """A digest of the deployed Python source: figures cached by another release (whose
    values may have another shape) are never read, and no key is ever renamed by hand."""
    root = Path(settings.BASE_DIR).resolve()
    # Django's and the libraries' apps are pinned in requirements.txt.
    ours = [Path(c.path).resolve() for c in apps.get_app_configs()]
    return source_digest(root, [p for p in ours if root in p.parents])


def source_digest(root: Path, app_roots) -> str:
    """Names and contents of the apps' modules (tests and migrations aside)."""
    digest = hashlib.sha256()
    for app_root in app_roots:
        for path in sorted(app_root.rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached(kind: str, projects, year: int, month: int, compute, **params):
    """`compute()` for this scope and period, or its stored copy while fresh (or, where
    `stale_allowed`, while a worker recomputes it). `compute` may be a function of
    (projects, year, month, **params) defined at module level, `params` picklable values
    that are part of the key: only those can be recomputed by the worker; anything else
    (a lambda) is always computed in the request when not fresh."""
    timeout = _timeout()
    if not timeout:
        return _call(compute, projects, year, month, params)
    gen = generation()
    if not gen:
        return _call(compute, projects, year, month, params)
    key = figure_key(kind, projects, year, month, params)
    try:
        stored = cache.get(key)
    except Exception:
        outages.down(CACHE)
        return _call(compute, projects, year, month, params)
    if stored is not None:
        stored_gen, stamp, value = stored
        if stored_gen == gen and time.time() - stamp <= timeout:
            return value
        if _recomputable(compute) and stale_allowed():
            _refresh_later(key, compute, projects, year, month, params)
            return value
    mine = _lock(key)
    if not mine:
        hit = _wait_for(key, gen)
        if hit is not None:
            return hit
    try:
        value = _call(compute, projects, year, month, params)
        store(key, gen, value)
    finally:
        if mine:
            _unlock(key)
    return value


def _call(compute, projects, year, month, params):
    if _recomputable(compute):
        return compute(projects, year, month, **params)
    return compute()


def _recomputable(compute) -> bool:
    """A module-level function of (projects, year, month), importable by the worker."""
    return "<" not in getattr(compute, "__qualname__", "<")


def store(key, gen, value):
    """Keep `value` as computed at generation `gen`, for as long as it may be served stale."""
    try:
        cache.set(key, (gen, time.time(), value), timeout=max(_timeout(), _stale_seconds()))
    except Exception:  # the cache server is down: the figure is still right, just not kept
        outages.down(CACHE)


def _lock(key) -> bool:
    """One worker computes a missing figure; the others wait for it (no stampede when a
    popular key expires and every gunicorn worker would recompute the same scope at once)."""
    try:
        return bool(cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS))
    except Exception:
        return True


def _unlock(key):
    try:
        cache.delete(f"{key}:lock")
    except Exception:
        outages.down(CACHE)


def _wait_for(key, gen):
    """The figure another worker is computing, or None after WAIT_SECONDS (then we compute
    it ourselves: a crashed worker's lock must not block the page)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            stored = cache.get(key)
        except Exception:
            return None
        if stored is not None and stored[0] == gen:
            return stored[2]
    return None


def _refresh_later(key, compute, projects, year, month, params):
    """Ask the worker to recompute `key` (once: the lock keeps a second request from asking
    again while it runs). The scope travels as its pickled query through the cache, which
    already holds pickled figures, rather than through the broker."""
    if not _lock(key):
        return
    job = (f"{compute.__module__}.{compute.__qualname__}", projects.query, year, month, params)
    try:
        cache.set(f"{key}:job", job, timeout=LOCK_SECONDS)
        from core.tasks import refresh_figure

        refresh_figure.delay(key)
    except Exception:  # no broker: the figure stays stale until the next request computes it
        outages.down(BROKER)
        _unlock(key)


def refresh(key):
    """The worker's side of `_refresh_later`: recompute and store the figure, then unlock."""
    try:
        job = cache.get(f"{key}:job")
        if job is None:
            return False
        path, query, year, month, params = job
        projects = query.model._default_manager.all()
        projects.query = query
        gen = generation()
        store(key, gen, import_string(path)(projects, year, month, **params))
        return True
    finally:
        _unlock(key)


def stale_allowed() -> bool:
    """May this request be answered with a figure a worker is recomputing? Only a GET or HEAD
    of a signed-in user who has not written anything in the last ASSESS_STALE_SECONDS (they
    expect to see their change), and only where a worker exists to do the recompute."""
    request = _request.get()
    if request is None or request.method not in SAFE_METHODS or not _stale_seconds():
        return False
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    try:
        return not cache.get(_wrote_key(user.pk))
    except Exception:
        return False


def _wrote_key(user_id) -> str:
    return f"assess:wrote:{user_id}"


def figure_freshness(get_response):
    """Middleware: lets `cached` see the request, and remembers who just changed data."""

    def middleware(request):
        # Only someone already signed in can have changed data: signing in is a POST too,
        # yet whoever just signed in has changed nothing and gets the last figures like
        # everyone else (else each sign-in recomputed every figure it met, in the request,
        # for ASSESS_STALE_SECONDS: minutes of 10–60 s pages at city scale under load).
        user = getattr(request, "user", None)
        may_write = (
            request.method not in SAFE_METHODS and user is not None and user.is_authenticated
        )
        token = _request.set(request)
        try:
            response = get_response(request)
        finally:
            _request.reset(token)
        user = getattr(request, "user", None)
        wrote = may_write and response.status_code < 400
        if wrote and user is not None and user.is_authenticated and _stale_seconds():
            try:
                cache.set(_wrote_key(user.pk), 1, timeout=_stale_seconds())
            except Exception:
                outages.down(CACHE)
        return response

    return middleware


class CachedCountPaginator(Paginator):
    """A list's total from the figure cache. At city scale the COUNT over a year's list costs
    as much as the rows of the page, and it changes only when the figures do (the same
    generation invalidates both), so the ledger list counts once per change, not per click."""

    @cached_property
    def count(self):
        rows = self.object_list
        if not hasattr(rows, "query"):
            return super().count
        return cached("list-count", rows, 0, 0, count_rows)


def count_rows(rows, _year, _month) -> int:
    return rows.count()


class CachedPagePaginator(CachedCountPaginator):
    """Also which rows are on each page, from the figure cache; the rows themselves are read
    fresh by id. For lists over every month's reports, whose ordering joins and sorts a whole
    month of them (about 100 ms at city scale) for the 20 rows of a page: the order changes
    only when the generation moves, so it is worked out once per change."""

    def page(self, number):
        if not hasattr(self.object_list, "query"):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = cached("list-page", self.object_list, 0, 0, page_ids, start=bottom, stop=top)
        by_id = self.object_list.order_by().in_bulk(ids)
        return self._get_page([by_id[i] for i in ids if i in by_id], number, self)


def page_ids(rows, _year, _month, *, start, stop) -> list:
    return list(rows.values_list("pk", flat=True)[start:stop])


class CachedList(Sequence):
    """A long list kept in the figure cache and read a page at a time: its length and each
    slice are cached on their own, so an API page of 20 rows never unpickles the 20,000 of a
    city (a quarter second). `source` is the dotted path of a module-level function of
    (projects, year, month, **params) giving the whole list, itself usually cached."""

    def __init__(self, kind: str, projects, year: int, month: int, source: str, **params):
        self._args = (projects, year, month)
        self._kind, self._params = kind, {"source": source, **params}

    def __len__(self) -> int:
        return cached(f"{self._kind}-len", *self._args, list_length, **self._params)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("CachedList slices have no step")
        return cached(
            f"{self._kind}-slice", *self._args, list_slice, start=start, stop=stop, **self._params
        )


def list_length(projects, year, month, *, source, **params) -> int:
    return len(import_string(source)(projects, year, month, **params))


def list_slice(projects, year, month, *, source, start, stop, **params) -> list:
    return list(import_string(source)(projects, year, month, **params)[start:stop])
