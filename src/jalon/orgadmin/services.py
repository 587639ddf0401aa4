"""Writes of the organization administration: roles, departments, level names, vocabularies.

Each function runs in one transaction and attributes its audit records to ``by``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from jalon.accounts.models import Membership, Role
from jalon.plans.audit import attributed
from jalon.plans.models import Department, Node, Organization, Plan

from .models import VOCABULARIES, OrgSettings

MAX_TERM = 100  # characters of one vocabulary term
MAX_TERMS = 500  # terms per vocabulary


class AdminError(ValueError):
    """A refused administration change; ``str()`` is one line for the user."""


def settings_for(org: Organization) -> OrgSettings:
    return OrgSettings.objects.get_or_create(organization=org)[0]


def vocabularies_of(org: Organization) -> dict[str, list[str]]:
    """The organization's vocabularies (read only: nothing is created)."""
    s = OrgSettings.objects.filter(organization=org).first()
    return dict(s.vocabularies) if s else {}


def clean_terms(terms: Iterable[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively), in the order given."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in terms:
        term = " ".join(str(raw).split())[:MAX_TERM]
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return out[:MAX_TERMS]


@transaction.atomic
def set_vocabularies(org: Organization, vocabularies: dict[str, Iterable[str]], *,
                     by=None) -> OrgSettings:
    s = OrgSettings.objects.select_for_update().get_or_create(organization=org)[0]
    new = dict(s.vocabularies)
    for key, terms in vocabularies.items():
        if key not in VOCABULARIES:
            raise AdminError(_("vocabulaire inconnu : %s") % key)
        new[key] = clean_terms(terms)
    if new != s.vocabularies:
        s.vocabularies = new
        attributed(s, by).save()
    return s


@transaction.atomic
def set_evaluation_roles(org: Organization, *, validators: Iterable[str],
                         publishers: Iterable[str], by=None) -> OrgSettings:
    """Which roles validate and which publish the organization's evaluations (at least one
    each; the submitter never validates their own, whatever the role)."""
    validators, publishers = sorted(set(validators)), sorted(set(publishers))
    for roles in (validators, publishers):
        if not roles:
            raise AdminError(_("Choisissez au moins un rôle."))
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            raise AdminError(_("rôle inconnu : %s") % ", ".join(unknown))
    s = OrgSettings.objects.select_for_update().get_or_create(organization=org)[0]
    if (sorted(s.validator_roles or []), sorted(s.publisher_roles or [])) != (validators,
                                                                            publishers):
        s.validator_roles, s.publisher_roles = validators, publishers
        attributed(s, by).save()
    return s


def department_descendants(dept: Department) -> set[int]:
    """Ids of a department and everything under it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.filter(
            organization_id=dept.organization_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out, todo = set(), [dept.pk]
    while todo:
        pk = todo.pop()
        if pk not in out:
            out.add(pk)
            todo.extend(children.get(pk, []))
    return out


def department_tree(org: Organization) -> list[Department]:
    """The organization's departments as a forest: each carries ``tree_children`` (one query)."""
    depts = list(Department.objects.filter(organization=org).order_by("name"))
    by_parent: dict[int | None, list[Department]] = {}
    for d in depts:
        by_parent.setdefault(d.parent_id, []).append(d)
    ids = {d.pk for d in depts}
    for d in depts:
        d.tree_children = by_parent.get(d.pk, [])
    return [d for d in depts if d.parent_id is None or d.parent_id not in ids]


@transaction.atomic
def add_membership(org: Organization, user, role: str, departments=(), *, by=None) -> Membership:
    if role not in Role.values:
        raise AdminError(_("rôle inconnu : %s") % role)
    if Membership.objects.filter(organization=org, user=user, role=role).exists():
        raise AdminError(_("%(user)s a déjà le rôle « %(role)s » dans cette organisation.")
                         % {"user": user.get_username(), "role": Role(role).label})
    m = attributed(Membership(organization=org, user=user, role=role), by)
    m.save()
    if role == Role.DEPT_EDITOR:
        m.departments.set(departments)
    return m


@transaction.atomic
def set_membership_departments(membership: Membership, departments, *, by=None) -> Membership:
    attributed(membership, by)
    membership.departments.set(departments if membership.role == Role.DEPT_EDITOR else [])
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, by=None) -> None:
    """Remove a role; the organization's last administrator cannot be removed."""
    if membership.role == Role.ORG_ADMIN:
        admins = (Membership.objects.select_for_update()
                  .filter(organization_id=membership.organization_id, role=Role.ORG_ADMIN))
        if admins.count() <= 1:
            raise AdminError(_("Impossible de retirer le dernier administrateur de "
                               "l'organisation."))
    attributed(membership, by).delete()


@transaction.atomic
def rename_levels(plan: Plan, names: list[str], *, by=None) -> int:
    """Set a plan's level names (by depth); nodes at a renamed depth that carried the old name
    take the new one.  Returns the number of nodes renamed."""
    names = [" ".join(n.split())[:80] for n in names]
    while names and not names[-1]:
        names.pop()
    if any(not n for n in names):
        raise AdminError(_("Un niveau intermédiaire ne peut pas être vide."))
    old = list(plan.levels)
    renames = {d: (old[d], names[d]) for d in range(min(len(old), len(names)))
               if old[d] != names[d]}
    changed: list[Node] = []
    if renames:
        # whole rows: the history records copy every field
        for node in Node.objects.filter(plan=plan, depth__in=list(renames)):
            before, after = renames[node.depth]
            if node.level == before:
                node.level = after
                changed.append(node)
        if changed:
            bulk_update_with_history(changed, Node, ["level"], batch_size=500,
                                     default_user=by if getattr(by, "is_authenticated", False)
                                     else None)
    if plan.levels != names:
        plan.levels = names
        attributed(plan, by).save(update_fields=["levels"])
    return len(changed)
