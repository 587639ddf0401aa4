"""What the plan-wide pages load: a plan's nodes in a fixed number of queries, and the helpers
that scope them (department, level) in memory."""

from __future__ import annotations

from html import escape

from django.db.models import OuterRef, Subquery
from django.db.models.base import ModelState
from django.utils.safestring import SafeString, mark_safe

from jalon.plans.access import visibility_of
from jalon.plans.models import Department, Node, Person, Plan
from jalon.tracking.models import ProgressUpdate
from jalon.tracking.reminders import CLOSED

__all__ = ["CLOSED", "plan_nodes", "attach_people_and_departments", "department_scope",
           "level_label", "children_of"]


# lists the plan-wide pages never show (the sheet does): not read, not decoded from JSON
UNSHOWN = ("partners", "steering", "risks", "deliverables")


def plan_nodes(plan: Plan, *, journal: bool = True,
               with_journal_dates: bool = False) -> list[Node]:
    """Every node of the plan in tree order, with ``owner_list``, ``department_list`` and
    ``mandataire_list`` (shared Person / Department objects with their names), annotated with
    ``current_health`` (the latest health given in the journal) and ``last_update`` (the latest
    journal date); with ``with_journal_dates``, also ``first_update`` and ``done_on`` (the
    first entry that set the status to done).  What the plan hides from the user who fetched
    it (``plan.visibility``, set by ``plans.access.plan_for``) is blanked.

    The nodes are read as ``values()`` rows and made ``Node`` objects without ``Model.__init__``
    (``node_rows``): the pages read their fields, properties and ``get_…_display``, and a
    model instance built per row cost more than the query.

    Queries: 1 for the nodes (the annotations are correlated subqueries served by the
    ``update_latest`` index) + 1 per relation (owners, departments, mandataires) = 4, whatever
    the plan's size.  The relations are read from their link tables rather than with
    ``prefetch_related``, which builds one queryset per node and relation (a third of the
    page's time on a 2,000-node plan).
    """
    qs = plan.nodes.order_by("depth", "position", "id").defer(*UNSHOWN)
    if journal or with_journal_dates:
        updates = ProgressUpdate.objects.filter(node=OuterRef("pk"))
        newest = ("-date", "-created", "-id")
        qs = qs.annotate(
            current_health=Subquery(updates.exclude(health="").order_by(*newest)
                                    .values("health")[:1]),
            last_update=Subquery(updates.order_by(*newest).values("date")[:1]),
        )
    if with_journal_dates:
        oldest = ("date", "created", "id")
        qs = qs.annotate(
            first_update=Subquery(updates.order_by(*oldest).values("date")[:1]),
            done_on=Subquery(updates.filter(status=Node.Status.DONE).order_by(*oldest)
                             .values("date")[:1]),
        )
    nodes = node_rows(qs)
    attach_people_and_departments(plan, nodes)
    return visibility_of(plan).redact_nodes(nodes)  # what the plan hides from this user


def node_rows(qs) -> list[Node]:
    """The nodes of ``qs`` (its deferred fields left out, its annotations kept) as ``Node``
    objects made from ``values()`` rows: each row becomes the instance's ``__dict__``, as
    ``Model.from_db`` would leave it (a deferred field still loads when read), without running
    ``Model.__init__`` field by field.  For pages that read the nodes, never to save them."""
    listed, defer = qs.query.deferred_loading  # defer(): the fields left out; only(): kept
    names = [f.attname for f in Node._meta.concrete_fields
             if (f.name not in listed if defer else f.name in listed or f.primary_key)]
    db = qs.db
    out = []
    new, state = Node.__new__, ModelState
    for row in qs.values(*names, *qs.query.annotations):
        n = new(Node)
        n.__dict__.update(row)
        n._state = st = state()
        st.adding, st.db = False, db
        out.append(n)
    return out


def attach_people_and_departments(plan: Plan, nodes: list[Node]) -> None:
    """Set ``owner_list``, ``department_list``, ``mandataire_list`` on each node (3 queries)."""
    by_id = {n.id: n for n in nodes}
    for n in nodes:
        n.owner_list, n.department_list, n.mandataire_list = [], [], []
    relations = (("owner_list", Node.owners.through, "person", Person),
                 ("mandataire_list", Node.mandataires.through, "person", Person),
                 ("department_list", Node.departments.through, "department", Department))
    for attr, through, target, model in relations:
        shared: dict[int, object] = {}
        rows = (through.objects.filter(node__plan=plan)
                .order_by(f"{target}__name", f"{target}_id")
                .values_list("node_id", f"{target}_id", f"{target}__name"))
        for node_id, target_id, name in rows:
            obj = shared.get(target_id)
            if obj is None:
                obj = shared[target_id] = model(pk=target_id, name=name)
            if node_id in by_id:
                getattr(by_id[node_id], attr).append(obj)


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
    direct = {n.id for n in nodes if any(d.pk == department_id for d in n.department_list)}
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


def tree_rows(roots: list[Node]) -> tuple[list[Node], range]:
    """The tree in pre-order for a flat template loop (a recursive ``{% include %}`` per node
    costs seconds on a 2,000-node plan).  Each node gets ``opens`` (start a nested list before
    it) and ``closes`` (lists to close before it); the range is what to close at the end."""
    rows: list[Node] = []
    depth = -1
    stack = [(n, 0) for n in reversed(roots)]
    while stack:
        n, d = stack.pop()
        n.opens = d > depth
        n.closes = range(max(depth - d, 0))
        depth = d
        rows.append(n)
        stack.extend((c, d + 1) for c in reversed(getattr(n, "tree_children", [])))
    return rows, range(max(depth, 0))


def tree_html(rows: list[Node], tail: range) -> SafeString:
    """The items of ``_tree.html``'s list, written once in plain Python (``tree_display``
    prepares each row's texts): the nested ``<ul>``/``<li>`` of the pre-order rows, each
    escaped as the template did.  A template loop cost a third of a cold tree."""
    out = []
    for i, n in enumerate(rows):
        if i:
            out.append("<ul>" if n.opens else "</li>")
        out.append("</ul></li>" * len(n.closes))
        out.append(f'\n  <li><a href="{escape(n.url)}"><span class="code">{escape(str(n.code))}</span> '
                   f'{escape(n.short_title)}</a>\n    <span class="meta">{escape(n.meta)}'
                   f'</span>\n')
    if rows:
        out.append("</li>")
    out.append("</ul></li>" * len(tail))
    return mark_safe("".join(out))


def tree_display(rows: list[Node]) -> None:
    """Prepare once, in plain Python, what each row of ``_tree.html`` prints: ``url``,
    ``short_title`` and ``meta`` (level · status · progress · owners · departments) — the same
    text the template filters gave (``truncatechars``, ``floatformat``, ``get_status_display``),
    without a filter call and a URL reversal per cell on plans of thousands of items."""
    from django.template.defaultfilters import floatformat
    from django.urls import reverse
    from django.utils.text import Truncator

    url = reverse("node_detail", args=[0])[:-2]  # «/nodes/»
    labels = {k: str(v) for k, v in Node.Status.choices}
    for n in rows:
        n.url = f"{url}{n.pk}/"
        n.short_title = Truncator(n.title).chars(140) if len(n.title) > 140 else n.title
        parts = [n.level] if n.level else []
        state = getattr(n, "state", None)  # the status and progress shown (tracking.state)
        status = state.status if state else n.status
        progress = state.progress if state else n.progress
        parts.append(labels.get(status, status))
        if progress is not None:
            parts.append(f"{floatformat(progress, '0')} %")
        if n.owner_list:
            parts.append(", ".join(p.name for p in n.owner_list))
        if n.department_list:
            parts.append(", ".join(d.name for d in n.department_list))
        n.meta = " · ".join(parts)
