"""One log line per outage of a service (Redis as cache or as broker), not one per request.

With Redis down every page view fails to read the cache and every queued job fails to send:
a traceback each time would bury the log (26 in 8 seconds were seen). The first failure
logs one warning with the error's text; later ones are silent until the service answers
again, which logs one line saying so. The state is per process (each gunicorn worker says
it once).
"""

import logging
import sys
import threading

logger = logging.getLogger("core.outages")
_down: dict[str, str] = {}
_lock = threading.Lock()


def down(service: str, exc: BaseException | None = None) -> bool:
    """Record a failure of `service`; logs only the first of an outage. True if it logged."""
    exc = exc or sys.exc_info()[1]
    text = f"{type(exc).__name__}: {exc}" if exc is not None else "unavailable"
    with _lock:
        if service in _down:
            return False
        _down[service] = text
    logger.warning("%s unavailable (%s); further errors are not logged until it is back",
                   service, text)  # fmt: skip
    return True


def up(service: str) -> bool:
    """Record a success of `service`; logs once when it ends an outage. True if it logged."""
    if service not in _down:  # the usual case, without taking the lock
        return False
    with _lock:
        if _down.pop(service, None) is None:
            return False
    logger.warning("%s available again", service)
    return True


def is_down(service: str) -> bool:
    return service in _down
