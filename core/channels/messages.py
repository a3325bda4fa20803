"""The Chinese wording of what goes out on each channel (one place to change it)."""

from django.conf import settings

SITE = "重点项目管理系统"
SMS_BODY_CHARS = 60  # an SMS is paid per 70 characters: the title, a short body, where to look


def link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""


def sms(*, title: str, body: str, url: str) -> str:
    sign = settings.SMS_SIGN_NAME
    short = body.replace("\n", " ")[:SMS_BODY_CHARS]
    return f"【{sign}】{title}。{short}{'…' if len(body) > SMS_BODY_CHARS else ''}请登录{SITE}查看办理。"


def group(*, title: str, body: str, url: str, names=()) -> str:
    """A group robot's text: what, who it is for, and the link."""
    who = f"\n提醒：{'、'.join(names)}" if names else ""
    where = f"\n查看：{link(url)}" if url else ""
    return f"【{SITE}】{title}\n{body}{who}{where}"
