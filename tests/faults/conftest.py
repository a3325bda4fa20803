"""Fault tests: real services stopped or cut mid-work (run by .ci/run, step "faults").

The Redis these tests stop is a private server on the port of REDIS_URL, started here, so
stopping it never disturbs anything else on the machine (CI uses 127.0.0.1:6391).
"""

import os
import shutil
import socket
import subprocess
import time
from urllib.parse import urlparse

import pytest


def _listening(port):
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    def __init__(self, port):
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _listening(self.port):
            if time.monotonic() > deadline:
                pytest.fail(f"Redis 127.0.0.1:{self.port} 10秒内未启动")
            time.sleep(0.1)

    def stop(self):
        self.proc.kill()
        self.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _listening(self.port):
            if time.monotonic() > deadline:
                pytest.fail(f"Redis 127.0.0.1:{self.port} 未能停止")
            time.sleep(0.1)


@pytest.fixture
def private_redis():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL 未设置：故障测试需要一个专用的 Redis 端口（.ci/run 用 6391）")
    port = urlparse(url).port or 6379
    if _listening(port):
        pytest.fail(f"端口 {port} 已有服务：故障测试要自己启停 Redis，请给它一个空闲端口")
    redis = PrivateRedis(port)
    redis.start()
    yield redis
    if redis.proc and redis.proc.poll() is None:
        redis.stop()


def wait_for(predicate, *, timeout=60, what="条件"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"{timeout}秒内未满足：{what}")
