"""The one model of state in a real browser: the dashboard, the explorer and the timeline show
the same late count, statuses and budget totals as the API and the XLSX report; and the
dashboard, the action sheet and the public page fit a 390 px phone screen."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mixed(shown):
    """`shown` (1.1 at risk and on time at 40 %, 1.2 late at 80 %) plus 1.3 done, 1.4 on time
    and not started, and an amount stated by the plan (2.500 € on 1.3, in 2025)."""
    import datetime as dt

    from django.utils import timezone

    from jalon.plans.models import MoneyLine, Node
    from jalon.tracking.services import budget_from_plan

    def today_plus(n: int) -> dt.date:
        return timezone.localdate() + dt.timedelta(days=n)

    w = shown
    done = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=2, code="1.3",
                               title="Ouvrir un site web", status=Node.Status.DONE,
                               end_date=today_plus(-40))
    Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=3, code="1.4",
                        title="Publier un guide", end_date=today_plus(90))
    MoneyLine.objects.create(node=done, amount=Decimal(2500), year=2025)
    budget_from_plan(w.plan)
    return w


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def test_pages_agree_with_the_api_and_the_xlsx_report(mixed, new_context):
    from django.utils import translation

    from jalon.plans.models import Node
    from jalon.reports.renderers import render

    w = mixed
    with translation.override("fr"):  # an earlier test may have left another language active
        labels = {k: str(v) for k, v in Node.Status.choices}
    page = new_context(w.reader).new_page()
    api = page.request.get(f"/api/v1/plans/{w.plan.pk}/state").json()
    assert api["late"] == 1  # 1.2 only
    status_of = {n["code"]: str(labels[n["status"]]) for n in api["nodes"]}
    assert status_of == {"1": "En cours", "1.1": "En cours", "1.2": "En retard",
                         "1.3": "Terminé", "1.4": "Pas commencé"}
    totals = page.request.get(f"/api/v1/plans/{w.plan.pk}/budget/totals").json()["total"]

    page.goto(f"/plans/{w.plan.pk}/dashboard/")
    expect(page.locator("#late-count")).to_have_text(f"({api['late']})")
    expect(page.locator("#late-list tbody tr")).to_have_count(api["late"])
    rows = page.locator("#status-table tbody tr")
    table = {rows.nth(i).locator("th").inner_text().strip():
             _number(rows.nth(i).locator("td.num").inner_text()) for i in range(rows.count())}
    assert table["En retard"] == api["late"]
    assert {k: v for k, v in table.items() if v} == {
        str(labels[k]): v for k, v in api["by_status"].items()}
    planned = page.locator("#budget-table tfoot td.num").first.inner_text()
    assert _number(planned) == int(totals["planned"]) == 29_500  # «29.500 €»

    page.goto(f"/plans/{w.plan.pk}/explore/")
    for code, label in status_of.items():
        item = page.locator("ol.results > li").filter(
            has=page.locator("a.title .code", has_text=re.compile(rf"^{re.escape(code)}$")))
        expect(item.locator(".state")).to_have_text(label)

    page.goto(f"/plans/{w.plan.pk}/timeline/")
    expect(page.locator("#late-count")).to_have_text(f"{api['late']} en retard")

    with translation.override("fr"):
        book = openpyxl.load_workbook(io.BytesIO(render(w.plan, "xlsx")))
    cover = {r[0]: r[1] for r in book["Couverture"].iter_rows(values_only=True)}
    assert cover["En retard"] == api["late"]
    actions = list(book["Actions"].iter_rows(values_only=True))
    head = actions[0]
    code_col, status_col = head.index("Code"), head.index("Statut")
    assert {r[code_col]: r[status_col] for r in actions[1:]} == status_of
    budget = list(book["Budget"].iter_rows(values_only=True))
    planned_col = budget[0].index("Prévu")
    assert sum(r[planned_col] for r in budget[1:] if r and r[1] == "Total") \
        == totals["planned"] == 29500


def test_dashboard_sheet_and_public_page_fit_a_390_px_screen(mixed, new_context):
    w = mixed
    editor = new_context(w.editor).new_page()
    public = new_context().new_page()
    for page, url in ((editor, f"/plans/{w.plan.pk}/dashboard/"),
                      (editor, f"/nodes/{w.action.pk}/"),
                      (public, f"/public/{w.org.slug}/{w.plan.pk}/")):
        page.set_viewport_size({"width": 390, "height": 844})
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url}: the page is {width} px wide at 390 px"
