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


def _login(client, username, password, addr):
    client.logout()
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def _locked(resp):
    return resp.status_code == 429 and "账号已暂时锁定" in resp.text


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(client, users):
    # given five wrong passwords for reporter_a from one address (someone who knows the name)
    for _ in range(5):
        _login(client, "reporter_a", "wrong", "10.1.2.3")

    # then that address is locked out of reporter_a
    assert _locked(_login(client, "reporter_a", "pw-test-123", "10.1.2.3"))
    # and a colleague behind the same address still signs in
    resp = _login(client, "reporter_b", "pw-test-123", "10.1.2.3")
    assert resp.status_code == 302 and resp.url == reverse("portal:home")
    # and the owner signs in from their own desk
    resp = _login(client, "reporter_a", "pw-test-123", "10.9.9.9")
    assert resp.status_code == 302 and resp.url == reverse("portal:home")


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, LOGIN_ACCOUNT_FAILURE_LIMIT=12)
def test_guessing_from_many_addresses_locks_the_account_everywhere(client, users):
    # given wrong passwords for reporter_a from three addresses, four each (under the
    # per-address limit), reaching the account's ceiling
    for addr in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        for _ in range(4):
            _login(client, "reporter_a", "wrong", addr)

    # then the account is locked from every address, its owner's too
    for addr in ("10.0.0.1", "10.9.9.9"):
        assert _locked(_login(client, "reporter_a", "pw-test-123", addr))
    # and other accounts are not
    assert _login(client, "reporter_b", "pw-test-123", "10.0.0.1").status_code == 302


def test_the_ceilings_are_five_per_address_and_fifty_per_account(settings):
    assert (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_ACCOUNT_FAILURE_LIMIT) == (5, 50)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
