#!/usr/bin/env python
"""`make prod-check`: the production path, end to end, on this machine.

Starts gunicorn (production settings: DEBUG=false, whitenoise, PostgreSQL), a Celery worker
and beat on Redis, then behaves like a user: logs in, opens pages and a static file, calls
the API, hands a ledger import and a monthly report to the real worker, waits for them and
downloads the report. Stops everything it started,
whatever happens. Exit 0 only if every step passed.

    deploy/prod_check.py [--db NAME [--drop-existing NAME] | --reuse NAME] [--keep]

Database: a new PostgreSQL database of a unique name (`prodcheck_<pid>_<random>`) on
PROD_CHECK_SERVER (default postgres://postgres@127.0.0.1:5432), dropped at the end whatever
happens; an existing database is never dropped unless named twice, `--db NAME
--drop-existing NAME` (deploy/scratch_db.py). Environment: REDIS_URL (default
redis://127.0.0.1:6379/14), PROD_CHECK_PORT (8765).
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from scratch_db import PG_SERVER, ScratchDatabase, add_arguments

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("PROD_CHECK_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
# The reverse proxy terminates HTTPS; gunicorn trusts X-Forwarded-Proto from 127.0.0.1.
ORIGIN = f"https://127.0.0.1:{PORT}"
SERVER = os.environ.get("PROD_CHECK_SERVER", PG_SERVER)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
USER, PASSWORD = "drc", "Demo@2026"


def say(text):
    print(f"[prod-check] {text}", flush=True)


def fail(text):
    raise SystemExit(f"[prod-check] 失败: {text}")


class Client:
    """A browser in miniature: cookies (Secure ones too: TLS ends at the proxy), CSRF."""

    def __init__(self):
        self.cookies = {}

    def request(self, path, data=None, headers=None, expect=200):
        body = None
        all_headers = {"X-Forwarded-Proto": "https", "Referer": ORIGIN + "/", **(headers or {})}
        if data is not None:
            body = urlencode(data).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Origin"] = ORIGIN
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(BASE + path, data=body, headers=all_headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            resp = opener.open(req, timeout=30)
            status, content, got = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            status, content, got = err.code, err.read(), err.headers
        for raw in got.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if expect is not None and status != expect:
            fail(f"{path} 返回 {status}，期望 {expect}: {content[:300]!r}")
        return status, content, got


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run(args, env, **kwargs):
    say(" ".join(str(a) for a in args))
    subprocess.run(args, env=env, check=True, cwd=ROOT, **kwargs)


def wait_http(proc, path="/login/", timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail("gunicorn 提前退出")
        try:
            urllib.request.urlopen(
                urllib.request.Request(BASE + path, headers={"X-Forwarded-Proto": "https"}),
                timeout=2,
            )
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    fail("gunicorn 未在60秒内就绪")


def user_journey(env):
    client = Client()
    _, html, _ = client.request("/login/")
    if "csrftoken" not in client.cookies:
        fail("登录页没有设置 csrftoken")
    status, _, headers = client.request(
        "/login/", {"username": USER, "password": PASSWORD}, expect=302
    )
    if "sessionid" not in client.cookies:
        fail("登录失败（没有会话）")
    say(f"登录 {USER}: {status} → {headers.get('Location')}")
    _, html, headers = client.request("/")
    text = html.decode()
    if "重点项目" not in text or "Content-Security-Policy" not in headers:
        fail("首页内容或 CSP 头不对")
    if "Strict-Transport-Security" not in headers:
        fail("缺少 HSTS 头")
    say("首页 200，含 CSP 与 HSTS")
    client.request("/projects/")
    css = next(line for line in text.split('"') if line.endswith(".css") and "static" in line)
    _, body, headers = client.request(css)
    say(f"静态文件 {css}: {len(body)} 字节, Cache-Control={headers.get('Cache-Control')}")
    _, body, _ = client.request("/api/dashboard/")
    data = json.loads(body)
    say(f"API /api/dashboard/: {sorted(data)[:6]}…")
    worker_job(client)
    report_job(client)


def report_job(client):
    """Ask for last month's report on the reports page; the worker builds it; download it."""
    import datetime
    import io

    import openpyxl

    today = datetime.date.today()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    period = f"{last.year}-{last.month:02d}"
    client.request("/reports/")
    client.request("/reports/", {"kind": "monthly", "period": period}, expect=302)
    say(f"已在报表页申请 {period} 月度调度报表")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _, body, _ = client.request(f"/api/report-runs/?kind=monthly&period={period}")
        runs = json.loads(body)["results"]
        if runs and runs[0]["status"] in ("done", "failed"):
            break
        time.sleep(1)
    else:
        fail("worker 120秒内没有生成报表")
    run = runs[0]
    if run["status"] != "done":
        fail(f"报表生成失败: {run['error']}")
    _, xlsx, headers = client.request(run["download_url"])
    sheets = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True).sheetnames
    if sheets[:2] != ["汇总", "分地区"]:
        fail(f"报表工作表不对: {sheets}")
    say(f"真实 worker 生成了报表并已下载（{len(xlsx)} 字节，{len(sheets)} 个工作表）")


def worker_job(client):
    """Export the ledger, upload it again for a dry run, and wait for the worker's preview."""
    _, xlsx, _ = client.request("/excel/export/ledger/")
    if not xlsx.startswith(b"PK"):
        fail("台账导出不是 xlsx")
    boundary = "----prodcheck" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="year"\r\n\r\n\r\n'.encode(),
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="ledger.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + xlsx
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    req = urllib.request.Request(
        BASE + "/excel/imports/ledger/",
        data=b"".join(parts),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Forwarded-Proto": "https",
            "Origin": ORIGIN,
            "Referer": ORIGIN + "/excel/imports/",
            "X-CSRFToken": client.cookies["csrftoken"],
            "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
        },
    )
    try:
        urllib.request.build_opener(NoRedirect).open(req, timeout=30)
        fail("上传后应当跳转到导入详情")
    except urllib.error.HTTPError as err:
        if err.code != 302:
            fail(f"上传返回 {err.code}: {err.read()[:300]!r}")
        detail = err.headers["Location"]
    say(f"已上传台账，worker 处理中: {detail}")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _, html, _ = client.request(detail)
        text = html.decode()
        if "已预览" in text or "失败" in text:
            break
        time.sleep(1)
    else:
        fail("worker 90秒内没有完成预览")
    if "失败" in text and "已预览" not in text:
        fail("worker 预览失败")
    say("真实 worker 完成了台账回导的预览")


def main():
    parser = argparse.ArgumentParser(description="生产路径端到端检查")
    add_arguments(parser, "prodcheck")
    args = parser.parse_args()
    with ScratchDatabase.from_args(args, "prodcheck", server=SERVER) as db:
        say(f"数据库 {db.name}（{'已有' if db.reuse else '本次新建，结束时删除'}）")
        check(db.url)


def check(db_url):
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=db_url,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="projects_site.settings",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="prodcheck-media-"),
        STATIC_ROOT=tempfile.mkdtemp(prefix="prodcheck-static-"),
        SECURE_SSL_REDIRECT="true",
    )
    py = str(BIN / "python")
    run([py, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    run([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    run([py, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    procs = []
    logs = tempfile.mkdtemp(prefix="prodcheck-logs-")
    try:
        for name, args in (
            ("gunicorn", [str(BIN / "gunicorn"), "projects_site.wsgi", "-c",
                          "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{PORT}", "-w", "2"]),
            ("worker", [py, "-m", "celery", "-A", "projects_site", "worker", "-l", "INFO",
                        "--concurrency", "1", "--without-gossip", "--without-mingle"]),
            ("beat", [py, "-m", "celery", "-A", "projects_site", "beat", "-l", "INFO",
                      "-s", str(Path(logs) / "beat-schedule")]),
        ):  # fmt: skip
            log = open(Path(logs) / f"{name}.log", "w")  # noqa: SIM115 - the child writes it
            procs.append((name, subprocess.Popen(args, env=env, cwd=ROOT, stdout=log,
                                                 stderr=subprocess.STDOUT,
                                                 start_new_session=True)))  # fmt: skip
            say(f"已启动 {name} (pid {procs[-1][1].pid})")
        wait_http(procs[0][1])
        user_journey(env)
        for name, proc in procs:
            if proc.poll() is not None:
                fail(f"{name} 意外退出，见 {logs}/{name}.log")
        say("全部通过")
    except BaseException:
        for name, _ in procs:
            print(f"--- {name}.log (末尾) ---")
            print((Path(logs) / f"{name}.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        for _name, proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        say("已停止 gunicorn、worker 与 beat")


if __name__ == "__main__":
    main()
