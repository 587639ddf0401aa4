"""The timeline: planned against actual dates, slippage visible in the chart and the table."""

import datetime as dt
import re

from django.urls import reverse
from web_samples import days, query_counts

from jalon.plans.models import Node
from jalon.tracking.models import ProgressUpdate
from jalon.web.charts import gantt


def timeline(client, w, **params) -> str:
    response = client.get(reverse("plan_timeline", args=[w.plan.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def row(page: str, code: str) -> str:
    table = page[page.index("<table"):]
    return next(r for r in table.split("<tr") if f'<span class="code">{code}</span>' in r)


def test_it_shows_planned_and_actual_dates(client, followed):
    w = followed
    client.force_login(w.reader)
    r = row(timeline(client, w), "1.1")
    planned = (days(-200).strftime("%d/%m/%Y"), days(10).strftime("%d/%m/%Y"))
    assert all(d in r for d in planned)
    assert days(-30).strftime("%d/%m/%Y") in r  # the journal entry: actual start


def test_an_open_item_past_its_end_is_shown_late(client, followed):
    client.force_login(followed.reader)
    page = timeline(client, followed)
    assert 'class="late"' in row(page, "1.2") and "en retard de 20 jours" in row(page, "1.2")
    assert "1 en retard" in page
    assert '<rect class="g-slip"' in page and '<g class="g-row is-late">' in page


def test_an_item_done_after_its_end_shows_how_late_it_finished(client, followed):
    w = followed
    ProgressUpdate.objects.create(node=w.hr_action, date=days(-5), status="done")
    Node.objects.filter(pk=w.hr_action.pk).update(status="done")
    client.force_login(w.reader)
    r = row(timeline(client, w), "1.2")
    assert "terminé avec 15 jours de retard" in r and days(-5).strftime("%d/%m/%Y") in r


def test_undated_items_are_left_out(client, followed):
    client.force_login(followed.reader)
    page = timeline(client, followed)
    assert "2 éléments datés" in page and "Servir la population" not in page


def test_the_chart_is_decorative_and_the_table_carries_the_dates(client, followed):
    client.force_login(followed.reader)
    page = timeline(client, followed)
    assert re.search(r'<svg class="gantt"[^>]*aria-hidden="true"', page)
    assert "<caption>Dates prévues et réelles</caption>" in page


def test_filter_by_department_and_level(client, followed):
    w = followed
    client.force_login(w.reader)
    page = timeline(client, w, department=w.rh.pk)
    assert "Former le personnel" in page and "Rénover" not in page
    assert "Aucun élément daté" in timeline(client, w, level="Objectif")


def test_gantt_geometry_puts_bars_on_a_shared_time_axis():
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    g = gantt([("a", dt.date(2024, 1, 1), dt.date(2024, 7, 1), None, None, dt.date(2024, 9, 1))],
              start, end, dt.date(2024, 9, 1), width=1000, left=100)
    r = g.rows[0]
    assert r.planned.x == 100 and 540 < r.planned.x + r.planned.w < 550  # half a year later
    assert r.slip.x == r.planned.x + r.planned.w and r.slip.w > 0
    assert r.actual is None and g.today_x == r.slip.x + r.slip.w


def test_it_takes_the_same_queries_for_50_and_2000_nodes(client, db):
    # session + user + plan + departments + nodes with journal dates (1 + 3 prefetches)
    counts = query_counts(client, lambda plan, user: reverse("plan_timeline", args=[plan.pk]))
    assert counts[0] == counts[1], counts
