"""Who may reach what, and what of a plan they may see: the one access module of web and API.

Fetching (404 when hidden from the user, 403 when visible but not theirs to change):
``plan_for``, ``node_for``, ``organization_for``.  They raise Django's ``Http404`` and
``PermissionDenied`` with a message; the web shows its error pages, the API turns them into
``{"detail": message}`` (``api.api``).

Seeing (``Visibility``): a plan may hide fields from the public (``Plan.hidden_fields``: budget,
indicators, progress, people, dates …).  Members of the plan's organization (every role,
readers included) and site admins see everything; everybody else (anonymous visitors, users of
other organizations) sees a published plan *as the public*: without those fields and without
the journal's authors.  ``visibility(user, plan)`` decides; ``plan_for`` / ``node_for`` attach
the answer to the plan they return (``plan.visibility``), and the loaders of the pages, the
API schemas, the public pages and the open data read it from there.  See docs/roles.md.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jalon.accounts.models import Membership

from .models import Node, Organization, Person, Plan
from .rules import is_member, is_site_admin

# -- what a hidden name hides ------------------------------------------------------------------

# a name in ``Plan.hidden_fields`` → the keys it hides (node fields, snapshot fields, relations)
GROUPS: dict[str, tuple[str, ...]] = {
    "progress": ("progress", "rolled_up"),
    "start_text": ("start_text", "start_date"), "start": ("start_text", "start_date"),
    "start_date": ("start_text", "start_date"),
    "end_text": ("end_text", "end_date", "deadline_text"),
    "end": ("end_text", "end_date", "deadline_text"),
    "end_date": ("end_text", "end_date", "deadline_text"),
    "deadline_text": ("deadline_text", "end_date"), "deadline": ("deadline_text", "end_date"),
    "dates": ("start_text", "start_date", "end_text", "end_date", "deadline_text",
              "open_ended"),
    "mandataire": ("mandataires",),
    "people": ("owners", "team", "mandataires"),
    "budget": ("budget", "money", "funding"),
    "resources": ("budget", "money", "funding", "fte"),
}

# node fields a plan may hide, with the value the public gets instead
NODE_BLANKS: dict[str, Any] = {
    "description": "", "progress": None, "start_text": "", "end_text": "", "deadline_text": "",
    "start_date": None, "end_date": None, "owners": [], "team": [], "departments": [],
    "mandataires": [], "partners": [], "steering": [], "risks": [], "deliverables": [],
    "tags": [], "sdgs": [], "fte": None, "funding": "", "comment": "", "open_ended": False,
}
# many-to-many fields: emptied through their prefetch cache and the pages' ``*_list``
_M2M = {"owners": "owner_list", "team": None, "mandataires": "mandataire_list",
        "departments": "department_list"}
# relations a hidden key empties
_RELATIONS = {"money": "money_lines", "budget": "budget_lines", "indicators": "indicators"}


def hidden_keys(hidden) -> frozenset[str]:
    """The keys a list of hidden names removes (groups expanded; other names hide
    themselves)."""
    out: set[str] = set()
    for name in hidden or ():
        out.update(GROUPS.get(name, (name,)))
    return frozenset(out)


class Visibility:
    """What one user may see of one plan.  ``public``: the user sees the plan only because it
    is published (asked of the rules on first use: a plan that hides nothing costs no query
    until someone asks about the journal's authors)."""

    def __init__(self, user=None, plan: Plan | None = None, *, public: bool | None = None):
        self._user, self._plan = user, plan
        if public is not None:
            self.__dict__["public"] = public
        hidden = frozenset((plan.hidden_fields or ()) if plan is not None else ())
        if hidden and self.public:
            self.hidden, self.keys = hidden, hidden_keys(hidden)
        else:
            self.hidden = self.keys = frozenset()

    @cached_property
    def public(self) -> bool:
        return sees_as_public(self._user, self._plan)

    def shows(self, key: str) -> bool:
        return key not in self.keys

    # for templates: ``{% if plan.visibility.budget %}``
    @property
    def progress(self) -> bool:
        return self.shows("progress")

    @property
    def budget(self) -> bool:
        return self.shows("budget")

    @property
    def indicators(self) -> bool:
        return self.shows("indicators")

    @property
    def authors(self) -> bool:
        """Who wrote a journal entry or entered a measurement: members only."""
        return not self.public

    def redact_node(self, node: Node) -> Node:
        """Blank, in memory, what ``node`` hides from this user (never saved: the public
        cannot write).  Works on model instances and on plain namespaces."""
        if not self.keys:
            return node
        for key in self.keys:
            if key in _M2M:
                attr = _M2M[key]
                if attr and hasattr(node, attr):
                    setattr(node, attr, [])
                if isinstance(node, Model):
                    _empty_relation(node, key)
            elif key in NODE_BLANKS and (_is_field(node, key) or hasattr(node, key)):
                setattr(node, key, NODE_BLANKS[key])
            elif key in _RELATIONS and isinstance(node, Model):
                _empty_relation(node, _RELATIONS[key])
        if "progress" in self.keys and hasattr(node, "rolled_up"):
            node.rolled_up = None
        return node

    def redact_nodes(self, nodes):
        for n in nodes:
            self.redact_node(n)
        return nodes

    def redact_updates(self, updates):
        """Journal entries as this user may see them (authors, hidden progress)."""
        for u in updates:
            if self.public:
                u.author = None
            if "progress" in self.keys:
                u.progress = None
        return updates


def _is_field(obj, key: str) -> bool:
    """``key`` is a column of the model instance ``obj`` (blanked without loading it when the
    query deferred it: ``hasattr`` would read it from the database, one query per node)."""
    return isinstance(obj, Model) and key in _columns(type(obj))


@cache
def _columns(model) -> frozenset[str]:
    return frozenset(f.attname for f in model._meta.concrete_fields)


def _empty_relation(obj: Model, name: str) -> None:
    """Make ``obj.<name>.all()`` empty without a query (through the prefetch cache)."""
    manager = getattr(obj, name, None)
    if manager is None or not hasattr(manager, "model"):
        return
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = manager.model.objects.none()


def sees_as_public(user, plan: Plan) -> bool:
    """True when the user sees this plan only because it is published (not a member)."""
    return not (is_site_admin | is_member).test(user, plan)


def visibility(user, plan: Plan) -> Visibility:
    """THE rule: what ``user`` may see of ``plan``."""
    return Visibility(user, plan)


def visibility_of(plan: Plan, user=None) -> Visibility:
    """The visibility attached by ``plan_for`` / ``node_for`` (or computed for ``user``)."""
    vis = getattr(plan, "visibility", None)
    if vis is None:
        if user is None:
            from django.contrib.auth.models import AnonymousUser
            user = AnonymousUser()
        vis = plan.visibility = visibility(user, plan)
    return vis


def _attach(plan: Plan, user) -> None:
    """``plan.visibility``, decided on first use (a page that never asks costs no query)."""
    plan.visibility = visibility(user, plan)


def hidden_fields_for(user, plan: Plan) -> frozenset[str]:
    """The plan's field names hidden from this user (as the plan stores them)."""
    return visibility(user, plan).hidden


# -- fetching for this user ----------------------------------------------------------------

def organizations_for(user) -> QuerySet[Organization]:
    """The user's organizations (any role); a site admin sees them all."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    if not user.is_authenticated:
        return Organization.objects.none()
    mine = Membership.objects.filter(user=user).values("organization_id")
    return Organization.objects.filter(pk__in=mine)


def organizations_seen_by(user) -> QuerySet[Organization]:
    """Organizations the user belongs to or whose published plans they see (the home page)."""
    qs = Organization.objects.all()
    if user.is_authenticated and user.is_superuser:
        return qs
    visible = Plan.objects.for_user(user, "view").values("organization_id")
    if user.is_authenticated:
        return qs.filter(pk__in=visible) | qs.filter(memberships__user=user)
    return qs.filter(pk__in=visible)


def organization_for(user, pk: int) -> Organization:
    org = organizations_for(user).filter(pk=pk).first()
    if org is None:
        raise Http404(_("Organisation introuvable."))
    return org


def plan_for(user, pk: int, action: str = "view") -> Plan:
    """A plan the user may see (with its ``visibility``); ``action`` "change"/"delete" also
    asks the rules (403)."""
    plan = Plan.objects.for_user(user, "view").select_related("organization").filter(pk=pk).first()
    if plan is None:
        raise Http404(_("Plan introuvable."))
    if action != "view" and not user.has_perm(f"plans.{action}_plan", plan):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce plan."))
    _attach(plan, user)
    return plan


def node_queryset(user, *, tree_data: bool = False) -> QuerySet[Node]:
    qs = Node.objects.for_user(user, "view").select_related("plan__organization", "parent")
    return qs.with_tree_data() if tree_data else qs


def node_for(user, pk: int, action: str = "view", *, tree_data: bool = False) -> Node:
    """A node the user may see (its plan carries the ``visibility``); with ``tree_data``, what
    the API schemas read, prefetched."""
    node = node_queryset(user, tree_data=tree_data).filter(pk=pk).first()
    if node is None:
        raise Http404(_("Élément introuvable."))
    if action != "view" and not user.has_perm(f"plans.{action}_node", node):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cet élément."))
    _attach(node.plan, user)
    return node


def require(user, perm: str, obj, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


class UnknownObjects(ValueError):
    """Ids that are not of the organization (the API answers 400)."""


def org_objects(model: type[Model], organization_id: int, ids: list[int]) -> list[Model]:
    """People or departments by id, all of them from ``organization_id`` (else
    ``UnknownObjects``)."""
    wanted = set(ids)
    found = list(model.objects.filter(organization_id=organization_id, pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(wanted - {o.pk for o in found})
        label = _("personne") if model is Person else _("département")
        raise UnknownObjects(_("%(label)s inconnu(e) dans cette organisation : %(ids)s")
                             % {"label": label, "ids": ", ".join(map(str, missing))})
    return found


def hide_from_public(request, plan: Plan) -> Visibility:
    """Tell the API schemas what ``plan`` hides from this caller (``request.jalon_visibility``,
    ``request.jalon_hidden_fields``: the expanded keys) and return the visibility."""
    vis = visibility_of(plan, request.auth)
    request.jalon_visibility = vis
    request.jalon_hidden_fields = vis.keys
    return vis
