"""The public page passes axe (WCAG 2.1 A/AA rules) in a real browser.

Runs when Playwright can start Chromium (``JALON_CHROMIUM`` or ``chromium`` on the PATH, else
Playwright's own); skipped otherwise.  The page is rendered by the test client, its style
sheets inlined, then loaded into the browser: no live server is needed.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.e2e


def inline_styles(html: str) -> str:
    def repl(m: re.Match) -> str:
        path = finders.find(m.group(1).removeprefix("/static/"))
        return f"<style>{open(path, encoding='utf-8').read()}</style>" if path else ""

    return re.sub(r'<link rel="stylesheet" href="([^"]+)">', repl, html)


def browser_page(playwright):
    executable = os.environ.get("JALON_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    try:
        browser = playwright.chromium.launch(
            **({"executable_path": executable} if executable else {}),
            args=["--no-sandbox"])
    except Exception as exc:  # no browser on this machine
        pytest.skip(f"Chromium cannot start for the axe check: {exc}".splitlines()[0])
    return browser, browser.new_page()


@pytest.mark.parametrize("hidden", [[], ["owners", "budget", "progress", "comment", "risks"]])
def test_the_public_page_passes_axe(client, published, hidden):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    sync_api = pytest.importorskip("playwright.sync_api")
    published.plan.hidden_fields = hidden
    published.plan.save()
    html = inline_styles(client.get(reverse(
        "public_plan", args=[published.org.slug, published.plan.pk])).content.decode())
    with sync_api.sync_playwright() as p:
        browser, page = browser_page(p)
        try:
            page.set_content(html)
            page.click("details summary")  # the open details are checked too
            results = axe_module.Axe().run(page, options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                      "wcag21aa", "best-practice"]}})
        finally:
            browser.close()
    assert results.violations_count == 0, results.generate_report()
