"""End-to-end fixtures: one headless Chromium per session, a fresh context per test.

The pages are served by pytest-django's ``live_server`` (a thread of this process), so each test
that uses it needs ``@pytest.mark.django_db(transaction=True)``.  Playwright's sync API runs an
event loop in this thread: Django's "async unsafe" guard has to be lifted for the ORM calls that
build the data.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# Generous waits: CI machines are shared (a wait only lasts as long as the page needs).
TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 15_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


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


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """docs/screenshots/, where the accessibility run saves a picture of each page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


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
