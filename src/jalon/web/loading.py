"""What the plan-wide pages load: a plan's nodes in a fixed number of queries, and the helpers
that scope them (department, level) in memory."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from jalon.plans.models import Node, Plan
from jalon.tracking.models import ProgressUpdate
from jalon.tracking.reminders import CLOSED

__all__ = ["CLOSED", "plan_nodes", "department_scope", "level_label", "children_of"]


def plan_nodes(plan: Plan, *, with_journal_dates: bool = False) -> list[Node]:
    """Every node of the plan in tree order, with owners, departments and mandataires, and
    annotated with ``current_health`` (the latest health given in the journal) and
    ``last_update`` (the latest journal date).  With ``with_journal_dates``, also
    ``first_update`` and ``done_on`` (the first entry that set the status to done).

    Queries: 1 for the nodes (the annotations are correlated subqueries served by the
    ``update_latest`` index) + 3 prefetches = 4, whatever the plan's size.
    """
    updates = ProgressUpdate.objects.filter(node=OuterRef("pk"))
    newest = ("-date", "-created", "-id")
    oldest = ("date", "created", "id")
    qs = plan.nodes.with_tree_data().annotate(
        current_health=Subquery(updates.exclude(health="").order_by(*newest)
                                .values("health")[:1]),
        last_update=Subquery(updates.order_by(*newest).values("date")[:1]),
    )
    if with_journal_dates:
        qs = qs.annotate(
            first_update=Subquery(updates.order_by(*oldest).values("date")[:1]),
            done_on=Subquery(updates.filter(status=Node.Status.DONE).order_by(*oldest)
                             .values("date")[:1]),
        )
    return list(qs)


def children_of(nodes: list[Node]) -> dict[int | None, list[Node]]:
    out: dict[int | None, list[Node]] = {}
    for n in nodes:
        out.setdefault(n.parent_id, []).append(n)
    return out


def department_scope(nodes: list[Node], department_id: int | None) -> tuple[set[int], set[int]]:
    """(nodes of the department, nodes to keep).

    A node belongs to a department when it or one of its ancestors is assigned to it (an
    objective given to a service covers its actions); the nodes kept are those plus their
    ancestors, so that the tree and the roll-up keep their shape.  ``None``: everything.
    """
    ids = {n.id for n in nodes}
    if department_id is None:
        return ids, ids
    by_id = {n.id: n for n in nodes}
    direct = {n.id for n in nodes if any(d.pk == department_id for d in n.departments.all())}
    member: dict[int, bool] = {}

    def belongs(n: Node) -> bool:
        chain = []
        p: Node | None = n
        while p is not None and p.id not in member:
            chain.append(p)
            if p.id in direct:
                break
            p = by_id.get(p.parent_id)
        result = (p is not None and (member.get(p.id) or p.id in direct))
        for c in chain:
            member[c.id] = bool(result)
        return bool(result)

    inside = {n.id for n in nodes if belongs(n)}
    kept = set(inside)
    for nid in inside:
        p = by_id[nid].parent_id
        while p is not None and p not in kept:
            kept.add(p)
            p = by_id[p].parent_id
    return inside, kept


def level_label(plan: Plan, node: Node) -> str:
    """The level a node is at, as the plan names it («Objectif stratégique», «Action»)."""
    return node.level or str(plan.level_name(node.depth))
