"""Fixtures of the platform tests (the shared city and users live in the root conftest)."""

from registry.tests.fixtures.media import debug_urls, private_media  # noqa: F401
