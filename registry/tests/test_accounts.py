"""Accounts: users change their own password; sessions end after a working day idle."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from conftest import login
from core.middleware import STAMP

pytestmark = pytest.mark.django_db

URL = "/password/change/"


def _change(client, old, new, again=None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_password_change_page_is_linked_from_the_top_bar(client, users):
    login(client, users.reporter_a)
    home = client.get(reverse("registry:home"))
    assert f'href="{URL}"' in home.text and "修改密码" in home.text
    page = client.get(URL)
    assert page.status_code == 200
    assert "旧密码" in page.text and "新密码" in page.text


def test_password_change_needs_login(client, users):
    resp = client.get(URL)
    assert resp.status_code == 302 and resp.url.startswith(reverse("login"))


def test_wrong_old_password_is_refused_in_chinese(client, users):
    login(client, users.reporter_a)
    resp = _change(client, "not-my-password", "Jiangzhou#2026")
    assert resp.status_code == 200
    assert "你的旧密码不正确" in resp.text
    users.reporter_a.refresh_from_db()
    assert users.reporter_a.check_password("pw-test-123")


@pytest.mark.parametrize(
    "weak,message",
    [
        ("Ab#1", "密码太短，至少需要8个字符"),
        ("12345678", "密码只包含数字"),
        ("password", "这个密码太常见了"),
        ("reporter_a1", "密码跟 用户名 太相似了"),
    ],
)
def test_weak_new_password_gets_the_validator_message_in_chinese(client, users, weak, message):
    login(client, users.reporter_a)
    resp = _change(client, "pw-test-123", weak)
    assert resp.status_code == 200
    assert message in resp.text
    assert "This password" not in resp.text
    users.reporter_a.refresh_from_db()
    assert users.reporter_a.check_password("pw-test-123")


def test_mismatched_new_passwords_are_refused(client, users):
    login(client, users.reporter_a)
    resp = _change(client, "pw-test-123", "Jiangzhou#2026", "Jiangzhou#2027")
    assert "输入的两个密码不一致" in resp.text


def test_changed_password_works_at_the_next_login(client, users):
    # given a logged-in reporter
    login(client, users.reporter_a)
    # when they change their password
    resp = _change(client, "pw-test-123", "Jiangzhou#2026")
    # then they are told, stay logged in, and the next login takes the new password only
    assert resp.status_code == 302 and resp.url == reverse("password_change_done")
    done = client.get(resp.url)
    assert "密码修改成功" in done.text
    assert client.get(reverse("registry:home")).status_code == 200
    client.logout()
    old = client.post(reverse("login"), {"username": "reporter_a", "password": "pw-test-123"})
    assert old.status_code == 200 and "用户名或密码不正确" in old.text
    new = client.post(reverse("login"), {"username": "reporter_a", "password": "Jiangzhou#2026"})
    assert new.status_code == 302 and new.url == reverse("registry:home")


def _log_in(client):
    resp = client.post(reverse("login"), {"username": "reporter_a", "password": "pw-test-123"})
    assert resp.status_code == 302
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_session_lasts_a_working_day_not_two_weeks(client, users):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    session = _log_in(client)
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60


def _idle(session, hours):
    """Make the stored session look `hours` older: its expiry and its last refresh."""
    store = SessionStore(session_key=session.session_key)
    store[STAMP] = int(time.time() - hours * 3600)
    store.save()
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(hours=8 - hours)
    )


def test_activity_keeps_the_session_and_idleness_ends_it(client, users):
    # given a session that has been idle for 7 hours
    session = _log_in(client)
    _idle(session, 7)
    # when the user clicks, the idle clock restarts
    assert client.get(reverse("registry:home")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > datetime.timedelta(hours=7, minutes=59)
    # and once a working day passes with no click, the next request goes to the login page
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    resp = client.get(reverse("registry:home"))
    assert resp.status_code == 302 and resp.url.startswith(reverse("login"))


def test_idle_timeout_is_read_from_the_environment():
    env = dict(
        os.environ, SESSION_COOKIE_AGE="3600", DJANGO_SETTINGS_MODULE="projects_site.settings"
    )
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == ["3600", "300"], out.stderr


def test_clicks_within_five_minutes_do_not_write_the_session(client, users):
    # given a signed-in user whose session was refreshed at login
    session = _log_in(client)
    client.get(reverse("registry:home"))
    before = Session.objects.get(pk=session.pk).expire_date
    # when they click again a moment later, the session row is not written again
    Session.objects.filter(pk=session.pk).update(expire_date=before - datetime.timedelta(minutes=3))
    client.get(reverse("registry:home"))
    assert Session.objects.get(pk=session.pk).expire_date == before - datetime.timedelta(minutes=3)
    # but once the last refresh is over five minutes old, the next click pushes the expiry
    _idle(session, 0.1)
    client.get(reverse("registry:home"))
    left = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert left > datetime.timedelta(hours=7, minutes=59)
