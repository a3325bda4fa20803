"""The three channels' HTTP calls. Each raises ChannelError when the message did not get
through (connection refused, timeout, an HTTP error, or the service's own error code), so
the outbox retries it; what each service expects:

- SMS gateway (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN): POST JSON {"phone", "content", "sign"}
  with `Authorization: Bearer <token>`; success is a 2xx answer whose JSON `code` (if any)
  is 0/"0"/"OK". Most provincial and commercial gateways take this shape or sit behind an
  adapter that does.
- 企业微信 / 政务微信 group robot (WECOM_WEBHOOK_URL, the robot's full webhook address):
  {"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}; success errcode 0.
  政务微信 is a private 企业微信 deployment: same protocol, its own host.
- 钉钉 group robot (DINGTALK_WEBHOOK_URL with access_token, DINGTALK_SECRET for 加签):
  &timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of "<ms>\\n<secret>" keyed by the
  secret>; {"msgtype": "text", "text": {"content"}, "at": {"atMobiles", "isAtAll": false}};
  success errcode 0.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from core.channels.models import Channel


class ChannelError(Exception):
    pass


def enabled() -> list[str]:
    """The channels configured in this installation (none by default)."""
    on = []
    if settings.SMS_GATEWAY_URL:
        on.append(Channel.SMS)
    if settings.WECOM_WEBHOOK_URL:
        on.append(Channel.WECOM)
    if settings.DINGTALK_WEBHOOK_URL:
        on.append(Channel.DINGTALK)
    return on


def _post(url: str, payload: dict, headers=None) -> dict:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=settings.CHANNEL_TIMEOUT_SECONDS) as resp:
            raw = resp.read(65536)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ChannelError(f"无法连接：{getattr(exc, 'reason', exc)}") from None
    try:
        return json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ChannelError("应答不是JSON") from None


def _robot_ok(answer: dict):
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300])


def send_sms(*, phone: str, text: str):
    answer = _post(
        settings.SMS_GATEWAY_URL,
        {"phone": phone, "content": text, "sign": settings.SMS_SIGN_NAME},
        {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    if str(answer.get("code", 0)) not in ("0", "OK", "ok"):
        raise ChannelError(f"code {answer.get('code')}: {answer.get('message', '')}"[:300])


def send_wecom(*, text: str, mentions=()):
    payload = {
        "msgtype": "text",
        "text": {"content": text, "mentioned_mobile_list": list(mentions)},
    }
    _robot_ok(_post(settings.WECOM_WEBHOOK_URL, payload))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉加签: base64(HMAC-SHA256(key=secret, msg="<timestamp>\\n<secret>")), URL-encoded."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def send_dingtalk(*, text: str, mentions=()):
    url = settings.DINGTALK_WEBHOOK_URL
    if settings.DINGTALK_SECRET:
        ts = int(time.time() * 1000)
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}timestamp={ts}&sign={dingtalk_sign(settings.DINGTALK_SECRET, ts)}"
    payload = {
        "msgtype": "text",
        "text": {"content": text},
        "at": {"atMobiles": list(mentions), "isAtAll": False},
    }
    _robot_ok(_post(url, payload))


def send(delivery):
    if delivery.channel == Channel.SMS:
        send_sms(phone=delivery.address, text=delivery.text)
    elif delivery.channel == Channel.WECOM:
        send_wecom(text=delivery.text, mentions=delivery.mentions)
    elif delivery.channel == Channel.DINGTALK:
        send_dingtalk(text=delivery.text, mentions=delivery.mentions)
    else:
        raise ChannelError(f"未知渠道 {delivery.channel}")
