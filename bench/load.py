"""Load benchmark (issue 14): concurrent users against gunicorn + PostgreSQL.

    .venv/bin/python bench/load.py [--projects 20000] [--reuse] [--clients 20] [--seconds 30] [--each]

Creates (or with --reuse keeps) the database `bench_load` on 127.0.0.1:5432, seeds the demo
city with N projects (`seed_demo --projects N`, ANALYZE included), starts gunicorn with
production settings on 127.0.0.1 (sync workers, --workers W), logs every client in as one of
the demo users, then for --seconds each client loops over its endpoint (clients are split
evenly over the endpoints) with a keep-alive connection and records every response time.
Prints requests/s, p50/p95/p99 and errors per endpoint, and the load average.

Bounded on purpose: 127.0.0.1 only, at most 50 clients and 120 seconds.
Figures are judged against the issue's target (dashboard API p95 < 300 ms at 20 clients).
"""

import argparse
import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB = "postgres://postgres@127.0.0.1:5432/bench_load"
ENDPOINTS = {
    "dashboard API": ("/api/dashboard/", "leader"),
    "project list": ("/projects/", "drc"),
    "review queue": ("/milestones/review/", "drc"),
}


class Session:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        h = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{self.port}/"}
        h.update(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=h)
            resp = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        data = resp.read()
        for raw in resp.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return resp.status, data

    def login(self, user):
        self.request("GET", "/login/")
        body = urllib.parse.urlencode({"username": user, "password": "Demo@2026"})
        status, _ = self.request("POST", "/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{self.port}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        })  # fmt: skip
        if status != 302:
            raise SystemExit(f"{user} 登录失败: {status}")


def prepare(projects, reuse, env):
    py = str(BIN / "python")
    subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT,
                   check=True)  # fmt: skip
    if not reuse:
        base, name = DB.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", f"{base}/postgres", "-q", "-c", sql], check=True)
    # a reused database still gets the code's newer migrations
    subprocess.run([py, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    if not reuse:
        t = time.perf_counter()
        subprocess.run([py, "manage.py", "seed_demo", "--projects", str(projects)], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"seed_demo --projects {projects}: {time.perf_counter() - t:.1f} s")


def drive(port, name, path, user, window, results, errors):
    session = Session(port)
    try:
        session.login(user)
    except SystemExit as exc:
        print(exc)
        errors[name] += 1
        window["ready"].wait()
        return
    session.request("GET", path)  # warm this worker's connection and caches
    window["ready"].wait()  # every client logged in: the timed window starts together
    stop_at = window["stop_at"]
    while time.monotonic() < stop_at:
        t = time.perf_counter()
        try:
            status, _ = session.request("GET", path)
        except (http.client.HTTPException, OSError):
            status = "conn"
        elapsed = time.perf_counter() - t
        if status == 200:
            results[name].append(elapsed)
        else:
            errors[name] += 1


def pct(values, q):
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def run_phase(args, names, clients, seconds):
    """`clients` threads split evenly over `names`, all started together; prints the table."""
    results = {name: [] for name in names}
    errors = dict.fromkeys(names, 0)
    window = {}
    window["ready"] = threading.Barrier(
        clients, action=lambda: window.update(stop_at=time.monotonic() + seconds)
    )
    threads = []
    for i in range(clients):
        name = names[i % len(names)]
        path, user = ENDPOINTS[name]
        threads.append(threading.Thread(
            target=drive, args=(args.port, name, path, user, window, results, errors)))  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    mix = "mixed" if len(names) > 1 else "alone"
    print(f"\n{mix}: {clients} clients, {seconds} s, gunicorn {args.workers} sync workers, "
          f"{args.projects} projects, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| endpoint | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        values = results[name]
        n_clients = len([i for i in range(clients) if names[i % len(names)] == name])
        print(f"| {name} `{ENDPOINTS[name][0]}` | {n_clients} | {len(values)} | "
              f"{len(values) / seconds:.1f} | {pct(values, 50):.0f} | {pct(values, 95):.0f} | "
              f"{pct(values, 99):.0f} | {errors[name]} |")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8777)
    # After the mixed run, each endpoint alone with all the clients (what one page can take).
    parser.add_argument("--each", action="store_true")
    # Only these endpoints, each alone with all the clients (e.g. --only "dashboard API").
    parser.add_argument("--only", action="append", choices=list(ENDPOINTS), default=[])
    # The production path shares the figure cache between workers in Redis; "" runs without.
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    clients, seconds = min(args.clients, 50), min(args.seconds, 120)
    env = dict(os.environ, DATABASE_URL=DB, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
               ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="projects_site.settings",
               SECURE_SSL_REDIRECT="false", LOG_LEVEL="ERROR",
               STATIC_ROOT=str(Path(tempfile.gettempdir()) / "bench-load-static"))  # fmt: skip
    env.pop("REDIS_URL", None)
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    else:
        env["ASSESS_CACHE_SECONDS"] = "0"
    prepare(args.projects, args.reuse, env)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "projects_site.wsgi", "-c", "deploy/gunicorn.conf.py",
         "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers)],
        env={**env, "GUNICORN_ACCESSLOG": "off"}, cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                Session(args.port).request("GET", "/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn 未能启动") from None
                time.sleep(0.3)
        phases = [list(ENDPOINTS)] if not args.only else [[name] for name in args.only]
        if args.each and not args.only:
            phases += [[name] for name in ENDPOINTS]
        for names in phases:
            run_phase(args, names, clients, seconds)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
