"""Load: 50 signed-in users with think time and 10 % writes against ``jalon serve`` in
production mode (gunicorn), on PostgreSQL.

    .venv/bin/python benchmarks/load.py [--database URL] [--users 50] [--duration 180]
                                        [--writes 0.10] [--orgs 5] [--items 260] [--rebuild]
                                        [--cache redis://127.0.0.1:6379/2 | none]

1. Builds (or reuses, when it is there) a region in ``--database`` (default
   ``$JALON_LOAD_DATABASE`` or ``postgres://postgres@127.0.0.1:5432/jalon_load``; created when
   missing): ``--orgs`` organizations, each with a published plan of ``--items`` items from
   ``benchmarks/region.py``'s builder, and ``--users`` accounts, plan editors of one
   organization each (spread over the organizations).
2. Starts ``jalon serve`` with ``JALON_DEBUG=0`` on a free port of 127.0.0.1 (gunicorn,
   ``JALON_WEB_WORKERS`` from the CPU count unless ``--workers``; static files collected;
   ``JALON_DB_CONN_MAX_AGE=60`` as docs/deployment.md advises for PostgreSQL; the shared cache
   ``JALON_CACHE_URL`` of ``--cache`` when a Redis answers there, as docs/settings.md advises
   for more than one process). The client
   talks to it as the HTTPS reverse proxy of docs/deployment.md would
   (``X-Forwarded-Proto: https``).
3. Signs every user in (session cookie + CSRF), then runs one thread per user for
   ``--duration`` seconds: wait 1–3 s (think time), then with probability ``--writes`` post a
   journal entry through the sheet's progress form (as htmx does), otherwise read one of the
   main pages (home, tree, dashboard, explorer, timeline, an action sheet, the public plan
   page, the API node list) of the user's plan.
4. Prints per page: requests, errors, p50, p95, p99 and max (ms), the throughput, and checks
   that every successful write is in the journal (rows in the database == writes answered
   200). Exit status 1 on any error or missing write.

Nothing else is written: the server's access log goes to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "charge-pw-2026"
USERNAME = "charge{:03d}"
READS = ("home", "plan tree", "dashboard", "explorer", "timeline", "action sheet",
         "public plan page", "API nodes (page of 100)")
WRITE = "journal entry (POST)"


# -- the database ------------------------------------------------------------------------------

def ensure_database(url: str, rebuild: bool) -> None:
    """Create the PostgreSQL database when it is missing (``--rebuild``: drop it first)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if rebuild:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build_region(orgs: int, items: int, months: int, users: int) -> None:
    """``orgs`` organizations from region.py's builder, ``users`` plan editors; reused when the
    same sizes were built before."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from region import build_org

    from jalon.accounts.models import Membership
    from jalon.plans.models import Plan

    call_command("migrate", verbosity=0)
    have = Plan.objects.filter(organization__slug__startswith="cpas-").count()
    if have < orgs:
        t0 = time.perf_counter()
        for i in range(have, orgs):
            build_org(i, items, months)
        print(f"built {orgs - have} organizations × {items} items in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    plans = list(Plan.objects.filter(organization__slug__startswith="cpas-")
                 .order_by("organization__slug")[:orgs])
    hashed = make_password(PASSWORD)
    for k in range(users):
        user, created = User.objects.get_or_create(username=USERNAME.format(k))
        if created:
            user.password = hashed
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organization=plans[k % len(plans)]
                                         .organization, defaults={"role": "plan_editor"})
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def user_targets(users: int, orgs: int) -> list[dict]:
    """What each virtual user reads and writes: its plan's pages and action ids."""
    from django.urls import reverse

    from jalon.plans.models import Plan

    plans = list(Plan.objects.filter(organization__slug__startswith="cpas-")
                 .select_related("organization").order_by("organization__slug")[:orgs])
    out = []
    for k in range(users):
        plan = plans[k % len(plans)]
        actions = list(plan.nodes.filter(depth=1).values_list("pk", flat=True))
        out.append({
            "username": USERNAME.format(k),
            "actions": actions,
            "pages": {
                "home": reverse("home"),
                "plan tree": reverse("plan_detail", args=[plan.pk]),
                "dashboard": reverse("plan_dashboard", args=[plan.pk]),
                "explorer": reverse("plan_explorer", args=[plan.pk]),
                "timeline": reverse("plan_timeline", args=[plan.pk]),
                "public plan page": reverse("public_plan",
                                            args=[plan.organization.slug, plan.pk]),
                "API nodes (page of 100)": f"/api/v1/plans/{plan.pk}/nodes?page_size=100",
            },
        })
    return out


def journal_count(marker: str) -> int:
    from jalon.tracking.models import ProgressUpdate

    return ProgressUpdate.objects.filter(text__startswith=marker).count()


# -- the server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_cache(url: str) -> str:
    """The cache the deployment guide recommends (Redis), when one answers at ``url``."""
    if url in ("", "none"):
        return ""
    parsed = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        return ""
    return url


def start_server(database: str, port: int, var_dir: str, workers: int | None,
                 threads: int | None, cache_url: str = "") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="jalon.settings",
               JALON_DEBUG="0", JALON_SECRET_KEY=secrets.token_urlsafe(40),
               JALON_ALLOWED_HOSTS="127.0.0.1", JALON_DATABASE_URL=database,
               JALON_VAR_DIR=var_dir, JALON_DB_CONN_MAX_AGE="60", JALON_LOG_LEVEL="WARNING")
    if cache_url:
        env["JALON_CACHE_URL"] = cache_url
    if workers:
        env["JALON_WEB_WORKERS"] = str(workers)
    if threads:
        env["JALON_WEB_THREADS"] = str(threads)
    log = open(Path(var_dir) / "server.log", "wb")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from jalon.cli import main; "
         f"sys.exit(main(['serve', '127.0.0.1:{port}', '--no-migrate']))"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"load: jalon serve stopped ({proc.returncode}); see "
                             f"{var_dir}/server.log:\n{tail(var_dir)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"load: jalon serve did not answer within 180 s:\n{tail(var_dir)}")


def tail(var_dir: str) -> str:
    path = Path(var_dir) / "server.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-20:]) if path.exists() else ""


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (gunicorn's arbiter and its workers)."""
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- the client --------------------------------------------------------------------------------

class Browser:
    """One signed-in person: a keep-alive connection, its cookies, the CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        head = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}{path}", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a keep-alive connection the server closed: open a new one
            try:
                self.conn.request(method, path, body=data, headers=head)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"load: /login/ answered {status} without a CSRF token")
        status, _page = self.request("POST", "/login/", {
            "csrfmiddlewaretoken": token.group(1).decode(), "username": username,
            "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"load: signing in as {username} answered {status}")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.writes_ok = 0

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{page}: {error}")
            elif page == WRITE:
                self.writes_ok += 1


def virtual_user(browser: Browser, target: dict, results: Results, stop_at: float,
                 write_share: float, marker: str, seed: int) -> None:
    rnd = random.Random(seed)
    time.sleep(rnd.uniform(0, 3))  # users arrive over the first seconds
    n = 0
    while True:
        think = rnd.uniform(1, 3)
        if time.monotonic() + think >= stop_at:
            return
        time.sleep(think)
        n += 1
        if rnd.random() < write_share:
            page, method = WRITE, "POST"
            path = f"/nodes/{rnd.choice(target['actions'])}/progress/"
            body = {"csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
                    "status": "in_progress", "health": "on_track",
                    "progress": str(rnd.randint(0, 100)), "date": "",
                    "text": f"{marker} {target['username']} #{n}"}
            headers, expected = {"HX-Request": "true"}, 200
        else:
            page, method, body, headers, expected = rnd.choice(READS), "GET", None, {}, 200
            path = (f"/nodes/{rnd.choice(target['actions'])}/" if page == "action sheet"
                    else target["pages"][page])
        t0 = time.perf_counter()
        try:
            status, _content = browser.request(method, path, body, headers)
            error = None if status == expected else f"{method} {path} → {status}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{method} {path} → {type(exc).__name__}: {exc}"
        results.add(page, time.perf_counter() - t0, error)


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(results: Results, seconds: float) -> None:
    print("| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    everything = []
    for page in (*READS, WRITE):
        times = results.times.get(page, [])
        everything += times
        if not times:
            print(f"| {page} | 0 | 0 | | | | |")
            continue
        print(f"| {page} | {len(times)} | {results.errors.get(page, 0)} | "
              f"{percentile(times, 50) * 1000:.0f} | {percentile(times, 95) * 1000:.0f} | "
              f"{percentile(times, 99) * 1000:.0f} | {max(times) * 1000:.0f} |")
    if everything:
        print(f"| **all** | {len(everything)} | {sum(results.errors.values())} | "
              f"{percentile(everything, 50) * 1000:.0f} | "
              f"{percentile(everything, 95) * 1000:.0f} | "
              f"{percentile(everything, 99) * 1000:.0f} | {max(everything) * 1000:.0f} |")
    print(f"\n{len(everything)} requests in {seconds:.0f} s: {len(everything) / seconds:.1f} req/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get(
        "JALON_LOAD_DATABASE", "postgres://postgres@127.0.0.1:5432/jalon_load"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--writes", type=float, default=0.10, help="share of writes (0–1)")
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--items", type=int, default=260)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: CPU count + 1)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: 4)")
    parser.add_argument("--rebuild", action="store_true", help="drop and build the database")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/2",
                        help="JALON_CACHE_URL of the server when it answers ('none': one "
                             "cache per process)")
    args = parser.parse_args()
    cache_url = shared_cache(args.cache)
    print(f"cache: {cache_url or 'local memory, one per process'}")

    ensure_database(args.database, args.rebuild)
    os.environ["JALON_DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()
    build_region(args.orgs, args.items, args.months, args.users)
    targets = user_targets(args.users, args.orgs)
    from django.db import connection

    connection.close()  # the server's workers take the connections from here on
    marker = f"charge-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="jalon-load-") as var_dir:
        port = free_port()
        server = start_server(args.database, port, var_dir, args.workers, args.threads,
                              cache_url)
        try:
            browsers = []
            for target in targets:
                browser = Browser(port)
                browser.sign_in(target["username"])
                browsers.append(browser)
            load_before = os.getloadavg()
            results = Results()
            t0 = time.monotonic()
            stop_at = t0 + args.duration
            threads = [threading.Thread(target=virtual_user, daemon=True, args=(
                b, t, results, stop_at, args.writes, marker, k))
                for k, (b, t) in enumerate(zip(browsers, targets, strict=True))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - t0
            load_after = os.getloadavg()
        finally:
            stop_server(server)
            server_log = tail(var_dir)
    in_journal = journal_count(marker)
    workers = args.workers or f"{(os.cpu_count() or 1) + 1} (CPU count + 1)"
    print(f"\n{connection.vendor}: {args.orgs} organizations × {args.items} items; "
          f"{args.users} users, think time 1–3 s, {args.writes:.0%} writes, {elapsed:.0f} s; "
          f"jalon serve (gunicorn, {workers} workers × {args.threads or 4} threads) on "
          f"{os.cpu_count()} CPUs")
    print(f"load average (1, 5, 15 min) before: {' '.join(f'{x:.2f}' for x in load_before)}"
          f" · after: {' '.join(f'{x:.2f}' for x in load_after)}\n")
    report(results, elapsed)
    ok = results.writes_ok == in_journal and not results.errors
    print(f"writes answered 200: {results.writes_ok} · in the journal: {in_journal} "
          f"({'all there' if results.writes_ok == in_journal else 'MISSING'})")
    if results.samples:
        print("first errors:\n  " + "\n  ".join(results.samples))
        print("server log (end):\n" + server_log)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
