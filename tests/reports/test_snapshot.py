"""A snapshot holds the whole plan at a date, in a fixed number of queries."""

import datetime as dt
import json

from jalon.plans.models import Node
from jalon.reports.snapshot import subtree_budget, take_snapshot
from jalon.tracking.services import post_update

QUERIES = 11  # nodes + 5 prefetched relations, journal, indicators + measurements + targets,
# budget lines


def by_code(snap):
    return {n["code"]: n for n in snap["nodes"]}


def test_it_holds_the_tree_people_progress_indicators_and_budgets(followed):
    snap = take_snapshot(followed.plan, dt.date(2023, 12, 31))
    json.dumps(snap)  # plain JSON
    nodes = by_code(snap)
    assert [n["code"] for n in snap["nodes"]] == ["1", "1.1", "1.2"]
    a = nodes["1.1"]
    assert (a["parent"], a["depth"], a["status"], a["progress"]) == ("1", 1, "in_progress", 40)
    assert a["owners"] == ["Anne Chef"] and a["departments"] == ["Service social"]
    assert a["risks"] == ["Retard du chantier"]
    assert nodes["1"]["rolled_up"] == 25  # mean of 40 and 10
    ind = a["indicators"][0]
    assert [v["value"] for v in ind["values"]] == [30, 22, 14]
    assert ind["latest"] == {"period": "2023", "period_end": "2023-12-31", "value": 14}
    assert ind["target"]["value"] == 15 and ind["status"] == "met"  # «down»: 14 ≤ 15
    assert a["budget"] == {"2023": {"planned": 12000, "committed": 8000, "spent": 1234.56},
                           "2024": {"planned": 5000, "committed": 0, "spent": 0}}
    assert snap["totals"]["budget"]["2023"] == {"planned": 15000, "committed": 8000,
                                                "spent": 3734.56}
    assert subtree_budget(snap, "1")["2023"]["spent"] == 3734.56
    assert snap["totals"]["actions"] == 2 and snap["totals"]["progress"] == 25


def test_values_are_those_known_at_the_date(followed):
    snap = take_snapshot(followed.plan, dt.date(2022, 12, 31))
    a = by_code(snap)["1.1"]
    assert a["progress"] is None and a["status"] == "not_started"  # first entry: 2023
    assert [v["value"] for v in a["indicators"][0]["values"]] == [30, 22]
    assert a["indicators"][0]["target"] is None  # the only target is for 2023
    assert a["indicators"][0]["status"] == "no_norm"


def test_a_node_without_journal_keeps_its_own_progress(followed):
    Node.objects.filter(pk=followed.root.pk).update(progress=70, status="in_progress")
    snap = take_snapshot(followed.plan, dt.date(2020, 1, 1))
    assert by_code(snap)["1"]["progress"] == 70


def test_a_later_journal_entry_without_progress_keeps_the_earlier_one(followed):
    post_update(followed.action, date=dt.date(2024, 1, 10), text="Réunion")
    assert by_code(take_snapshot(followed.plan, dt.date(2024, 2, 1)))["1.1"]["progress"] == 40


def test_the_number_of_queries_does_not_grow_with_the_plan(followed, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        take_snapshot(followed.plan)
    for i in range(30):
        Node.objects.create(plan=followed.plan, parent=followed.root, depth=1, position=10 + i,
                            code=f"1.{10 + i}", title=f"Action {i}")
    with django_assert_num_queries(QUERIES):
        snap = take_snapshot(followed.plan)
    assert len(snap["nodes"]) == 33
