"""Every demo plan (five seeds and the invented living plan, built once by ``jalon demo``) tells
the same story everywhere: the dashboard, the explorer and the timeline in Chromium show the
same late count, the same status for every item and the same budget totals as the API
(``/api/v1/plans/{id}/state``, ``/budget/totals``) and the XLSX report a user downloads.

One test walks every plan (one subtest per plan): the demo is built once per run
(``demo_site`` in conftest.py) and the tests that read it run on one xdist worker."""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

CENT = Decimal("0.01")


def money(text: str) -> Decimal:
    """«1.234,56 €» → Decimal('1234.56') (Belgian format as the pages print it)."""
    digits = re.sub(r"[^\d,\-]", "", text).replace(",", ".")
    return Decimal(digits or 0).quantize(CENT)


def labels() -> dict[str, str]:
    """The status labels the pages show (French: an earlier test may have left another
    language active in this thread)."""
    from django.utils import translation

    from jalon.plans.models import Node

    with translation.override("fr"):
        return {k: str(v) for k, v in Node.Status.choices}


def demo_plans(page) -> list[dict]:
    answer = page.request.get("/api/v1/plans?page_size=500")
    assert answer.ok, answer.text()
    return answer.json()["items"]


def all_pages(page, url: str, read: str) -> list:
    """Evaluate ``read`` (a JS expression giving a list) on every page of a paged list."""
    out: list = []
    page.goto(url)
    while True:
        out += page.evaluate(read)
        following = page.locator("nav.pager a", has_text="Suivante")
        if not following.count():
            return out
        following.first.click()
        page.wait_for_load_state()


PK = r"(n => +n.getAttribute('href').match(/\/nodes\/(\d+)\//)[1])"
READ_EXPLORER = f"""[...document.querySelectorAll('ol.results > li')].map(li => [
    {PK}(li.querySelector('a.title')), li.querySelector('.state').textContent.trim()])"""
READ_TIMELINE = f"""[...document.querySelectorAll('table.timeline tbody tr')].map(tr => [
    {PK}(tr.querySelector('th a')), tr.classList.contains('late')])"""
READ_TABLE = """sel => [...document.querySelectorAll(sel + ' tr')].map(
    tr => [...tr.querySelectorAll('th, td')].map(c => c.textContent.trim()))"""


def check_plan(page, plan: dict, label: dict[str, str]) -> dict:
    pk = plan["id"]
    state = page.request.get(f"/api/v1/plans/{pk}/state").json()
    late = state["late"]
    status_of = {n["node"]: label[n["status"]] for n in state["nodes"]}
    late_of = {n["node"]: n["late"] for n in state["nodes"]}
    assert late == sum(late_of.values())
    totals = {k: Decimal(str(v)).quantize(CENT) for k, v in
              page.request.get(f"/api/v1/plans/{pk}/budget/totals").json()["total"].items()}

    # the dashboard: the status table, the late count and list, the budget table
    page.goto(f"/plans/{pk}/dashboard/")
    expect(page.locator("#late-count")).to_have_text(f"({late})")
    table = {row[0]: int(row[1].replace(".", "")) for row in
             page.evaluate(READ_TABLE, "#status-table tbody")}
    assert table.get(label["late"], 0) == late
    assert {k: v for k, v in table.items() if v} == {
        label[k]: v for k, v in state["by_status"].items()}
    listed = page.locator("#late-list tbody tr").count()
    assert listed == late or (listed < late and page.get_by_text(
        f"{listed} premiers sur {late}.").is_visible())
    if any(totals.values()):
        foot = page.evaluate(READ_TABLE, "#budget-table tfoot")[0]
        assert [money(x) for x in foot[1:4]] == [
            totals["planned"], totals["committed"], totals["spent"]]
    else:
        expect(page.get_by_text("Aucune ligne budgétaire dans ce périmètre.")).to_be_visible()

    # the explorer: every item with its status, over every page
    shown = dict(all_pages(page, f"/plans/{pk}/explore/", READ_EXPLORER))
    assert shown == status_of

    # the timeline: the late count, and each dated item marked late exactly when it is
    rows = all_pages(page, f"/plans/{pk}/timeline/", READ_TIMELINE)
    page.goto(f"/plans/{pk}/timeline/")
    if late:
        expect(page.locator("#late-count")).to_have_text(f"{late} en retard")
    else:
        expect(page.locator("#late-count")).to_have_count(0)
    assert {node: is_late for node, is_late in rows} == {
        node: late_of[node] for node, _late in rows}
    if not rows:
        expect(page.get_by_text("Aucun élément daté dans ce périmètre.")).to_be_visible()

    # the XLSX report as downloaded: cover, status of every item, budget totals
    answer = page.request.get(f"/plans/{pk}/report.xlsx")
    assert answer.ok, answer.status
    book = openpyxl.load_workbook(io.BytesIO(answer.body()))
    cover = {r[0]: r[1] for r in book["Couverture"].iter_rows(values_only=True) if r}
    assert cover["En retard"] == late
    actions = list(book["Actions"].iter_rows(values_only=True))
    code, status = actions[0].index("Code"), actions[0].index("Statut")
    code_of = {n["node"]: n["code"] or "" for n in state["nodes"]}
    assert Counter((r[code] or "", r[status]) for r in actions[1:]) == Counter(
        (code_of[n], s) for n, s in status_of.items())
    budget = list(book["Budget"].iter_rows(values_only=True))
    head = budget[0]
    sums = {k: sum((Decimal(str(r[head.index(col)])) for r in budget[1:]
                    if r and len(r) > 3 and r[1] == "Total"), Decimal(0)).quantize(CENT)
            for k, col in (("planned", "Prévu"), ("committed", "Engagé"), ("spent", "Dépensé"))}
    assert sums == totals
    return {"late": late, "items": len(status_of), "planned": totals["planned"]}


def test_every_demo_plan_shows_the_same_numbers_everywhere(demo_site, browser, subtests):
    from jalon.demo.loader import manifest

    ctx = demo_site.context(browser)
    page = ctx.new_page()
    plans = demo_plans(page)
    assert len(plans) == len(manifest()) + 1  # the seeds and the invented living plan
    label = labels()
    seen = {}
    for plan in plans:
        with subtests.test(msg=plan["title"]):
            seen[plan["title"]] = check_plan(page, plan, label)
    # the demo shows living plans: something late, something budgeted, somewhere
    assert sum(s["late"] for s in seen.values()) > 0
    assert sum(s["planned"] for s in seen.values()) > 0
    ctx.close()


def first_user_pages(page, plan: dict) -> dict[str, tuple[str, str | None]]:
    """name → (URL, region) of what a first user of the demo opens, found as they would: the
    home page lists the demo account's actions; the first one's sheet has its history."""
    page.goto("/")
    sheet = page.locator("#my-actions ~ * a[href^='/nodes/']").first.get_attribute("href")
    return {
        "home": ("/", None),
        "dashboard": (f"/plans/{plan['id']}/dashboard/", None),
        "history": (sheet, "section[aria-labelledby=h-history]"),
        "timeline": (f"/plans/{plan['id']}/timeline/", None),
        "explorer": (f"/plans/{plan['id']}/explore/", None),
        "evaluations": (f"/plans/{plan['id']}/evaluations/", None),
        "account": ("/account/", None),
    }


SCREENSHOTS = ("home", "dashboard", "history")  # docs/screenshots/demo-<name>-<width>.png


@pytest.mark.parametrize("width", [1280, 390])
def test_demo_pages_for_a_first_user(demo_site, browser, screenshots, axe_check, subtests,
                                     width):
    """Signed in as the demo account: the home page shows its actions and reminders, the
    living plan's dashboard and an action's history read in the interface's words; every
    page fits the screen (no horizontal page scroll at 390 px) and has no serious or
    critical axe violation; the screenshots of docs/screenshots/ come from here."""
    from jalon.demo import living

    ctx = demo_site.context(browser, width=width)
    page = ctx.new_page()
    plan = next(p for p in demo_plans(page) if p["title"] == living.TITLE)
    pages = first_user_pages(page, plan)
    visitor = browser.new_context(base_url=demo_site.url, locale="fr-BE",
                                  viewport={"width": width, "height": 900})
    public = visitor.new_page()
    for name, (url, region) in [*pages.items(), ("public", (
            f"/public/{living.ORGANIZATION['slug']}/{plan['id']}/", None))]:
        with subtests.test(msg=f"{name} at {width} px"):
            where = public if name == "public" else page
            response = where.goto(url)
            assert response is not None and response.status == 200, f"{name}: {url}"
            wide = where.evaluate("document.scrollingElement.scrollWidth")
            assert wide <= width, f"{name} ({url}) is {wide} px wide at {width} px"
            if name == "home":  # the demo account's actions in every state, its reminders
                for heading in ("En retard", "Échéance dans les", "Sans mise à jour depuis"):
                    section = where.locator("h3", has_text=heading)
                    expect(section.locator(".count")).not_to_have_text("(0)")
                expect(where.locator("ul.reminders > li").first).to_be_visible()
            if name == "history":  # in the interface's words, Belgian dates and numbers
                table = where.locator(region + " table")
                expect(table.locator("tbody tr").first).to_be_visible()
                text = table.inner_text()
                for internal in ("not_started", "in_progress", "on_track", "version",
                                 "None"):
                    assert internal not in text, f"history shows «{internal}»"
                assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d+\.\d{2}\b", text), text
            if name in SCREENSHOTS:
                screenshots.take(where, f"demo-{name}-{width}", region)
                axe_check(where, f"{name} at {width} px", region)
    visitor.close()
    ctx.close()
