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


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_lockout_locks_the_attacked_account_not_its_address(client, users):
    # given five wrong passwords for reporter_a from one office address
    office = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(5):
        client.post(reverse("login"), {"username": "reporter_a", "password": "wrong"}, **office)
    # then a colleague behind the same address still logs in
    resp = client.post(
        reverse("login"), {"username": "reporter_b", "password": "pw-test-123"}, **office
    )
    assert resp.status_code == 302 and resp.url == reverse("registry:home")
    client.logout()
    # and the attacked account stays locked, from any address
    for addr in ("10.1.2.3", "10.9.9.9"):
        resp = client.post(
            reverse("login"),
            {"username": "reporter_a", "password": "pw-test-123"},
            REMOTE_ADDR=addr,
        )
        assert resp.status_code == 429
        assert "账号已暂时锁定" in resp.text
