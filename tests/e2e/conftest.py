"""End-to-end fixtures: one headless Chromium per session, a fresh context per test.

The pages are served by pytest-django's ``live_server`` (a thread of this process), so each test
that uses it needs ``@pytest.mark.django_db(transaction=True)``.  Playwright's sync API runs an
event loop in this thread: Django's "async unsafe" guard has to be lifted for the ORM calls that
build the data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from samples import free_port

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# Generous waits: CI machines are shared (a wait only lasts as long as the page needs).
TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 15_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Screenshots are written only when asked (JALON_SCREENSHOTS=1): the checks run on every run,
# the pictures in docs/screenshots/ change only when someone means to change them.
WRITE_SCREENSHOTS = os.environ.get("JALON_SCREENSHOTS", "") not in ("", "0")


def pytest_collection_modifyitems(config, items):
    """Skip every e2e test, with the reason, when there is no browser to drive."""
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: end-to-end tests need a system Chromium"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed"
    if reason:
        for item in items:
            if here in Path(item.fspath).parents:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_context(browser, live_server):
    """A factory of isolated browser contexts (two of them play two users)."""
    contexts = []

    def make(user=None, locale="fr-BE"):
        ctx = browser.new_context(base_url=live_server.url, locale=locale,
                                  viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(2 * TIMEOUT_MS)
        if user is not None:
            log_in(ctx, user, live_server.url)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


class Screenshots:
    """The one place that writes docs/screenshots/<name>.png, and only with JALON_SCREENSHOTS=1
    (docs/screenshots/README.md); otherwise taking a screenshot is a no-op."""

    def __init__(self, folder: Path, enabled: bool) -> None:
        self.folder, self.enabled = folder, enabled

    def take(self, page, name: str, region: str | None = None) -> Path | None:
        if not self.enabled:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{name}.png"
        if region:
            page.locator(region).screenshot(path=str(target), animations="disabled")
        else:
            page.screenshot(path=str(target), full_page=True, animations="disabled")
        return target


@pytest.fixture(scope="session")
def screenshots() -> Screenshots:
    """Writes docs/screenshots/<name>.png when JALON_SCREENSHOTS=1 (else does nothing)."""
    return Screenshots(SCREENSHOTS, WRITE_SCREENSHOTS)


BLOCKING = {"serious", "critical"}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_check():
    """``axe_check(page, name, region=None)``: axe-core on the open page (or one region of it);
    fails on any violation of impact «serious» or «critical»."""
    from axe_playwright_python.sync_playwright import Axe

    def check(page, name: str, region: str | None = None) -> None:
        results = Axe().run(page, context=region) if region else Axe().run(page)
        assert results.response["testEngine"]["name"] == "axe-core"
        violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        assert not violations, (f"{name} ({page.url}): {len(violations)} serious/critical axe "
                                f"violation(s):\n{describe(violations)}")

    return check


@pytest.fixture
def page(new_context):
    """A page of a fresh context, not logged in."""
    return new_context().new_page()


def log_in(ctx, user, base_url: str) -> None:
    """Log ``user`` in without the form (the login journey tests the form itself)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def today_plus(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def shown(world):
    """`world` with what the pages show: progress, dates, a journal, an indicator with targets
    and values, budget lines; plan A published (for the public page).

    Objective 1 rolls up its two actions: 1.1 at 40 % and 1.2 at 80 % → 60 %.
    """
    from jalon.plans.models import Node
    from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target

    w = world
    w.plan.published = True
    w.plan.save()
    w.action.progress, w.action.start_date, w.action.end_date = (
        Decimal(40), today_plus(-200), today_plus(10))
    w.action.end_text = "dans 10 jours"
    w.action.description = "Un guichet unique et accessible."
    w.action.save()
    w.hr_action.progress, w.hr_action.start_date = Decimal(80), today_plus(-300)
    w.hr_action.end_date, w.hr_action.status = today_plus(-20), Node.Status.IN_PROGRESS
    w.hr_action.save()
    ProgressUpdate.objects.create(node=w.action, date=today_plus(-30), author=w.editor,
                                  health="at_risk", progress=40,
                                  text="Le réseau informatique du guichet est en panne.")
    ProgressUpdate.objects.create(node=w.hr_action, date=today_plus(-100), author=w.owner,
                                  health="on_track", progress=80,
                                  text="Trois formations données.")
    w.indicator = Indicator.objects.create(node=w.action, name="Délai moyen d'attente",
                                           unit="min", direction="down",
                                           norm_text="15 minutes", frequency="yearly")
    Target.objects.create(indicator=w.indicator, period="2023", value=20)
    Target.objects.create(indicator=w.indicator, period="2024", value=15)
    for period, value in (("2023", 25), ("2024", 18)):
        Measurement.objects.create(indicator=w.indicator, period=period,
                                   period_end=dt.date(int(period), 12, 31), value=value)
    BudgetLine.objects.create(node=w.action, year=2023, planned=10000, committed=8000,
                              spent=6000)
    BudgetLine.objects.create(node=w.action, year=2024, planned=12000, spent=1500.5)
    BudgetLine.objects.create(node=w.hr_action, year=2023, planned=5000, spent=5000)
    return w


# -- the demo, built once per run ------------------------------------------------------------

DEMO_BUILD_TIMEOUT = 600  # seconds; the build takes ~40 s on SQLite, ~70 s on a busy machine


class DemoSite:
    """The demo (``jalon demo --no-serve``: five seeds and the invented living plan) in a
    database of its own, served by ``jalon manage runserver`` in a child process.

    pytest-django flushes its test database after every transactional test, so the demo
    cannot live there; its own database (a SQLite file, or ``<test database>_demo`` on
    PostgreSQL) is built once per run: under pytest-xdist the first worker builds it, under
    a file lock, and the others reuse it (the tests that need it are grouped on one worker
    with ``xdist_group("demo")``)."""

    def __init__(self, url: str, database_url: str) -> None:
        self.url, self.database_url = url, database_url
        self._state: dict | None = None

    def context(self, browser, width: int = 1280, locale: str = "fr-BE"):
        """A browser context signed in as the demo account."""
        ctx = browser.new_context(base_url=self.url, locale=locale,
                                  viewport={"width": width, "height": 900},
                                  storage_state=self._signed_in(browser))
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(2 * TIMEOUT_MS)
        return ctx

    def _signed_in(self, browser) -> dict:
        if self._state is None:  # through the sign-in form, once
            from jalon.demo.loader import DEMO_PASSWORD, DEMO_USER

            ctx = browser.new_context(base_url=self.url, locale="fr-BE")
            ctx.set_default_timeout(TIMEOUT_MS)
            page = ctx.new_page()
            page.goto("/login/")
            page.fill("input[name=username]", DEMO_USER)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.locator("form:has(input[name=password]) [type=submit]").click()
            page.wait_for_url(lambda u: "/login/" not in u)
            self._state = ctx.storage_state()
            ctx.close()
        return self._state


def _demo_database(folder: Path) -> str:
    """The demo's database URL: beside the tests' own database engine."""
    url = os.environ.get("JALON_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'demo.sqlite3'}"
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"test_{parts.path.lstrip('/')}_demo"
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _demo_env(folder: Path, database_url: str) -> dict:
    import jalon

    src = str(Path(jalon.__file__).resolve().parents[1])
    return {**os.environ, "JALON_DATABASE_URL": database_url, "JALON_VAR_DIR": str(folder),
            "JALON_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "jalon.settings",
            "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def _build_demo(folder: Path) -> str:
    """Build the demo once for the whole run (every xdist worker shares ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "built"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return done.read_text()
        database_url = _demo_database(folder)
        log = folder / "build.log"
        with open(log, "w") as out:
            result = subprocess.run([sys.executable, "-m", "jalon.cli", "demo", "--no-serve"],
                                    env=_demo_env(folder, database_url), stdout=out,
                                    stderr=subprocess.STDOUT, timeout=DEMO_BUILD_TIMEOUT,
                                    check=False)
        if result.returncode:
            tail = log.read_text(errors="replace").splitlines()[-15:]
            pytest.fail("jalon demo --no-serve failed:\n" + "\n".join(tail))
        done.write_text(database_url)
        return database_url


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo built once (~40–70 s) and served for this worker; see ``DemoSite``."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    folder = base / "jalon-demo"
    database_url = _build_demo(folder)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(folder / f"server-{port}.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([sys.executable, "-m", "jalon.cli", "manage", "runserver",
                               "--noreload", f"127.0.0.1:{port}"],
                              # council documents made at once (no worker beside it)
                              env={**_demo_env(folder, database_url),
                                   "JALON_TASKS_BACKEND": "immediate"}, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the demo server did not start:\n"
                            + (folder / f"server-{port}.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield DemoSite(url, database_url)
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
        log.close()
