"""API test helpers: a JSON client per user, and plans of any size built in bulk."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

API = "/api/v1"


class Api:
    """A thin JSON wrapper over Django's test client, paths relative to /api/v1."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(API + path, params or {}, headers=headers)

    def post(self, path: str, body: dict | None = None, **headers):
        return self.client.post(API + path, body or {}, content_type="application/json",
                                headers=headers)

    def patch(self, path: str, body: dict | None = None, **headers):
        """PATCH ``body``; items under optimistic locking get the version stored now when
        the body names none (tests of the locking itself send theirs, or ``version=None``
        to leave it out)."""
        body = dict(body or {})
        if "version" not in body:
            body["version"] = current_version(path)
        if body["version"] is None:
            del body["version"]
        return self.client.patch(API + path, body, content_type="application/json",
                                 headers=headers)

    def put(self, path: str, body, **headers):
        """PUT (the targets of an indicator: with its current version, as above)."""
        if "version=" not in path and (version := current_version(path)) is not None:
            path += f"?version={version}"
        return self.client.put(API + path, body, content_type="application/json",
                               headers=headers)

    def delete(self, path: str, **headers):
        return self.client.delete(API + path, headers=headers)


def current_version(path: str) -> int | None:
    """The stored version of the node, indicator or budget line a path names, if any."""
    from jalon.plans.models import Node
    from jalon.tracking.models import BudgetLine, Indicator

    m = re.match(r"/(nodes|indicators|budget)/(\d+)(/targets)?$", path)
    if not m:
        return None
    model = {"nodes": Node, "indicators": Indicator, "budget": BudgetLine}[m[1]]
    return model.objects.filter(pk=m[2]).values_list("version", flat=True).first()


@pytest.fixture
def api_as(db):
    """``api_as(user)``: a client logged in through the session (``None``: anonymous)."""

    def make(user=None, **client_kwargs) -> Api:
        client = Client(**client_kwargs)
        if user is not None:
            client.force_login(user)
        return Api(client)

    return make


def build_plan(org, size: int, *, title: str = "Grand plan", published: bool = False):
    """A plan of ``size`` nodes (roots of up to 100 children) in bulk, every node with an
    owner, a department and a mandataire, so the prefetches have something to fetch."""
    from jalon.plans.models import Department, Node, Person, Plan

    plan = Plan.objects.create(organization=org, title=title, period_start=2020,
                               period_end=2025, levels=["Objectif", "Action"],
                               published=published)
    person, _ = Person.objects.get_or_create(organization=org, name="Bulk Person")
    dept, _ = Department.objects.get_or_create(organization=org, name="Bulk Dept")
    n_roots = max(1, size // 100)
    roots = Node.objects.bulk_create(
        Node(plan=plan, code=f"{r + 1}", title=f"Objectif {r + 1}", position=r)
        for r in range(n_roots))
    children = Node.objects.bulk_create(
        Node(plan=plan, parent=roots[i % n_roots], depth=1, code=f"{i % n_roots + 1}.{i}",
             title=f"Action {i}", position=i // n_roots, status="in_progress",
             end_date=dt.date(2021, 1, 1) + dt.timedelta(days=i))
        for i in range(size - n_roots))
    nodes = roots + children
    Node.owners.through.objects.bulk_create(
        Node.owners.through(node_id=n.pk, person_id=person.pk) for n in nodes)
    Node.mandataires.through.objects.bulk_create(
        Node.mandataires.through(node_id=n.pk, person_id=person.pk) for n in nodes)
    Node.departments.through.objects.bulk_create(
        Node.departments.through(node_id=n.pk, department_id=dept.pk) for n in nodes)
    return plan


@pytest.fixture
def make_plan(db):
    """``make_plan(org, size, **kw)``: see ``build_plan``."""
    return build_plan
