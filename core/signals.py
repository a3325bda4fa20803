"""Signals the platform and the ledger send for apps above them (never importing them).

`rows_written` goes out after a bulk write (COPY or executemany) that bypasses the models'
save signals, so a cache of figures built on those rows (core.cache) can let go.

`projects_changed` says that the figures' inputs of some projects changed (a save, an
import, the year cycle): assessments refreshes their rows of its monthly fact table in the
same transaction. Writers call `changed()`; inside `batched_changes()` (a bulk service that
saves many rows one by one) the ids are collected and sent once, when the block ends.
"""

import contextlib
import contextvars

from django.dispatch import Signal

rows_written = Signal()  # sender: the model class
projects_changed = Signal()  # kwargs: project_ids (a set), years (a set, or None: every year)

_pending = contextvars.ContextVar("projects_changed_pending", default=None)


def changed(project_ids, years=None) -> None:
    """The inputs of `project_ids` changed for `years` (None: any year)."""
    ids = {pk for pk in project_ids if pk is not None}
    if not ids:
        return
    pending = _pending.get()
    if pending is None:
        projects_changed.send(sender=None, project_ids=ids, years=_years(years))
        return
    pending["ids"] |= ids
    if years is None or pending["years"] is None:
        pending["years"] = None
    else:
        pending["years"] |= set(years)


def _years(years):
    return None if years is None else set(years)


@contextlib.contextmanager
def batched_changes():
    """Collect every `changed()` of the block and send them once at its end (only if the
    block succeeds: a failed one rolls back, and so does what it changed)."""
    if _pending.get() is not None:  # nested: the outer block sends
        yield
        return
    token = _pending.set({"ids": set(), "years": set()})
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    if pending["ids"]:
        projects_changed.send(
            sender=None, project_ids=pending["ids"], years=_years(pending["years"])
        )
