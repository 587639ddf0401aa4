"""Automated accessibility checks (axe-core) on the main pages, in headless Chromium.

No page may have a violation of impact «serious» or «critical».  With JALON_SCREENSHOTS=1 the run
also saves a full-page screenshot of each page to docs/screenshots/<name>.png (see the README
there).

One test walks every page (one subtest per page): on PostgreSQL, each transactional test pays a
flush of every table, so a test per page would double the time of the end-to-end suite.
"""

from __future__ import annotations

import pytest

pytest.importorskip("axe_playwright_python.sync_playwright",
                    reason="axe-playwright-python is not installed")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# name → (who looks: an attribute of `shown`, or None for a visitor; URL; region checked or None)
PAGES = {
    "home": ("editor", lambda w: "/", None),
    "dashboard": ("editor", lambda w: f"/plans/{w.plan.pk}/dashboard/", None),
    "tree": ("editor", lambda w: f"/plans/{w.plan.pk}/", None),
    "action-sheet": ("editor", lambda w: f"/nodes/{w.action.pk}/", None),
    "timeline": ("editor", lambda w: f"/plans/{w.plan.pk}/timeline/", None),
    # no page of its own: the indicator is a section of the sheet (chart + table)
    "indicator": ("editor", lambda w: f"/nodes/{w.action.pk}/#indicator-{w.indicator.pk}",
                  lambda w: f"#indicator-{w.indicator.pk}"),
    "explorer": ("editor", lambda w: f"/plans/{w.plan.pk}/explore/?q=reseau", None),
    "admin-people": ("org_admin", lambda w: f"/orgs/{w.org.slug}/admin/people/", None),
    "public-plan": (None, lambda w: f"/public/{w.org.slug}/{w.plan.pk}/", None),
    "login": (None, lambda w: "/login/", None),
    "account": ("editor", lambda w: "/account/", None),
    "admin-roles": ("org_admin", lambda w: f"/orgs/{w.org.slug}/admin/roles/", None),
}


def check(page, name: str, url: str, region: str | None, screenshots, axe_check) -> None:
    """Open ``url``, save its screenshot (when asked), and fail on any serious or critical axe
    violation."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{name}: HTTP {response.status if response else '?'} for {url}")
    screenshots.take(page, name, region)
    axe_check(page, name, region)


def test_pages_have_no_serious_accessibility_violation(shown, new_context, screenshots,
                                                       axe_check, subtests):
    pages = {}  # one browser context per user, created on first use
    for name, (who, url_of, region_of) in PAGES.items():
        with subtests.test(msg=name):
            if who not in pages:
                pages[who] = new_context(getattr(shown, who) if who else None).new_page()
            check(pages[who], name, url_of(shown), region_of(shown) if region_of else None,
                  screenshots, axe_check)
