"""Object permissions (django-rules): the single source of who may do what.

Roles (accounts.Role) are per organization.  ``user.has_perm("plans.change_node", node)`` and
friends are what views and API routes ask; querysets use ``Plan.objects.for_user``.
"""

from __future__ import annotations

import rules
from django.db.models import prefetch_related_objects

from jalon.accounts.models import MEMBERSHIPS, Membership, Role

from .models import Organization


def _memberships(user) -> list[Membership]:
    """A user's memberships, cached on the user object for the request (one query, none when
    the session's user was read with them: ``accounts.backends``; a second one for the
    departments, only when the user is a department editor somewhere)."""
    if not user.is_authenticated:
        return []
    cache = getattr(user, MEMBERSHIPS, None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user))
        setattr(user, MEMBERSHIPS, cache)
    if not getattr(user, "_jalon_departments_read", False):
        prefetch_related_objects([m for m in cache if m.role == Role.DEPT_EDITOR], "departments")
        user._jalon_departments_read = True
    return cache


def roles_in(user, org_id: int) -> set[str]:
    return {m.role for m in _memberships(user) if m.organization_id == org_id}


def _org_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj.pk
    for attr in ("organization_id",):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    if hasattr(obj, "plan"):
        return obj.plan.organization_id
    return None


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_org_admin(user, obj) -> bool:
    return Role.ORG_ADMIN in roles_in(user, _org_id(obj))


@rules.predicate
def is_member(user, obj) -> bool:
    return bool(roles_in(user, _org_id(obj)))


@rules.predicate
def is_plan_writer(user, obj) -> bool:
    return bool(roles_in(user, _org_id(obj)) & set(Role.PLAN_WRITERS))


@rules.predicate
def is_published(user, obj) -> bool:
    plan = getattr(obj, "plan", obj)
    return bool(getattr(plan, "published", False))


@rules.predicate
def is_department_editor(user, node) -> bool:
    if node is None or not hasattr(node, "departments"):
        return False
    org = _org_id(node)
    mine = {d.pk for m in _memberships(user) if m.organization_id == org
            and m.role == Role.DEPT_EDITOR for d in m.departments.all()}
    return bool(mine) and any(d.pk in mine for d in node.departments.all())


@rules.predicate
def is_node_owner(user, node) -> bool:
    if node is None or not user.is_authenticated or not hasattr(node, "owners"):
        return False
    if not is_member(user, node):
        return False
    return any(p.user_id == user.pk for p in node.owners.all())


can_view_plan = is_site_admin | is_member | is_published
can_change_plan = is_site_admin | is_plan_writer
can_change_node = is_site_admin | is_plan_writer | is_department_editor | is_node_owner

rules.add_perm("plans.view_organization", is_site_admin | is_member)
rules.add_perm("plans.change_organization", is_site_admin | is_org_admin)
rules.add_perm("plans.view_plan", can_view_plan)
rules.add_perm("plans.change_plan", can_change_plan)
rules.add_perm("plans.delete_plan", can_change_plan)
rules.add_perm("plans.add_plan", is_site_admin | is_plan_writer)
rules.add_perm("plans.view_node", can_view_plan)
rules.add_perm("plans.change_node", can_change_node)
rules.add_perm("plans.add_node", can_change_node)
rules.add_perm("plans.delete_node", can_change_plan)
rules.add_perm("plans.view_history", is_site_admin | is_member)
