"""Read replica: dashboards, reports and exports read from `DATABASE_REPLICA_URL` when set.

Settings add the `replica` database and `ReplicaRouter` only when the URL is set; without it
everything reads and writes `default`, as before. Reads go to the replica only inside
`replica_reads()`: set by `ReplicaReadsMiddleware` for the GET requests of the URL names in
`settings.REPLICA_READ_URL_NAMES` (the figure pages and APIs), and by the export and report
builders around the part that gathers their rows. Everything else, every write, and the
tables a sign-in has just written (sessions, users, tokens) stay on `default`, so nobody is
signed out by replication lag. A replica is a few milliseconds behind: figures may lag that
much behind an approval, as they did behind the figure cache.
"""

import contextlib
import contextvars

from django.conf import settings
from django.urls import resolve
from django.urls.exceptions import Resolver404

REPLICA = "replica"
# Written at sign-in or read to authorise: always read from the primary.
PRIMARY_APPS = {"auth", "sessions", "authtoken", "axes", "contenttypes", "admin"}

_reading = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica, when one is configured (writes never do)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label not in PRIMARY_APPS and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        # An instance read from the replica is saved to the primary (Django would otherwise
        # write it back where it came from).
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: an object from either may refer to one from the other.
        return {obj1._state.db, obj2._state.db} <= {"default", REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is read-only; it receives the schema by replication.
        return db != REPLICA


class ReplicaReadsMiddleware:
    """GET and HEAD of the figure pages and APIs read inside replica_reads()."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.names = frozenset(getattr(settings, "REPLICA_READ_URL_NAMES", ()))

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and replica_configured() and self._listed(request):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)

    def _listed(self, request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in self.names
