"""Fetch objects *for this user*: 404 when hidden from them, 403 when visible but not theirs.

Every route goes through these helpers, which go through the scoped querysets
(``Plan.objects.for_user`` / ``Node.objects.for_user``) and ask the rules (``plans.rules``)
about writes.  Same contract as ``jalon.web.access``; these ones also prefetch what the API
schemas print, so a detail costs a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from jalon.accounts.models import Membership
from jalon.plans.models import Node, Organization, Person, Plan
from jalon.plans.rules import is_member, is_site_admin


def organizations_for(user) -> QuerySet[Organization]:
    """The user's organizations (any role); a site admin sees them all."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    if not user.is_authenticated:
        return Organization.objects.none()
    mine = Membership.objects.filter(user=user).values("organization_id")
    return Organization.objects.filter(pk__in=mine)


def organization_for(user, pk: int) -> Organization:
    org = organizations_for(user).filter(pk=pk).first()
    if org is None:
        raise HttpError(404, _("Organisation introuvable."))
    return org


def plan_for(user, pk: int, action: str = "view") -> Plan:
    """A plan the user may see; ``action`` "change"/"delete" also asks the rules (403)."""
    plan = Plan.objects.for_user(user, "view").select_related("organization").filter(pk=pk).first()
    if plan is None:
        raise HttpError(404, _("Plan introuvable."))
    if action != "view" and not user.has_perm(f"plans.{action}_plan", plan):
        raise HttpError(403, _("Vous ne pouvez pas modifier ce plan."))
    return plan


def node_queryset(user) -> QuerySet[Node]:
    return Node.objects.for_user(user, "view").select_related("plan__organization").with_tree_data()


def node_for(user, pk: int, action: str = "view") -> Node:
    """A node the user may see (with what its schema and the rules read, prefetched)."""
    node = node_queryset(user).filter(pk=pk).first()
    if node is None:
        raise HttpError(404, _("Élément introuvable."))
    if action != "view" and not user.has_perm(f"plans.{action}_node", node):
        raise HttpError(403, _("Vous ne pouvez pas modifier cet élément."))
    return node


def require(user, perm: str, obj, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise HttpError(403, message)


def org_objects(model: type[Model], organization_id: int, ids: list[int]) -> list[Model]:
    """People or departments by id, all of them from ``organization_id`` (else 400)."""
    wanted = set(ids)
    found = list(model.objects.filter(organization_id=organization_id, pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(wanted - {o.pk for o in found})
        label = _("personne") if model is Person else _("département")
        raise HttpError(400, _("%(label)s inconnu(e) dans cette organisation : %(ids)s")
                        % {"label": label, "ids": ", ".join(map(str, missing))})
    return found


def sees_as_public(user, plan: Plan) -> bool:
    """True when the user sees this plan only because it is published (not a member)."""
    return not (is_site_admin | is_member).test(user, plan)


def hidden_fields_for(user, plan: Plan) -> frozenset[str]:
    """The plan's fields hidden from this user (``plan.hidden_fields`` apply to the public)."""
    if not plan.hidden_fields or not sees_as_public(user, plan):
        return frozenset()
    return frozenset(plan.hidden_fields)



def hide_from_public(request, plan: Plan) -> None:
    """Tell the node schemas which fields to blank for this caller (see schemas.NodeOut)."""
    request.jalon_hidden_fields = hidden_fields_for(request.auth, plan)
