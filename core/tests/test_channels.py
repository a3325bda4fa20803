"""Each channel against a local HTTP server started in the test, which records what it gets
(path, query, headers, JSON): up, the message arrives in the service's shape (the 钉钉 one
signed); down, the notice is kept, the action that caused it succeeds, and the message is
retried with back-off until the channel is back."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from core.channels import outbox
from core.channels.models import Delivery, DeliveryStatus
from core.models import Notice
from core.notices import notify
from milestones.choices import MilestonesNotice as NoticeKind
from registry.choices import Role
from registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


class Recorder:
    """A local HTTP service: records every POST; answers `reply` (JSON) with `status`."""

    def __init__(self):
        self.received = []
        self.status, self.reply = 200, {"errcode": 0, "errmsg": "ok"}
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                parsed = urllib.parse.urlsplit(self.path)
                recorder.received.append({
                    "path": parsed.path,
                    "query": dict(urllib.parse.parse_qsl(parsed.query)),
                    "raw_query": parsed.query,
                    "headers": dict(self.headers),
                    "json": json.loads(self.rfile.read(length).decode("utf-8")),
                })  # fmt: skip
                body = json.dumps(recorder.reply).encode()
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    r = Recorder()
    yield r
    r.stop()


@pytest.fixture
def reporter(db):
    user = make_user("tb_channel", Role.REPORTER, first_name="小王")
    user.profile.phone = "138-0000-1234"
    user.profile.save()
    return user


def _remind(users, key="deadline:1:2026-04-13"):
    return notify(
        users, kind=NoticeKind.DEADLINE_NEAR, event_key=key,
        title="4月月报将于4月13日截止，还有2个项目未报",
        body="尚未提交4月月报的项目：甲县一号工程、甲县二号工程。", url="/milestones/todo/",
    )  # fmt: skip


def test_off_by_default_the_notice_stays_in_the_app(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _remind([reporter])
    assert Notice.objects.filter(recipient=reporter).count() == 1
    assert not Delivery.objects.exists()


def test_sms_through_the_gateway(settings, recorder, reporter, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY_URL = recorder.url("/sms/send")
    settings.SMS_GATEWAY_TOKEN = "tok-123"
    settings.SMS_SIGN_NAME = "江州发改"
    with django_capture_on_commit_callbacks(execute=True):
        _remind([reporter])
    (got,) = recorder.received
    assert got["path"] == "/sms/send"
    assert got["headers"]["Authorization"] == "Bearer tok-123"
    assert got["json"]["phone"] == "13800001234" and got["json"]["sign"] == "江州发改"
    assert got["json"]["content"].startswith("【江州发改】4月月报将于4月13日截止")
    assert "请登录重点项目管理系统查看办理" in got["json"]["content"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_wecom_group_robot(settings, recorder, reporter, django_capture_on_commit_callbacks):
    settings.WECOM_WEBHOOK_URL = recorder.url("/cgi-bin/webhook/send?key=abc")
    other = make_user("tb_other", Role.REPORTER)
    with django_capture_on_commit_callbacks(execute=True):
        _remind([reporter, other])
    # one event, two people: the group hears it once
    (got,) = recorder.received
    assert got["query"] == {"key": "abc"}
    assert got["json"]["msgtype"] == "text"
    content = got["json"]["text"]["content"]
    assert content.startswith("【重点项目管理系统】4月月报将于4月13日截止")
    assert "http://" in content and "/milestones/todo/" in content
    assert got["json"]["text"]["mentioned_mobile_list"] in (["13800001234"], [])


def test_dingtalk_robot_is_signed(settings, recorder, reporter, django_capture_on_commit_callbacks):
    settings.DINGTALK_WEBHOOK_URL = recorder.url("/robot/send?access_token=t0k")
    settings.DINGTALK_SECRET = "SECabc123"
    with django_capture_on_commit_callbacks(execute=True):
        _remind([reporter])
    (got,) = recorder.received
    assert got["query"]["access_token"] == "t0k"
    timestamp = got["query"]["timestamp"]
    # the signature as 钉钉 checks it: base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))
    digest = hmac.new(b"SECabc123", f"{timestamp}\nSECabc123".encode(), hashlib.sha256).digest()
    assert got["query"]["sign"] == base64.b64encode(digest).decode()
    assert "sign=" + urllib.parse.quote_plus(base64.b64encode(digest)) in got["raw_query"]
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60
    assert got["json"]["msgtype"] == "text"
    assert got["json"]["at"] == {"atMobiles": ["13800001234"], "isAtAll": False}
    assert "提醒：小王" in got["json"]["text"]["content"]


def test_only_reminder_kinds_go_out(
    settings, recorder, reporter, django_capture_on_commit_callbacks
):
    settings.WECOM_WEBHOOK_URL = recorder.url("/hook")
    with django_capture_on_commit_callbacks(execute=True):
        notify([reporter], kind="report_run_done", event_key="run:1", title="报表已生成")
    assert recorder.received == [] and not Delivery.objects.exists()


def test_down_keeps_the_notice_and_retries_with_back_off(
    settings, recorder, reporter, django_capture_on_commit_callbacks
):
    # given a robot whose service is down (nothing listens on its port)
    url = recorder.url("/hook")
    recorder.stop()
    settings.WECOM_WEBHOOK_URL = url
    start = timezone.now()
    # when a reminder is sent, then the notice is there and the message waits a minute
    with django_capture_on_commit_callbacks(execute=True):
        created = _remind([reporter])
    assert len(created) == 1 and Notice.objects.filter(recipient=reporter).exists()
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "无法连接" in row.last_error
    assert (
        datetime.timedelta(seconds=55) < row.next_attempt_at - start < datetime.timedelta(minutes=2)
    )
    # the sweep leaves it alone until it is due, then waits twice as long after a failure
    assert outbox.retry_due(start + datetime.timedelta(seconds=30)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
    }
    second = row.next_attempt_at + datetime.timedelta(seconds=1)
    assert outbox.retry_due(second)["retrying"] == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == second + datetime.timedelta(minutes=2)
    # when the service is back, the next due sweep sends it, once
    back = Recorder()
    try:
        settings.WECOM_WEBHOOK_URL = back.url("/hook")
        third = row.next_attempt_at + datetime.timedelta(seconds=1)
        assert outbox.retry_due(third)["sent"] == 1
        assert outbox.retry_due(third + datetime.timedelta(hours=1))["sent"] == 0
        assert len(back.received) == 1
    finally:
        back.stop()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.last_error == ""


def test_an_error_answer_is_retried_and_gives_up_after_the_limit(
    settings, recorder, reporter, django_capture_on_commit_callbacks
):
    settings.DINGTALK_WEBHOOK_URL = recorder.url("/robot/send?access_token=x")
    settings.CHANNEL_MAX_ATTEMPTS = 2
    recorder.reply = {"errcode": 310000, "errmsg": "sign not match"}
    with django_capture_on_commit_callbacks(execute=True):
        _remind([reporter])
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.RETRYING and "310000" in row.last_error
    outbox.retry_due(row.next_attempt_at)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.next_attempt_at is None
    assert len(recorder.received) == 2


def test_an_action_succeeds_while_the_channel_is_down(
    client, settings, recorder, city, users, django_capture_on_commit_callbacks
):
    # given the SMS gateway down and county A's reporter with a phone number
    url = recorder.url("/sms")
    recorder.stop()
    settings.SMS_GATEWAY_URL = url
    users.reporter_a.profile.phone = "13900002222"
    users.reporter_a.profile.save()
    # when the city leader writes a 批示 (the reporter is told)
    client.force_login(users.leader_city)
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/instructions/new/?project={city.project_a.pk}",
            {"text": "请推进", "deadline": deadline},
        )
    # then the 批示 is saved, the notice kept, the SMS waits for its retry
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=users.reporter_a, kind="instruction").exists()
    row = Delivery.objects.get()
    assert row.address == "13900002222" and row.status == DeliveryStatus.RETRYING


def test_backoff_doubles_up_to_an_hour():
    minutes = [outbox.backoff(n).total_seconds() / 60 for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
