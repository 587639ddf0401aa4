"""Tree operations: moving a subtree, reordering siblings, deleting with children."""

import pytest

from jalon.plans.models import Node
from jalon.plans.services import TreeError, delete_node, move_node, plan_tree, reorder_node, walk


@pytest.fixture
def tree(world):
    plan = world.plan
    b = Node.objects.create(plan=plan, code="2", title="Deux", position=1)
    b1 = Node.objects.create(plan=plan, parent=b, depth=1, code="2.1", title="Deux-un")
    b11 = Node.objects.create(plan=plan, parent=b1, depth=2, code="2.1.1", title="Feuille")
    return world, b, b1, b11


def codes(plan):
    return [(n.code, n.depth) for n in walk(plan_tree(plan))]


def test_it_moves_a_subtree_with_its_depths(tree):
    w, b, b1, b11 = tree
    move_node(b1, w.action)
    assert codes(w.plan) == [("1", 0), ("1.1", 1), ("2.1", 2), ("2.1.1", 3), ("1.2", 1), ("2", 0)]


def test_it_refuses_to_move_a_node_under_its_own_descendant(tree):
    w, b, b1, b11 = tree
    with pytest.raises(TreeError):
        move_node(b, b11)
    assert codes(w.plan)[-3:] == [("2", 0), ("2.1", 1), ("2.1.1", 2)]


def test_it_refuses_to_move_a_node_to_another_plan(tree):
    w, b, *_ = tree
    with pytest.raises(TreeError):
        move_node(b, w.other_node)


def test_it_reorders_siblings(tree):
    w, *_ = tree
    reorder_node(w.hr_action, 0)
    assert [c for c, _ in codes(w.plan)][:3] == ["1", "1.2", "1.1"]
    positions = list(Node.objects.filter(parent=w.root).order_by("position")
                     .values_list("code", "position"))
    assert positions == [("1.2", 0), ("1.1", 1)]


def test_it_deletes_a_node_with_its_children_and_renumbers(tree):
    w, b, b1, b11 = tree
    Node.objects.create(plan=w.plan, code="3", title="Trois", position=2)
    assert delete_node(b) == 3
    assert not Node.objects.filter(code__in=["2", "2.1", "2.1.1"]).exists()
    assert list(Node.objects.filter(plan=w.plan, parent=None).values_list("code", "position")
                .order_by("position")) == [("1", 0), ("3", 1)]
