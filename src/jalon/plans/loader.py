"""PlanDraft ⇄ database: the one loader (all or nothing) and the exporter.

``load_draft`` writes a whole plan in a single transaction; ``plan_to_draft`` reads it back into
the same interchange form, so export → import → export is identical apart from database ids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jalon.core.values import format_number
from jalon.ingest.draft import NodeDraft, PlanDraft
from jalon.tracking.models import Indicator
from jalon.tracking.services import budget_from_plan
from jalon.tracking.state import status_from_progress

from .models import (
    ITEM_MAX,
    ITEMS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Amendment,
    Department,
    MoneyLine,
    Node,
    NodeLink,
    Organization,
    Person,
    Plan,
)
from .services import apply_dates

# draft field → Node attribute for plain values
_TEXT = {"description": "description", "comment": "comment", "funding": "funding",
         "start": "start_text", "end": "end_text", "deadline": "deadline_text",
         "code_as_printed": "code_as_printed", "volet": "volet"}
_JSON_LISTS = {"partners": "partners", "steering": "steering", "risks": "risks",
               "deliverables": "deliverables", "tags": "tags", "sdgs": "sdgs"}
_PEOPLE = {"owners": "owners", "team": "team", "mandataire": "mandataires"}
_KNOWN = (set(_TEXT) | set(_JSON_LISTS) | set(_PEOPLE)
          | {"departments", "budget_eur", "fte", "progress", "status", "indicators", "priority",
             "weight", "links"})
_STATUS_WORDS = {s.value for s in Node.Status}


def _num(x: Any) -> Any:
    """Decimal → int when whole, else float (stable JSON)."""
    if x is None:
        return None
    d = Decimal(x)
    return int(d) if d == d.to_integral_value() else float(d)


def organization_for(name: str, slug: str | None = None) -> Organization:
    name = name.strip() or "Organisation"
    slug = slug or slugify(name)[:80] or "organisation"
    org, _created = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    return org


class _Directory:
    """Find-or-create people and departments by name, one query each to warm up."""

    def __init__(self, org: Organization):
        self.org = org
        self.people = {p.name: p for p in Person.objects.filter(organization=org)}
        self.departments = {d.name: d for d in Department.objects.filter(organization=org)}

    def person(self, name: str) -> Person:
        name = name.strip()[:200]
        if name not in self.people:
            self.people[name] = Person.objects.create(organization=self.org, name=name)
        return self.people[name]

    def department(self, name: str) -> Department:
        name = name.strip()[:200]
        if name not in self.departments:
            self.departments[name] = Department.objects.create(organization=self.org, name=name)
        return self.departments[name]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


class DraftTooLarge(ValueError):
    """A draft value the database cannot hold or a person could not have meant (one line: the
    source line, the item and the field)."""


# the largest numbers the columns hold (max_digits − decimal_places digits before the point)
_NUMBER_MAX = {"budget_eur": Decimal("1e12"), "fte": Decimal("1e5"), "weight": Decimal("1e4"),
               "progress": Decimal("1000"), "priority": Decimal("32768")}
_TEXT_BOUNDS = {"description": TEXT_MAX, "comment": TEXT_MAX, "funding": 300}
def _label(key: str) -> str:
    return {"title": _("titre"), "budget_eur": _("budget"), "fte": _("ETP"),
            "weight": _("poids"), "progress": _("avancement"), "priority": _("priorité"),
            "description": _("description"), "comment": _("commentaire"),
            "funding": _("financement"), "owners": _("responsables"), "team": _("équipe"),
            "mandataire": _("mandataire"), "departments": _("départements"),
            "indicators": _("indicateurs"), "partners": _("partenaires"),
            "steering": _("pilotage"), "risks": _("risques"), "deliverables": _("livrables"),
            "tags": _("étiquettes"), "sdgs": _("ODD")}.get(key, key)


def _n(value: int) -> str:
    """A count as Belgians write it (1.234), as everywhere in the interface."""
    return format_number(value)


def check_bounds(draft: PlanDraft) -> None:
    """Refuse, before anything is written, what exceeds the bounds of the model: a title over
    ``TITLE_MAX`` characters, a text over ``TEXT_MAX``, a list of more than ``ITEMS_MAX``
    entries or an entry over ``ITEM_MAX``, a number the column cannot hold.  The message is in
    the active language."""

    def fail(nd: NodeDraft, key: str, what: str) -> None:
        where = {"item": nd.code[:40], "field": _label(key), "what": what}
        if nd.line:
            raise DraftTooLarge(_("ligne %(line)s, élément %(item)s : %(field)s %(what)s")
                                % {**where, "line": nd.line})
        raise DraftTooLarge(_("élément %(item)s : %(field)s %(what)s") % where)

    if len(draft.title) > TITLE_MAX:
        raise DraftTooLarge(_("titre du plan trop long (%(n)s caractères ; maximum %(max)s)")
                            % {"n": _n(len(draft.title)), "max": _n(TITLE_MAX)})
    for nd in draft.nodes:
        texts = {"title": (nd.title, TITLE_MAX)}
        texts.update({k: (nd.fields.get(k), limit) for k, limit in _TEXT_BOUNDS.items()})
        for key, (value, limit) in texts.items():
            if isinstance(value, str) and len(value) > limit:
                fail(nd, key, _("trop long (%(n)s caractères ; maximum %(max)s)")
                     % {"n": _n(len(value)), "max": _n(limit)})
        for key in (*_JSON_LISTS, *_PEOPLE, "departments", "indicators", "budget_eur"):
            items = _as_list(nd.fields.get(key))
            if len(items) > ITEMS_MAX:
                fail(nd, key, _(": trop d'entrées (%(n)s ; maximum %(max)s)")
                     % {"n": len(items), "max": ITEMS_MAX})
            for item in items:
                text = item.get("name", "") if isinstance(item, dict) else item
                if isinstance(text, str) and len(text) > ITEM_MAX:
                    fail(nd, key, _(": entrée trop longue (%(n)s caractères ; maximum %(max)s)")
                         % {"n": _n(len(text)), "max": _n(ITEM_MAX)})
        for key, limit in _NUMBER_MAX.items():
            for value in _as_list(nd.fields.get(key)):
                try:
                    number = Decimal(str(value))
                except ArithmeticError:
                    fail(nd, key, _("illisible : %(value)s") % {"value": str(value)[:40]})
                if not number.is_finite() or abs(number) >= limit:
                    fail(nd, key, _("hors limites : %(value)s (maximum %(max)s)")
                         % {"value": str(value)[:40], "max": _n(int(limit))})


@transaction.atomic
def load_draft(draft: PlanDraft, organization: Organization | None = None,
               *, plan: Plan | None = None) -> Plan:
    """Write a draft as a new plan (or into ``plan``, which must be empty). All or nothing;
    ``DraftTooLarge`` (one line) before anything is written when a value is out of bounds."""
    draft.finish()
    check_bounds(draft)
    org = organization or organization_for(draft.organization or draft.title)
    if plan is None:
        plan = Plan(organization=org)
    plan.title = (draft.title or draft.source or "Plan")[:300]
    if draft.kind in Plan.Kind.values:
        plan.kind = draft.kind
    plan.period_start, plan.period_end = draft.period_start, draft.period_end
    plan.levels = list(draft.levels)
    plan.language = draft.language or "fr"
    plan.source_document = draft.source[:300]
    plan.layout = draft.layout[:40]
    if draft.status in Plan.Status.values:
        plan.status = draft.status
    plan.adopted_by = draft.adopted_by
    plan.adopted_on = dt.date.fromisoformat(draft.adopted_on) if draft.adopted_on else None
    plan.published = draft.published
    if draft.rollup_rule in Plan.Rollup.values:
        plan.rollup_rule = draft.rollup_rule
    plan.extra = dict(draft.extra)
    plan.save()
    for a in draft.amendments:
        Amendment.objects.create(plan=plan, version=a.get("version", ""),
                                 date=dt.date.fromisoformat(a["date"]),
                                 decision=a.get("decision", ""), note=a.get("note", ""))
    directory = _Directory(plan.organization)
    by_code: dict[str, Node] = {}
    positions: dict[str | None, int] = {}
    pending_links: list[tuple[Node, dict]] = []
    for nd in draft.nodes:  # parents come before children (draft.finish())
        node = _node_from_draft(plan, nd, by_code, positions, directory)
        by_code[nd.code] = node
        for link in _as_list(nd.fields.get("links")):
            pending_links.append((node, link))
    for source, link in pending_links:
        target = by_code.get(link.get("target"))
        if target is not None:
            NodeLink.objects.create(source=source, target=target, kind=link.get("kind", "contributes"),
                                    weight=link.get("weight"))
    budget_from_plan(plan)  # the plan's amounts become planned budget lines
    return plan


def _node_from_draft(plan: Plan, nd: NodeDraft, by_code: dict[str, Node],
                     positions: dict[str | None, int], directory: _Directory) -> Node:
    parent = by_code.get(nd.parent) if nd.parent else None
    pos = positions.get(nd.parent, 0)
    positions[nd.parent] = pos + 1
    node = Node(plan=plan, parent=parent, position=pos, depth=parent.depth + 1 if parent else 0)
    fill_node(node, nd)
    node.save()
    set_relations(node, nd, directory, new=True)
    return node


def fill_node(node: Node, nd: NodeDraft) -> None:
    """Set a node's own columns from a draft node (no save); absent fields are cleared."""
    f = nd.fields
    node.code = nd.code[:80]
    node.derived_code = nd.derived_code
    node.title = nd.title
    node.level = nd.level[:80]
    node.source_line = nd.line
    for key, attr in _TEXT.items():
        value = f.get(key)
        value = "" if value is None else str(value)
        setattr(node, attr, value[:120] if attr.endswith("_text") and attr != "code_as_printed"
                else value)
    node.code_as_printed = node.code_as_printed[:80]
    node.volet = node.volet[:10]
    for key, attr in _JSON_LISTS.items():
        setattr(node, attr, _as_list(f.get(key)))
    node.fte = Decimal(str(f["fte"])) if f.get("fte") is not None else None
    node.progress = Decimal(str(f["progress"])) if f.get("progress") is not None else None
    node.priority = int(f["priority"]) if f.get("priority") is not None else None
    node.weight = Decimal(str(f["weight"])) if f.get("weight") is not None else None
    extra: dict[str, Any] = {}
    status = f.get("status")
    # the document's status when it is one of ours, else what its progress implies
    node.status = (status if status in _STATUS_WORDS
                   else status_from_progress(Node.Status.NOT_STARTED, node.progress))
    if status and status not in _STATUS_WORDS:
        extra["status"] = status  # printed status that is not one of ours
    others = {k: v for k, v in f.items() if k not in _KNOWN}
    if others:
        extra["fields"] = others
    if nd.field_lines:
        extra["field_lines"] = dict(nd.field_lines)
    node.extra = extra
    apply_dates(node, node.plan.period_start)


def set_relations(node: Node, nd: NodeDraft, directory: _Directory, *, new: bool = False) -> None:
    """People, departments, money lines and indicators of a saved node (replaced).

    ``new``: the node was just created, so there is nothing to replace (fewer queries).
    """
    f = nd.fields
    for key, attr in _PEOPLE.items():
        people = [directory.person(n) for n in _as_list(f.get(key))]
        if people or not new:
            getattr(node, attr).set(people)
    departments = [directory.department(n) for n in _as_list(f.get("departments"))]
    if departments or not new:
        node.departments.set(departments)
    if not new:
        node.money_lines.all().delete()
    for i, amount in enumerate(_as_list(f.get("budget_eur"))):
        MoneyLine.objects.create(node=node, amount=Decimal(str(amount)), position=i)
    indicators = _as_list(f.get("indicators"))
    existing = {ind.name: ind for ind in node.indicators.all()} if indicators and not new else {}
    for i, d in enumerate(indicators):
        name = d.get("name") or ""
        ind = existing.pop(name, None) or Indicator(node=node, name=name)
        ind.position = i
        ind.target_text = (d.get("target") or "")[:300]
        ind.norm_text = (d.get("norm") or "")[:300]
        ind.unit = (d.get("unit") or "")[:40]
        ind.source_line = d.get("line")
        ind.extra = {k: v for k, v in d.items() if k not in {"name", "target", "norm", "unit",
                                                             "line"}}
        ind.save()


def plan_to_draft(plan: Plan) -> PlanDraft:
    """Read a plan back into the interchange form (a fixed number of queries)."""
    draft = PlanDraft(
        title=plan.title, kind=plan.kind, organization=plan.organization.name,
        period_start=plan.period_start, period_end=plan.period_end, levels=list(plan.levels),
        language=plan.language, source=plan.source_document, layout=plan.layout,
        status=plan.status, adopted_by=plan.adopted_by,
        adopted_on=plan.adopted_on.isoformat() if plan.adopted_on else "",
        published=plan.published, rollup_rule=plan.rollup_rule, extra=dict(plan.extra),
        amendments=[{"version": a.version, "date": a.date.isoformat(), "decision": a.decision,
                     "note": a.note} for a in plan.amendments.all()],
    )
    nodes = (plan.nodes.select_related("parent")
             .prefetch_related("owners", "team", "mandataires", "departments", "money_lines",
                               "indicators", "links_out__target")
             .order_by("depth", "position", "id"))
    from .services import plan_tree, walk

    for node in walk(plan_tree(plan, nodes)):
        draft.nodes.append(node_to_draft(node))
    return draft.finish()


def node_to_draft(node: Node) -> NodeDraft:
    f: dict[str, Any] = {}
    for key, attr in _TEXT.items():
        value = getattr(node, attr)
        if value:
            f[key] = value
    for key, attr in _JSON_LISTS.items():
        if getattr(node, attr):
            f[key] = list(getattr(node, attr))
    for key, attr in _PEOPLE.items():
        names = sorted(p.name for p in getattr(node, attr).all())
        if names:
            f[key] = names
    depts = sorted(d.name for d in node.departments.all())
    if depts:
        f["departments"] = depts
    money = [_num(m.amount) for m in node.money_lines.all()]
    if money:
        f["budget_eur"] = money
    for key in ("fte", "progress", "priority", "weight"):
        if getattr(node, key) is not None:
            f[key] = _num(getattr(node, key))
    implied = status_from_progress(Node.Status.NOT_STARTED, node.progress)  # what import gives
    if node.extra.get("status") and node.status == implied:
        f["status"] = node.extra["status"]
    elif node.status != implied:
        f["status"] = node.status
    f.update(node.extra.get("fields", {}))
    inds = []
    for ind in node.indicators.all():
        d: dict[str, Any] = {"name": ind.name, "target": ind.target_text or None}
        if ind.norm_text:
            d["norm"] = ind.norm_text
        if ind.unit:
            d["unit"] = ind.unit
        d.update(ind.extra)
        if ind.source_line is not None:
            d["line"] = ind.source_line
        inds.append(d)
    if inds:
        f["indicators"] = inds
    links = [{"target": lk.target.code, "kind": lk.kind,
              **({"weight": _num(lk.weight)} if lk.weight is not None else {})}
             for lk in node.links_out.all() if lk.target.plan_id == node.plan_id]
    if links:
        f["links"] = links
    return NodeDraft(code=node.code, title=node.title,
                     parent=node.parent.code if node.parent_id else None,
                     line=node.source_line, level=node.level, derived_code=node.derived_code,
                     fields=f, field_lines=dict(node.extra.get("field_lines", {})))
