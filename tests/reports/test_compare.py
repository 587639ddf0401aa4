"""Comparing two snapshots: exactly the known differences, nothing else."""

import datetime as dt
from decimal import Decimal

import pytest

from jalon.plans.models import Node
from jalon.plans.services import delete_node, move_node, update_node
from jalon.reports import services
from jalon.reports.compare import compare, is_empty
from jalon.reports.snapshot import take_snapshot
from jalon.tracking.models import BudgetLine
from jalon.tracking.services import post_update, record_measurement


@pytest.fixture
def mid_term_and_final(followed):
    w = followed
    doomed = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=2, code="1.4",
                                 title="Étude abandonnée")
    mid = services.create_evaluation(w.plan, kind="mid_term", as_of=dt.date(2023, 12, 31))
    # what happens between the two evaluations
    Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=3, code="1.3",
                        title="Créer un guichet numérique")
    gov = Node.objects.create(plan=w.plan, depth=0, position=1, code="2", title="Gouvernance")
    move_node(w.hr_action, gov)
    delete_node(doomed)
    update_node(w.action, {"title": "Rénover l'accueil et la salle d'attente"})
    post_update(w.action, date=dt.date(2024, 6, 30), progress=80)
    record_measurement(w.indicator, "2024", 12)
    BudgetLine.objects.create(node=w.action, year=2024, spent=Decimal("3000"))
    final = services.create_evaluation(w.plan, kind="final", as_of=dt.date(2024, 12, 31))
    return mid, final


def test_a_mid_term_and_a_final_evaluation_differ_by_exactly_what_happened(mid_term_and_final):
    mid, final = mid_term_and_final
    diff = compare(mid.snapshot, final.snapshot)
    assert diff["added"] == [{"code": "1.3", "title": "Créer un guichet numérique"},
                             {"code": "2", "title": "Gouvernance"}]
    assert diff["removed"] == [{"code": "1.4", "title": "Étude abandonnée"}]
    assert diff["moved"] == [{"code": "1.2", "title": "Former le personnel", "from": "1",
                              "to": "2"}]
    assert diff["changed"] == [{"code": "1.1", "fields": {
        "title": ["Rénover l'accueil", "Rénover l'accueil et la salle d'attente"]}}]
    assert diff["progress"] == [{"code": "1.1", "before": 40, "after": 80, "delta": 40}]
    assert diff["indicators"] == [{"code": "1.1", "indicator": "Délai moyen d'accueil",
                                   "before": 14, "after": 12, "delta": -2,
                                   "status_before": "met", "status_after": "met"}]
    assert diff["budget"] == [{"code": "1.1", "year": "2024", "field": "spent", "before": 0,
                               "after": 3000, "delta": 3000}]
    assert diff["totals"]["budget"]["2024"]["spent"] == {"before": 0, "after": 3000,
                                                         "delta": 3000}


def test_an_evaluation_compared_with_itself_or_an_unchanged_today_is_empty(followed):
    e = services.create_evaluation(followed.plan)
    assert is_empty(compare(e.snapshot, e.snapshot))
    assert is_empty(compare(e.snapshot, take_snapshot(followed.plan)))


def test_a_snapshot_compares_with_today(followed):
    e = services.create_evaluation(followed.plan, as_of=dt.date(2023, 12, 31))
    post_update(followed.hr_action, progress=60)  # today
    diff = compare(e.snapshot, take_snapshot(followed.plan))
    assert diff["progress"] == [{"code": "1.2", "before": 10, "after": 60, "delta": 50}]
    assert not diff["added"] and not diff["removed"] and not diff["changed"]


def node(code, parent=None, **kw):
    base = {"id": None, "code": code, "title": f"Titre {code}", "parent": parent,
            "parent_id": None, "level": "", "depth": 0 if parent is None else 1, "position": 0,
            "status": "not_started", "progress": None, "indicators": [], "budget": {}}
    return {**base, **kw}


def snap(plan_id, nodes, as_of="2024-01-01"):
    return {"as_of": as_of, "plan": {"id": plan_id}, "nodes": nodes, "totals": {}}


def test_snapshots_of_different_plans_are_matched_by_code():
    a = snap(1, [node("A"), node("A.1", "A", progress=10, status="in_progress"),
                 node("B"), node("B.1", "B")])
    b = snap(2, [node("A"), node("A.1", "A", progress=30, status="done"), node("B"),
                 node("B.1", "A"), node("C")])
    diff = compare(a, b)
    assert diff["added"] == [{"code": "C", "title": "Titre C"}]
    assert diff["removed"] == []
    assert diff["moved"] == [{"code": "B.1", "title": "Titre B.1", "from": "B", "to": "A"}]
    assert diff["changed"] == [{"code": "A.1", "fields": {"status": ["in_progress", "done"]}}]
    assert diff["progress"] == [{"code": "A.1", "before": 10, "after": 30, "delta": 20}]


def test_same_plan_matches_by_id_so_a_renumbered_code_is_a_change():
    a = snap(1, [node("1", id=10), node("1.1", "1", id=11, parent_id=10)])
    b = snap(1, [node("1", id=10), node("1.A", "1", id=11, parent_id=10, title="Titre 1.1")])
    diff = compare(a, b)
    assert diff["added"] == diff["removed"] == diff["moved"] == []
    assert diff["changed"] == [{"code": "1.A", "fields": {"code": ["1.1", "1.A"]}}]


def test_indicators_and_budgets_appearing_or_disappearing():
    ind = {"id": 5, "name": "Taux", "latest": {"period": "2023", "value": 80}, "status": "met"}
    a = snap(1, [node("1", id=1, budget={"2023": {"planned": 100, "committed": 0, "spent": 0}})])
    b = snap(1, [node("1", id=1, indicators=[ind])])
    diff = compare(a, b)
    assert diff["indicators"] == [{"code": "1", "indicator": "Taux", "before": None,
                                   "after": 80, "delta": None, "status_before": None,
                                   "status_after": "met"}]
    assert diff["budget"] == [{"code": "1", "year": "2023", "field": "planned", "before": 100,
                               "after": 0, "delta": -100}]
