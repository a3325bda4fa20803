"""Load benchmark: signed-in users of every role on the deployed path, on 127.0.0.1.

    .venv/bin/python bench/load.py [--projects 20000] [--reuse NAME | --db NAME [--keep]]
                                   [--clients 50] [--seconds 120] [--redis redis://…/N]

The deployed path: gunicorn with production settings (DEBUG off, whitenoise, sync workers)
on PostgreSQL, a real Celery worker on Redis (not eager: the figure refreshes after a change
and the jobs go through the broker), the figure cache on the same Redis database.

Database: by default a new one of a unique name (`bench_load_<pid>_<random>`) seeded with
`seed_demo --projects N` and dropped at the end (`--keep` keeps it for `--reuse NAME`);
`--reuse NAME` works in an existing seeded database and never drops it (see
deploy/scratch_db.py). Nothing else is dropped or flushed.

The mix: every list page, dashboard and API list of tests/test_query_counts.py (exports
excepted: they are jobs) that the permission matrix lets each demo role open, plus three
project pages per role; roles admin, drc, drc_lj, leader, leader_lj, tb_lj, tb_jt. Each client
signs in as one role and loops over that role's pages in its own shuffled order, keep-alive,
no think time (a closed loop: latency ≈ clients ÷ throughput). One more client loops on
`/healthz/`, a trivial Django view (the whole middleware stack, no work): the machine's floor
in the same run; the table ends with every page's p95 over the floor's.

Before the timed window, every (role, page) is opened once, one request at a time (the
figure cache as after a day's use; its statuses and slowest request are printed; a page
that failed there, e.g. cut at gunicorn's timeout, is listed and computed once more in a
separate process without the timeout so the timed window finds it in the cache).
Prints per page: requests, req/s, p50/p95/p99, errors and 5xx (a connection cut by a
worker killed at gunicorn's timeout counts as a 5xx: behind the proxy it is a 502); totals;
the load average before, during (min–max of 5-second samples) and after. A 5xx is listed with its URL and
role, and the tracebacks from the gunicorn log are printed. Exit 1 on any 5xx.
Bounded on purpose: 127.0.0.1 only, at most 60 clients and 300 seconds.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.scratch_db import ScratchDatabase, add_arguments  # noqa: E402

BIN = Path(sys.executable).parent
# demo login → the permission-matrix principal with the same rights
ROLES = {"admin": "admin", "drc": "reviewer", "drc_lj": "reviewer_a", "leader": "leader_city",
         "leader_lj": "leader_a", "tb_lj": "reporter_a", "tb_jt": "unit_clerk"}  # fmt: skip
FLOOR = ("floor: trivial view", "/healthz/")


class Session:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        h = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{self.port}/"}
        h.update(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=h)
            resp = self.conn.getresponse()
            data = resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            raise
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
            raise RuntimeError(f"{user} 登录失败: {status}")


def child_mix():
    """In a child with Django set up: {login: [[page name, url], …]} as JSON on stdout."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from registry.scoping import visible_projects
    from tests.test_permission_matrix import EXPECT
    from tests.test_query_counts import PAGES, expectations, url_name, url_of

    mix = defaultdict(list)
    for page in PAGES:
        if "export" in page or "template" in page:
            continue  # exports are jobs on the worker, not pages
        cells = expectations(EXPECT[url_name(page)], "GET")
        for login, principal in ROLES.items():
            if cells[principal][0] == "200":
                mix[login].append([page, url_of(page)])
    for login in ROLES:
        user = get_user_model().objects.get(username=login)
        for pk in visible_projects(user).order_by("pk").values_list("pk", flat=True)[:3]:
            url = reverse("registry:project_detail", kwargs={"pk": pk})
            mix[login].append(["registry:project_detail", url])
    print(json.dumps(mix))


class Tally:
    """Response times and statuses per page, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.status = defaultdict(Counter)
        self.fivexx = Counter()

    def add(self, page, login, url, status, elapsed):
        with self.lock:
            self.status[page][status] += 1
            if status == 200:
                self.times[page].append(elapsed)
            elif status == "cut" or status >= 500:
                self.fivexx[(status, url, login)] += 1


def drive(port, login, pages, window, tally, seed):
    session = Session(port)
    try:
        if login:
            session.login(login)
    except (RuntimeError, OSError, http.client.HTTPException) as exc:
        print(f"{login}: {exc}", flush=True)
    order = list(pages)
    random.Random(seed).shuffle(order)
    window["ready"].wait()  # every client signed in: the timed window starts together
    i = 0
    while time.monotonic() < window["stop_at"]:
        page, url = order[i % len(order)]
        i += 1
        t = time.perf_counter()
        try:
            status, _ = session.request("GET", url)
        except (http.client.HTTPException, OSError):
            status = "cut"  # a worker killed mid-request: the proxy answers 502
        tally.add(page, login, url, status, time.perf_counter() - t)


def child_warm(url, login):
    """In a child with Django set up: one request without gunicorn's timeout (fills the
    figure cache for a page whose cold computation outlasts it)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=login))
    t = time.perf_counter()
    status = client.get(url, secure=True).status_code
    print(f"  in-process {url} as {login}: {status} in {time.perf_counter() - t:.1f} s")


def warm_up(port, mix):
    """Every (role, page) once, one request at a time, untimed: the figure cache filled as
    by a day's use. Returns {status: count}, the slowest request and the failed ones."""
    statuses, slowest, failed = Counter(), (0.0, ""), []
    for login, pages in mix.items():
        session = Session(port)
        session.login(login)
        for _page, url in pages:
            t = time.perf_counter()
            try:
                status, _ = session.request("GET", url)
            except (http.client.HTTPException, OSError):
                status = "cut"
            statuses[status] += 1
            slowest = max(slowest, (time.perf_counter() - t, f"{url} as {login}"))
            if status != 200:
                failed.append((url, login))
    return statuses, slowest, failed


def sample_load(window, samples):
    window["ready"].wait()
    while time.monotonic() < window["stop_at"]:
        samples.append(os.getloadavg()[0])
        time.sleep(5)


def run_window(args, mix):
    tally, samples, window = Tally(), [], {}
    logins = list(ROLES)
    plans = [(logins[i % len(logins)], mix[logins[i % len(logins)]]) for i in range(args.clients)]
    plans.append(("", [list(FLOOR)]))
    window["ready"] = threading.Barrier(
        len(plans) + 1, action=lambda: window.update(stop_at=time.monotonic() + args.seconds)
    )
    threads = [threading.Thread(target=drive, args=(args.port, login, pages, window, tally, n))
               for n, (login, pages) in enumerate(plans)]  # fmt: skip
    threads.append(threading.Thread(target=sample_load, args=(window, samples)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, samples


def pct(values, q):
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000
        if len(values) > 1
        else 0
    )


def row(name, times, status, seconds):
    errors = sum(n for s, n in status.items() if s != 200)
    fivexx = sum(n for s, n in status.items() if s == "cut" or s >= 500)
    return (f"| {name} | {sum(status.values())} | {len(times) / seconds:.1f} | {pct(times, 50):.0f} "
            f"| {pct(times, 95):.0f} | {pct(times, 99):.0f} | {errors} | {fivexx} |")  # fmt: skip


def report(args, tally, samples, load_before, log):
    s = args.seconds
    print(f"\n{args.clients} signed-in clients + 1 floor client, {s} s, gunicorn {args.workers} "
          f"sync workers + 1 Celery worker on {args.redis}, {args.projects} projects")  # fmt: skip
    print(f"load average (1 min): before {load_before:.2f}, during {min(samples):.2f}–"
          f"{max(samples):.2f}, after {os.getloadavg()[0]:.2f}\n")  # fmt: skip
    print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | 5xx |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    all_times, all_status = [], Counter()
    for page in sorted(tally.status):
        if page == FLOOR[0]:
            continue
        print(row(f"`{page}`", tally.times[page], tally.status[page], s))
        all_times += tally.times[page]
        all_status.update(tally.status[page])
    print(row("**all pages**", all_times, all_status, s))
    print(row(f"*{FLOOR[0]}* `{FLOOR[1]}`", tally.times[FLOOR[0]], tally.status[FLOOR[0]], s))
    floor_p95 = pct(tally.times[FLOOR[0]], 95)
    if floor_p95:
        print(f"\np95 of all pages / p95 of the trivial view: {pct(all_times, 95) / floor_p95:.1f}× "
              f"(target ≤ 4×); errors {sum(n for st, n in all_status.items() if st != 200)}")  # fmt: skip
    odd = {p: dict(c) for p, c in tally.status.items() if set(c) - {200}}
    if odd:
        print(f"\nnon-200 answers: {odd}")
    for (status, url, login), n in tally.fivexx.most_common():
        print(f"5xx: {status} ×{n} {url} as {login}")
    if tally.fivexx:
        text = Path(log).read_text(errors="replace")
        print("\n--- gunicorn log: tracebacks ---\n" + text[-8000:])
    return 1 if tally.fivexx else 0


def start(name, cmd, env, logs):
    log = open(Path(logs) / f"{name}.log", "w")  # noqa: SIM115 - the child writes it
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def stop(procs):
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_ready(port, server):
    deadline = time.monotonic() + 120
    while True:
        try:
            Session(port).request("GET", FLOOR[1])
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn 未能启动") from None
            time.sleep(0.3)


def prepare(db, args, env):
    py = str(BIN / "python")
    run = lambda *a, **kw: subprocess.run([py, *a], env=env, cwd=ROOT, check=True, **kw)  # noqa: E731
    run("manage.py", "collectstatic", "--noinput", "-v", "0")
    run("manage.py", "migrate", "-v", "0")  # a reused database gets the code's newer migrations
    if not db.reuse:
        t = time.perf_counter()
        run("manage.py", "seed_demo", "--projects", str(args.projects), stdout=subprocess.DEVNULL)
        print(f"seed_demo --projects {args.projects}: {time.perf_counter() - t:.1f} s", flush=True)
    out = run(__file__, "--mix", capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(db, args):
    logs = tempfile.mkdtemp(prefix="bench-load-")
    env = dict(os.environ, DATABASE_URL=db.url, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
               ALLOWED_HOSTS="127.0.0.1,testserver", DJANGO_SETTINGS_MODULE="projects_site.settings",
               SECURE_SSL_REDIRECT="false", LOG_LEVEL="ERROR", REDIS_URL=args.redis,
               MEDIA_ROOT=str(Path(logs) / "media"), STATIC_ROOT=str(Path(logs) / "static"))  # fmt: skip
    env.pop("CACHE_URL", None)  # the cache on REDIS_URL, as deployed
    mix = prepare(db, args, env)
    print(f"{sum(len(v) for v in mix.values())} (role, page) pairs; logs in {logs}", flush=True)
    procs = [
        start("gunicorn", [str(BIN / "gunicorn"), "projects_site.wsgi", "-c", "deploy/gunicorn.conf.py",
                           "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers)],
              {**env, "GUNICORN_ACCESSLOG": "off"}, logs),
        start("worker", [str(BIN / "python"), "-m", "celery", "-A", "projects_site", "worker",
                         "-l", "WARNING", "--concurrency", "1", "--without-gossip",
                         "--without-mingle"], env, logs),
    ]  # fmt: skip
    try:
        wait_ready(args.port, procs[0])
        t = time.perf_counter()
        statuses, slowest, failed = warm_up(args.port, mix)
        print(f"warm-up: {dict(statuses)} in {time.perf_counter() - t:.0f} s, slowest "
              f"{slowest[0]:.1f} s ({slowest[1]})", flush=True)  # fmt: skip
        for url, login in failed:  # reported above; computed once more without the timeout
            print(f"warm-up failed: {url} as {login}; see {logs}/gunicorn.log", flush=True)
            subprocess.run([str(BIN / "python"), __file__, "--warm", url, login], env=env,
                           cwd=ROOT, check=False)  # fmt: skip
        load_before = os.getloadavg()[0]
        tally, samples = run_window(args, mix)
        if procs[1].poll() is not None:
            print("Celery worker 意外退出", flush=True)
        return report(args, tally, samples, load_before, Path(logs) / "gunicorn.log")
    finally:
        stop(procs)


def main():
    if sys.argv[1:] == ["--mix"]:
        return child_mix()
    if sys.argv[1:2] == ["--warm"]:
        return child_warm(*sys.argv[2:4])
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    add_arguments(parser, "bench_load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8777)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="broker and cache")
    args = parser.parse_args()
    args.clients, args.seconds = min(args.clients, 60), min(args.seconds, 300)
    with ScratchDatabase.from_args(args, "bench_load") as db:
        sys.exit(bench(db, args))


if __name__ == "__main__":
    main()
