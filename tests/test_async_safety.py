"""Django's async-safety check stays on outside the browser tests."""

import asyncio
import importlib
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SynchronousOnlyOperation


@pytest.mark.django_db
def test_orm_call_inside_an_event_loop_is_refused():
    # given the browser tests' fixtures are loaded (as they are in every full run)
    importlib.import_module("tests.e2e.conftest")
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ

    # when code running in an event loop touches the ORM synchronously
    async def count_users():
        return get_user_model().objects.count()

    # then Django refuses, as it would in production
    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_users())
