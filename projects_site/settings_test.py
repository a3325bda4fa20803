"""Test settings: eager Celery unless REDIS_URL is set, fast hasher, local cache."""

import os
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("TEST_CACHE_URL"):  # a worker started by a test shares the test's cache
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["TEST_CACHE_URL"],
        }
    }
# Tests change data under the figures with queryset.update(); the cache is tested on its own
# (assessments/tests/test_cache.py) with it switched on.
ASSESS_CACHE_SECONDS = 0
# A worker process started by a test is told the test's MEDIA_ROOT through the environment.
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or BASE_DIR / ".test-media")  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Lockout after failed logins is tested explicitly; elsewhere it only gets in the way.
AXES_ENABLED = os.environ.get("AXES_ENABLED", "false").lower() == "true"
# Serve vendored assets straight from static/ (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
