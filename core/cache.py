"""A short-lived cache for the whole-scope figures behind every page, export and API.

`cached` keeps a scope's figures under a key made of the scope's SQL (so
two users with the same scope and filters share it, and different scopes never do) and the
period, stamped with the data generation they were computed at.

The generation moves after every commit that can change a figure: saves and deletes of the
models the figures read (`bump_on_writes`, which each app calls for its own models in its
AppConfig.ready), and `bump()` on `rows_written`, which the bulk paths that bypass signals
send (assess, imports, seed, restore). A stored figure is fresh while its generation is
current and it is younger than ASSESS_CACHE_SECONDS (which bounds any path that was missed). A cache that is down (Redis stopped) is a miss, never an error page.

Fresh for everyone: a stored figure is served only at the current generation, so whoever
asks after a change (signing in is no change) gets the figures that include it. The figures
read one monthly fact table (assessments.project_months): one query per scope and month.
Kept where measured (bench/RESULTS.md, 20k): breakdowns and lists still cost seconds of Python
per page, the ledger COUNT and page order one scan per click; not the leaves (one query < unpickle).
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

CACHE = "Redis (figure cache)"
GENERATION_KEY = "assess:generation"
LOCK_SECONDS = 30
WAIT_SECONDS = 10


def _timeout() -> int:
    return int(getattr(settings, "ASSESS_CACHE_SECONDS", 0))


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


def bump_on_writes(*models) -> None:
    """Invalidate the figures after every save or delete of `models`: each app names, in
    its AppConfig.ready, the models of its own that the figures read."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label
        post_save.connect(bump, sender=model, dispatch_uid=f"figures-{label}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"figures-{label}-delete")


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


_memo = contextvars.ContextVar("figure_memo", default=None)


def request_memo(get_response):
    """Middleware: during a GET or HEAD, `memoised` values live for the request (a page that
    draws five figures from one scope's rows reads them once). Never across requests, and
    never in a request that may write (it could read rows before its own change)."""

    def middleware(request):
        token = _memo.set({} if request.method in ("GET", "HEAD") else None)
        try:
            return get_response(request)
        finally:
            _memo.reset(token)

    return middleware


def memoised(kind: str, projects, year: int, month: int, compute):
    """`compute(projects, year, month)`, once per read-only request for this scope and
    period (see `request_memo`); outside one, computed every time."""
    memo = _memo.get()
    if memo is None:
        return compute(projects, year, month)
    key = figure_key(kind, projects, year, month)
    if key not in memo:
        memo[key] = compute(projects, year, month)
    return memo[key]


def cached(kind: str, projects, year: int, month: int, compute, **params):
    """`compute()` for this scope and period, or its stored copy while fresh (same
    generation, younger than ASSESS_CACHE_SECONDS). `compute` is a function of
    (projects, year, month, **params), `params` picklable values that are part of the key,
    or a function of no arguments (a lambda)."""
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
    if "<" not in getattr(compute, "__qualname__", "<"):  # module level: (projects, year, …)
        return compute(projects, year, month, **params)
    return compute()


def store(key, gen, value):
    """Keep `value` as computed at generation `gen`, for ASSESS_CACHE_SECONDS."""
    try:
        cache.set(key, (gen, time.time(), value), timeout=_timeout())
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
