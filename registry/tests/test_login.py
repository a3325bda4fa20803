"""Repeated wrong passwords lock the account (django-axes), with a Chinese message."""

import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_login(client, users):
    for _ in range(5):
        client.post(reverse("login"), {"username": "reporter_a", "password": "wrong"})
    resp = client.post(reverse("login"), {"username": "reporter_a", "password": "pw-test-123"})
    assert resp.status_code == 429
    assert "账号已暂时锁定" in resp.text
