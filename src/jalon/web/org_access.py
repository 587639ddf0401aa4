"""Fetch an organization *for this user* (404 when hidden, 403 when visible but not allowed)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jalon.plans.access import organizations_seen_by as organizations_for
from jalon.plans.models import Organization


def organization_for(user, slug: str, perm: str = "view_organization") -> Organization:
    """``perm`` is a ``plans.*`` permission asked about the organization: ``add_plan`` (import
    a plan), ``change_organization`` (administration)."""
    org = organizations_for(user).filter(slug=slug).distinct().first()
    if org is None:
        raise Http404
    if not user.has_perm(f"plans.{perm}", org):
        raise PermissionDenied
    return org
