"""Every node's rolled-up progress, bottom-up, from plain node rows."""

from decimal import Decimal as Dec
from types import SimpleNamespace

from jalon.tracking.progress import rolled_up, shown


def n(id, parent=None, progress=None, weight=None, status="in_progress", **extra):
    return SimpleNamespace(id=id, parent_id=parent, code=f"c{id}", position=id,
                           progress=None if progress is None else Dec(progress),
                           weight=None if weight is None else Dec(weight), status=status,
                           extra=extra)


def test_figures_roll_up_through_every_level():
    nodes = [n(1), n(2, 1), n(3, 1, 30), n(4, 2, 100), n(5, 2, 50)]
    figures = rolled_up(nodes, "mean")
    assert figures[2].value == Dec("75.00")
    assert figures[1].value == Dec("52.50")  # (75 + 30) / 2
    assert figures[1].inputs == [("c2", Dec("75.00"), Dec(1) / 2), ("c3", Dec(30), Dec(1) / 2)]
    assert 3 not in figures  # leaves have no roll-up


def test_a_declared_progress_is_passed_up_rather_than_replaced():
    nodes = [n(1), n(2, 1, 10), n(3, 2, 90)]
    figures = rolled_up(nodes, "mean")
    assert figures[2].value == Dec("90.00") and shown(nodes[1], figures) == Dec(10)
    assert figures[1].value == Dec("10.00")


def test_weighted_rule_and_exclusions():
    nodes = [n(1), n(2, 1, 100, 3), n(3, 1, 0, 1), n(4, 1, 0, status="stopped")]
    figures = rolled_up(nodes, "weighted")
    assert figures[1].value == Dec("75.00") and figures[1].excluded == [("c4", "stopped")]


def test_manual_rule_uses_the_justified_value_only():
    nodes = [n(1, progress=60, rollup_justification="marché attribué"), n(2, 1, 10),
             n(3), n(4, 3, 10), n(5, progress=70), n(6, 5, 10)]
    figures = rolled_up(nodes, "manual")
    assert figures[1].value == Dec("60.00") and figures[1].justification == "marché attribué"
    assert figures[3].value is None and figures[5].value is None  # no justification


def test_a_subset_rolls_up_on_its_own():
    nodes = [n(2, 1), n(4, 2, 100), n(5, 2, 50)]  # the parent 1 is not in the subset
    assert rolled_up(nodes, "mean")[2].value == Dec("75.00")
