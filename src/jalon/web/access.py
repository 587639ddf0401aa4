"""Fetch objects *for this user* (404 when hidden, 403 when visible but not writable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jalon.plans.models import Node, Organization, Plan


def plan_for(user, pk: int, action: str = "view") -> Plan:
    plan = Plan.objects.for_user(user, "view").select_related("organization").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if action != "view" and not user.has_perm(f"plans.{action}_plan", plan):
        raise PermissionDenied
    return plan


def node_for(user, pk: int, action: str = "view") -> Node:
    node = (Node.objects.for_user(user, "view").select_related("plan__organization", "parent")
            .filter(pk=pk).first())
    if node is None:
        raise Http404
    if action != "view" and not user.has_perm(f"plans.{action}_node", node):
        raise PermissionDenied
    return node


def organizations_for(user):
    qs = Organization.objects.all()
    if user.is_authenticated and user.is_superuser:
        return qs
    visible = Plan.objects.for_user(user, "view").values("organization_id")
    if user.is_authenticated:
        return qs.filter(pk__in=visible) | qs.filter(memberships__user=user)
    return qs.filter(pk__in=visible)
