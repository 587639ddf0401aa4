"""Writes the API needs that ``plans.services`` does not offer yet (create/update/delete a plan,
create a node).  Same conventions as the services: one transaction, changed fields only, saves
(not ``update()``) so every change leaves an audit record.  They belong in ``plans.services``;
move them there when the web pages need them too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jalon.plans.models import Node, Organization, Plan
from jalon.plans.services import apply_dates


class CodeTaken(ValueError):
    """Another node of the plan already has this code."""

    def __init__(self, code: str):
        super().__init__(_("Le code « %(code)s » existe déjà dans ce plan.") % {"code": code})


def ensure_code_free(plan: Plan, code: str, *, node: Node | None = None) -> None:
    others = Node.objects.filter(plan=plan, code=code)
    if node is not None:
        others = others.exclude(pk=node.pk)
    if others.exists():
        raise CodeTaken(code)


@transaction.atomic
def create_plan(organization: Organization, fields: dict[str, Any]) -> Plan:
    return Plan.objects.create(organization=organization, **fields)


@transaction.atomic
def update_plan(plan: Plan, changes: dict[str, Any]) -> Plan:
    """Save the changed fields only; the period must stay in order."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    changed = [k for k, v in changes.items() if getattr(plan, k) != v]
    for k in changed:
        setattr(plan, k, changes[k])
    if plan.period_start and plan.period_end and plan.period_start > plan.period_end:
        raise ValueError(_("Le début de la période doit précéder sa fin."))
    if changed:
        plan.save(update_fields=changed)
    return plan


@transaction.atomic
def delete_plan(plan: Plan) -> None:
    plan.delete()


@transaction.atomic
def create_node(plan: Plan, parent: Node | None, position: int | None,
                fields: dict[str, Any], relations: dict[str, list]) -> Node:
    """Insert a node under ``parent`` at ``position`` (end if None), shifting its siblings."""
    ensure_code_free(plan, fields["code"])
    siblings = list(Node.objects.select_for_update().filter(plan=plan, parent=parent)
                    .order_by("position", "id"))
    position = len(siblings) if position is None else min(position, len(siblings))
    for i, s in enumerate(siblings):
        wanted = i if i < position else i + 1
        if s.position != wanted:
            s.position = wanted
            s.save(update_fields=["position"])  # a save: it leaves an audit record
    node = Node(plan=plan, parent=parent, depth=parent.depth + 1 if parent else 0,
                position=position, **fields)
    apply_dates(node, plan.period_start)
    node.save()
    for name, values in relations.items():
        getattr(node, name).set(values)
    return node
