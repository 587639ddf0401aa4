"""The one model of state (tracking.state): its rules, and a property-based check that no page,
report or API answer contradicts another on generated plans."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as Dec
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.plans.models import Node, Plan
from jalon.reports.renderers import render
from jalon.reports.snapshot import take_snapshot
from jalon.tracking.services import post_update
from jalon.tracking.state import effective_status, is_late, plan_states, status_from_progress

TODAY = dt.date(2026, 12, 4)


def test_late_means_deadline_passed_and_not_closed():
    past, future = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    assert is_late("in_progress", past, TODAY) and is_late("not_started", past, TODAY)
    assert not is_late("done", past, TODAY) and not is_late("stopped", past, TODAY)
    assert not is_late("in_progress", future, TODAY) and not is_late("in_progress", None, TODAY)
    assert is_late("late", future, TODAY)  # recorded late


def test_progress_and_children_set_the_status_shown():
    assert effective_status("not_started", Dec(60), None, TODAY) == "in_progress"
    assert effective_status("not_started", Dec(100), None, TODAY) == "done"
    assert effective_status("not_started", None, None, TODAY, ["not_started", "done"]) \
        == "in_progress"
    assert effective_status("not_started", None, None, TODAY, ["done", "stopped"]) == "done"
    assert effective_status("stopped", Dec(60), None, TODAY) == "stopped"
    assert effective_status("not_started", None, None, TODAY, ["not_started"]) == "not_started"


def test_imported_progress_sets_the_status():
    assert status_from_progress("", 60) == "in_progress"
    assert status_from_progress("not_started", 100) == "done"
    assert status_from_progress("not_started", 0) == "not_started"
    assert status_from_progress("stopped", 60) == "stopped"


def test_an_objective_with_progress_is_never_not_started_and_counts_unstarted_as_zero():
    rows = [SimpleNamespace(id=1, parent_id=None, code="1", position=0, progress=None,
                            weight=None, status="not_started", end_date=None, extra={}),
            SimpleNamespace(id=2, parent_id=1, code="1.1", position=0, progress=Dec(40),
                            weight=None, status="not_started", end_date=None, extra={}),
            SimpleNamespace(id=3, parent_id=1, code="1.2", position=1, progress=None,
                            weight=None, status="not_started", end_date=None, extra={})]
    states = plan_states(rows, "mean", TODAY)
    assert states[1].status == "in_progress" and states[1].progress == Dec("20.00")
    assert states[1].rollup.assumed == ["1.2"]


# -- property: pages, API and reports agree -------------------------------------------------

STATUSES = ["not_started", "in_progress", "done", "late", "stopped", "lapsed"]
node_spec = st.tuples(
    st.integers(min_value=0, max_value=10),  # parent: index among earlier nodes (or top)
    st.sampled_from(STATUSES),
    st.one_of(st.none(), st.sampled_from([0, 25, 40, 60, 100])),  # progress
    st.one_of(st.none(), st.integers(min_value=-2000, max_value=400)),  # deadline, days
)
plans = st.lists(node_spec, min_size=1, max_size=9)


def _build(org, specs, day) -> tuple[Plan, list[Node]]:
    plan = Plan.objects.create(organization=org, title="Plan généré", rollup_rule="mean")
    nodes: list[Node] = []
    for i, (parent, status, progress, deadline) in enumerate(specs):
        p = nodes[parent] if nodes and parent < len(nodes) and parent % 3 != 0 else None
        nodes.append(Node.objects.create(
            plan=plan, parent=p, depth=(p.depth + 1) if p else 0, position=i, code=f"N{i}",
            title=f"Élément {i}", status=status,
            progress=None if progress is None else Dec(progress),
            end_date=None if deadline is None else day + dt.timedelta(days=deadline)))
    return plan, nodes


def _int(pattern: str, page: str, default: int | None = None) -> int:
    m = re.search(pattern, page, re.S)
    if m is None:
        assert default is not None, pattern
        return default
    return int(m.group(1).replace(".", ""))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=plans, first=st.sampled_from([5, 40, 100]))
def test_no_page_report_or_api_answer_contradicts_another(world, specs, first):
    day = timezone.localdate()
    client = Client()
    client.force_login(world.reader)
    with transaction.atomic():
        plan, nodes = _build(world.org, specs, day)
        api = client.get(f"/api/v1/plans/{plan.pk}/state").json()
        dash = client.get(reverse("plan_dashboard", args=[plan.pk])).content.decode()
        timeline = client.get(reverse("plan_timeline", args=[plan.pk])).content.decode()
        explorer = client.get(reverse("plan_explorer", args=[plan.pk]),
                              {"status": "late"}).content.decode()
        snap = take_snapshot(plan)

        late = api["late"]
        assert late == sum(1 for n in api["nodes"] if n["late"])
        assert _int(r'id="late-count">\((\d+)\)', dash) == late  # the late list's heading
        assert dash.count('<tr><td><a href="/nodes/', dash.find('id="late-list"'),
                          dash.find('id="h-risk"')) == min(late, 50) if late else True
        status_table = dash[dash.index('id="status-table"'):dash.index('id="h-health"')]
        assert _int(r'En retard</span></th><td class="num">(\d+)<', status_table) == late
        assert _int(r'id="late-count">(\d+) en retard', timeline, 0) == late
        assert _int(r'(\d+) éléments? trouvés?', explorer) == late
        assert snap["totals"]["late"] == late
        assert snap["totals"]["by_status"] == dict(sorted(api["by_status"].items()))
        by_code = {n["code"]: n for n in snap["nodes"]}
        parents = {n.parent_id for n in nodes}
        for n in api["nodes"]:
            assert by_code[n["code"]]["status"] == n["status"]  # report = API
            if n["node"] in parents and n["progress"] and n["status"] not in (
                    "stopped", "lapsed", "done"):
                assert n["status"] != "not_started", n  # a parent with progress
        if len(specs) <= 4:  # the XLSX report (slower): its cover's late count
            sheet = openpyxl.load_workbook(io.BytesIO(render(plan, "xlsx")))
            cover = {r[0]: r[1] for r in sheet.worksheets[0].iter_rows(values_only=True)}
            assert cover["En retard"] == late

        # a first progress recorded on an action never lowers its parent's figure
        fresh = [n for n in nodes if n.parent_id and n.id not in parents
                 and n.progress is None and n.status in ("not_started", "in_progress")]
        if fresh:
            leaf = fresh[0]
            before = {n["node"]: n["progress"] for n in api["nodes"]}
            post_update(leaf, by=world.editor, progress=first)
            after = {n["node"]: n["progress"]
                     for n in client.get(f"/api/v1/plans/{plan.pk}/state").json()["nodes"]}
            p = leaf.parent_id
            while p is not None:
                assert (after[p] or 0) >= (before[p] or 0), (p, before[p], after[p])
                p = Node.objects.get(pk=p).parent_id
        transaction.set_rollback(True)
