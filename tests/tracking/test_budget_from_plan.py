"""The plan's own amounts become planned budget lines; spending is recorded against them; the
reports' budget tables are numeric (XLSX with openpyxl, ODS with odfpy)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from jalon.plans.models import MoneyLine
from jalon.reports.renderers import render
from jalon.tracking.models import BudgetLine
from jalon.tracking.services import budget_from_plan


def _stated(w):
    """1.1 states 2.500 € (funding «Région wallonne») and runs within 2025; 1.2 states 800 €
    over several years (a line without year)."""
    w.action.start_date, w.action.end_date = dt.date(2025, 2, 1), dt.date(2025, 11, 30)
    w.action.funding = "Région wallonne"
    w.action.save()
    w.hr_action.start_date, w.hr_action.end_date = dt.date(2024, 1, 1), dt.date(2026, 6, 30)
    w.hr_action.save()
    MoneyLine.objects.create(node=w.action, amount=Decimal(2500))
    MoneyLine.objects.create(node=w.hr_action, amount=Decimal(800))
    return budget_from_plan(w.plan)


def test_amounts_become_planned_lines_by_year_and_source_once(world):
    assert _stated(world) == 2
    lines = {b.node.code: b for b in BudgetLine.objects.filter(node__plan=world.plan)}
    assert (lines["1.1"].year, lines["1.1"].planned, lines["1.1"].funding_source) == (
        2025, Decimal("2500.00"), "Région wallonne")
    assert lines["1.2"].year is None and lines["1.2"].planned == Decimal("800.00")
    lines["1.1"].spent = Decimal(300)
    lines["1.1"].save()
    assert budget_from_plan(world.plan) == 0  # run again: nothing new, spending kept
    assert BudgetLine.objects.get(pk=lines["1.1"].pk).spent == Decimal(300)


def test_the_dashboard_shows_them_and_spending_is_recorded_on_the_sheet(client, world):
    _stated(world)
    client.force_login(world.editor)
    page = client.get(reverse("plan_dashboard", args=[world.plan.pk])).content.decode()
    assert "Aucune ligne budgétaire" not in page
    assert "2.500 €" in page and "sans année" in page and "3.300 €" in page
    line = BudgetLine.objects.get(node=world.action)
    response = client.post(reverse("node_spending", args=[world.action.pk, line.pk]),
                           {"committed": "1.200,50", "spent": "1.000"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.committed, line.spent) == (Decimal("1200.50"), Decimal("1000.00"))
    client.force_login(world.reader)  # a reader may not record spending
    assert client.post(reverse("node_spending", args=[world.action.pk, line.pk]),
                       {"spent": "5"}).status_code in (403, 404)
    line.refresh_from_db()
    assert line.spent == Decimal("1000.00")


def _ods_rows(data: bytes, name: str) -> list[list[TableCell]]:
    doc = load(io.BytesIO(data))
    for t in doc.spreadsheet.getElementsByType(Table):
        if t.getAttribute("name") == name:
            return [r.getElementsByType(TableCell) for r in t.getElementsByType(TableRow)]
    raise AssertionError(name)


def test_report_budget_tables_are_numeric_with_correct_columns(world):
    _stated(world)
    book = openpyxl.load_workbook(io.BytesIO(render(world.plan, "xlsx")))
    rows = list(book["Budget"].iter_rows())
    head = [c.value for c in rows[0]]
    assert head[:6] == ["Code", "Intitulé", "Exercice", "Prévu", "Engagé", "Dépensé"]
    table = []
    for r in rows[1:]:  # the first table: up to the blank row before the printed resources
        if all(c.value is None for c in r):
            break
        table.append(r)
    body = [r for r in table if r[0].value in ("1.1", "1.2")]
    assert body
    for r in body:
        assert r[2].value is None or isinstance(r[2].value, int)  # a year, never an amount
        for c in r[3:6]:
            assert isinstance(c.value, int | float) and "€" in c.number_format
    planned = {(r[0].value, r[2].value): r[3].value for r in body if r[3].value}
    assert planned == {("1.1", 2025): 2500, ("1.2", None): 800}

    cells = _ods_rows(render(world.plan, "ods"), "Budget")
    header = [str(c) for c in cells[0]]
    assert header[:6] == ["Code", "Intitulé", "Exercice", "Prévu", "Engagé", "Dépensé"]
    found = {}
    for r in cells[1:]:
        if not any(str(c) for c in r):
            break  # the printed resources follow, with their own header
        if len(r) >= 6 and str(r[0]) in ("1.1", "1.2"):
            for c in r[3:6]:
                assert c.getAttribute("valuetype") == "currency"
            if r[3].getAttribute("value") not in (None, "0", "0.0"):
                found[str(r[0])] = float(r[3].getAttribute("value"))
    assert found == {"1.1": 2500.0, "1.2": 800.0}
