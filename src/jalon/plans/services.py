"""Writes to the plan register. Each runs in one transaction and leaves an audit record.

Web views, API routes, CLI commands and the importer all call these functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jalon.core.values import parse_fuzzy_date

from .audit import attributed
from .models import Node, Organization, Plan


class TreeError(ValueError):
    """A tree operation that would break the tree (cycle, other plan)."""


class CodeTaken(ValueError):
    """Another node of the plan already has this code."""

    def __init__(self, code: str):
        super().__init__(_("Le code « %(code)s » existe déjà dans ce plan.") % {"code": code})


class ConflictError(Exception):
    """Optimistic locking: somebody saved the item (a node, an indicator, a budget line…)
    since this user loaded it; ``obj`` is the item as it is now (with its current version)."""

    def __init__(self, obj):
        self.obj = self.node = obj
        super().__init__(_("« %(code)s » a été modifié entre-temps par quelqu'un d'autre.")
                         % {"code": getattr(obj, "code", "") or str(obj)})


# -- reading ------------------------------------------------------------------------------

def plan_tree(plan: Plan, nodes: Iterable[Node] | None = None) -> list[Node]:
    """Return the top nodes with ``.tree_children`` filled, in order, from one node query
    (plus one per prefetched relation): the count does not grow with the plan."""
    if nodes is None:
        nodes = plan.nodes.with_tree_data()
    by_parent: dict[int | None, list[Node]] = defaultdict(list)
    for n in nodes:
        by_parent[n.parent_id].append(n)
    for children in by_parent.values():
        children.sort(key=lambda n: (n.position, n.id))
    for n in [x for xs in by_parent.values() for x in xs]:
        n.tree_children = by_parent.get(n.id, [])
    return by_parent.get(None, [])


def walk(roots: list[Node]) -> Iterable[Node]:
    """Depth-first, pre-order."""
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(getattr(n, "tree_children", [])))


def apply_dates(node: Node, reference_year: int | None = None) -> None:
    """Parse the printed start/end/deadline into a date range on the node (pure, no save)."""
    start = parse_fuzzy_date(node.start_text, reference_year) if node.start_text else None
    end = parse_fuzzy_date(node.end_text, reference_year) if node.end_text else None
    deadline = parse_fuzzy_date(node.deadline_text, reference_year) if node.deadline_text else None
    # A single printed value such as «2020-21» or «Continu» may carry the whole range.
    first = start or deadline or end
    last = end or deadline or start
    node.start_date = first.start if first and first.valid else None
    node.end_date = last.end if last and last.valid else None
    kinds = {d.kind for d in (start, end, deadline) if d}
    node.open_ended = "open" in kinds
    if "invalid" in kinds:
        node.date_kind = "invalid"
    elif first:
        node.date_kind = (last or first).kind if (last or first).kind != "done" else "done"
    else:
        node.date_kind = ""


# -- tree operations ----------------------------------------------------------------------

def _renumber(plan: Plan, parent_id: int | None) -> None:
    siblings = list(Node.objects.filter(plan=plan, parent_id=parent_id).order_by("position", "id"))
    for i, s in enumerate(siblings):
        if s.position != i:
            s.position = i
            s.save(update_fields=["position"])


def _set_depths(node: Node) -> None:
    """Recompute the depth of a moved node's subtree (one query per level of the subtree)."""
    frontier = [node]
    while frontier:
        ids = [n.id for n in frontier]
        children = list(Node.objects.filter(parent_id__in=ids))
        depth_of = {n.id: n.depth for n in frontier}
        for c in children:
            c.depth = depth_of[c.parent_id] + 1
            c.save(update_fields=["depth"])
        frontier = children


@transaction.atomic
def move_node(node: Node, new_parent: Node | None, position: int | None = None,
              *, by=None) -> Node:
    """Move a node (and its subtree) under ``new_parent`` at ``position`` (end if None)."""
    node = attributed(Node.objects.select_for_update().get(pk=node.pk), by)
    if new_parent is not None:
        if new_parent.plan_id != node.plan_id:
            raise TreeError(_("Un élément ne peut pas changer de plan."))
        p: Node | None = new_parent
        while p is not None:
            if p.pk == node.pk:
                raise TreeError(_("Un élément ne peut pas être déplacé sous lui-même."))
            p = p.parent
    old_parent_id = node.parent_id
    siblings = Node.objects.filter(plan_id=node.plan_id,
                                   parent=new_parent).exclude(pk=node.pk).order_by("position", "id")
    count = siblings.count()
    position = count if position is None else max(0, min(position, count))
    ordered = list(siblings)
    ordered.insert(position, node)
    node.parent = new_parent
    node.depth = new_parent.depth + 1 if new_parent else 0
    node.position = position
    node.version += 1
    node.save(update_fields=["parent", "depth", "position", "version"])
    for i, s in enumerate(ordered):
        if s.pk != node.pk and s.position != i:
            attributed(s, by).position = i
            s.save(update_fields=["position"])  # a save, not update(): it leaves an audit record
    if old_parent_id != (new_parent.pk if new_parent else None):
        _renumber(node.plan, old_parent_id)
    _set_depths(node)
    node.refresh_from_db()
    return node


def reorder_node(node: Node, position: int, *, by=None) -> Node:
    """Move a node among its siblings."""
    return move_node(node, node.parent, position, by=by)


@transaction.atomic
def delete_node(node: Node, *, by=None) -> int:
    """Delete a node with its whole subtree; return how many nodes went."""
    ids = [node.pk]
    frontier = [node.pk]
    while frontier:
        frontier = list(Node.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    plan, parent_id = node.plan, node.parent_id
    # delete leaves first so every deletion gets its own audit record
    for n in sorted(Node.objects.filter(pk__in=ids), key=lambda n: -n.depth):
        attributed(n, by).delete()
    _renumber(plan, parent_id)
    return len(ids)


@transaction.atomic
def update_node(node: Node, changes: dict, *, expected_version: int | None = None,
                by=None) -> Node:
    """Save changed fields only; refuse when the node changed since ``expected_version``."""
    current = attributed(Node.objects.select_for_update().get(pk=node.pk), by)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    m2m = {k: changes.pop(k) for k in list(changes) if k in {"owners", "team", "mandataires",
                                                              "departments"}}
    changed = [k for k, v in changes.items() if getattr(current, k) != v]
    for k in changed:
        setattr(current, k, changes[k])
    if {"start_text", "end_text", "deadline_text"} & set(changed):
        apply_dates(current, current.plan.period_start)
        changed += ["start_date", "end_date", "date_kind", "open_ended"]
    if changed or m2m:
        current.version += 1
        current.save(update_fields=[*changed, "version"])
    for k, values in m2m.items():
        getattr(current, k).set(values)
    return current


def ensure_code_free(plan: Plan, code: str, *, node: Node | None = None) -> None:
    """Raise ``CodeTaken`` when another node of ``plan`` (not ``node``) has this code."""
    others = Node.objects.filter(plan=plan, code=code)
    if node is not None:
        others = others.exclude(pk=node.pk)
    if others.exists():
        raise CodeTaken(code)


@transaction.atomic
def create_node(plan: Plan, parent: Node | None, position: int | None,
                fields: dict[str, Any], relations: dict[str, list] | None = None,
                *, by=None) -> Node:
    """Insert a node under ``parent`` at ``position`` (end if None), shifting its siblings.

    ``relations``: m2m name → objects (``owners``, ``departments``…).  Raises ``CodeTaken``.
    """
    ensure_code_free(plan, fields["code"])
    siblings = list(Node.objects.select_for_update().filter(plan=plan, parent=parent)
                    .order_by("position", "id"))
    position = len(siblings) if position is None else min(position, len(siblings))
    for i, s in enumerate(siblings):
        wanted = i if i < position else i + 1
        if s.position != wanted:
            attributed(s, by).position = wanted
            s.save(update_fields=["position"])  # a save: it leaves an audit record
    node = attributed(Node(plan=plan, parent=parent, depth=parent.depth + 1 if parent else 0,
                    position=position, **fields), by)
    apply_dates(node, plan.period_start)
    node.save()
    for name, values in (relations or {}).items():
        getattr(node, name).set(values)
    return node


# -- plans --------------------------------------------------------------------------------

@transaction.atomic
def create_plan(organization: Organization, fields: dict[str, Any], *, by=None) -> Plan:
    plan = attributed(Plan(organization=organization, **fields), by)
    plan.save()
    return plan


@transaction.atomic
def update_plan(plan: Plan, changes: dict[str, Any], *, by=None) -> Plan:
    """Save the changed fields only; the period must stay in order (else ``ValueError``)."""
    plan = attributed(Plan.objects.select_for_update().get(pk=plan.pk), by)
    changed = [k for k, v in changes.items() if getattr(plan, k) != v]
    for k in changed:
        setattr(plan, k, changes[k])
    if plan.period_start and plan.period_end and plan.period_start > plan.period_end:
        raise ValueError(_("Le début de la période doit précéder sa fin."))
    if changed:
        plan.save(update_fields=changed)
    return plan


@transaction.atomic
def delete_plan(plan: Plan, *, by=None) -> None:
    """Delete the plan with all its nodes and their follow-up."""
    attributed(plan, by).delete()
