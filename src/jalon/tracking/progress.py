"""Every node's rolled-up progress, computed in memory from one query of the plan's nodes.

``rolled_up(plan_nodes, rule)`` walks the tree bottom-up and applies ``tracking.rollup.rollup``
to each node's children, so every figure keeps its rule and its inputs for display.

The input a child gives its parent is the child's own progress when it has one, else what its
own children roll up to (the convention of ``reports.snapshot.shown_progress``): a declared
figure is never silently replaced.  With the ``manual`` rule, a parent's figure is its own
progress with the justification stored in ``node.extra["rollup_justification"]``; without a
justified value the figure is empty (the computed mean is not substituted for it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .rollup import Item, Rollup, rollup

JUSTIFICATION_KEY = "rollup_justification"


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def shown(node: Any, figures: dict[int, Rollup]) -> Decimal | None:
    """What a node shows and passes up: its own progress, else its rolled-up figure."""
    if node.progress is not None:
        return _dec(node.progress)
    figure = figures.get(node.id)
    return figure.value if figure is not None else None


def children_first(nodes) -> tuple[list[Any], dict[int, list[Any]]]:
    """The nodes with every child before its parent, and the children of each node id.
    Nodes whose parent is not among them count as roots."""
    nodes = list(nodes)
    ids = {n.id for n in nodes}
    children: dict[int, list[Any]] = defaultdict(list)
    for n in nodes:
        if n.parent_id in ids:
            children[n.parent_id].append(n)
    order: list[Any] = []  # a pre-order walk from the roots, reversed below
    stack = [n for n in nodes if n.parent_id not in ids]
    while stack:
        n = stack.pop()
        order.append(n)
        stack.extend(children.get(n.id, []))
    order.reverse()
    return order, children


def rolled_up(plan_nodes: Iterable[Any], rule: str = "mean") -> dict[int, Rollup]:
    """Node id → ``Rollup`` for every node that has children (leaves have none).

    ``plan_nodes``: objects with ``id``, ``parent_id``, ``code``, ``progress``, ``weight``,
    ``status`` (and ``extra`` for the manual rule), e.g. one ``plan.nodes`` query.  Nodes whose
    parent is not among them count as roots, so a filtered subset rolls up on its own.
    """
    order, children = children_first(plan_nodes)
    figures: dict[int, Rollup] = {}
    for n in order:
        kids = sorted(children.get(n.id, []), key=lambda c: (getattr(c, "position", 0), c.id))
        if not kids:
            continue
        items = [Item(c.code, shown(c, figures), _dec(c.weight), c.status) for c in kids]
        if rule == "manual":
            justification = str((getattr(n, "extra", None) or {}).get(JUSTIFICATION_KEY, ""))
            if n.progress is not None and justification.strip():
                figures[n.id] = rollup(items, "manual", manual=_dec(n.progress),
                                       justification=justification)
            else:
                figures[n.id] = Rollup("manual", None)
            continue
        figures[n.id] = rollup(items, rule if rule in {"mean", "weighted"} else "mean")
    return figures
