"""The list routes build their rows as plain JSON (``api.lists``): every row must be what the
schema gives for the same object (``NodeOut``, ``PlanOut``, ``OrganizationOut``), fields hidden
from the public blanked the same way, and a cached node page must change with the plan."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from jalon.api.schemas import NodeOut, OrganizationOut, PlanOut
from jalon.plans.access import hidden_keys, node_queryset
from jalon.plans.models import Department, Node, Person, Plan


def schema_json(schema, obj, **context) -> dict:
    return json.loads(schema.model_validate(obj, context=context).model_dump_json())


@pytest.fixture
def full(world):
    """The world's plan with every kind of node value filled: decimals, dates, lists, the
    three relations with several names (listed in name order)."""
    anna = Person.objects.create(organization=world.org, name="Anna Zeller")
    bob = Person.objects.create(organization=world.org, name="Bob Adam")
    node = world.action
    node.progress, node.fte = Decimal("42.50"), Decimal("1.25")
    node.start_date, node.end_date = dt.date(2024, 1, 31), dt.date(2026, 12, 31)
    node.tags, node.sdgs, node.partners = ["social", "été"], [1, 3], ["Forem"]
    node.start_text, node.funding = "janvier 2024", "Fonds propres"
    node.save()
    node.owners.set([anna, bob])
    node.mandataires.set([bob])
    node.departments.set([world.social, world.rh])
    world.plan.adopted_on = dt.date(2025, 3, 1)
    world.plan.save()
    return world


def test_node_rows_are_what_the_schema_gives(full, api_as):
    items = api_as(full.editor).get(f"/plans/{full.plan.pk}/nodes").json()["items"]
    nodes = node_queryset(full.editor, tree_data=True).filter(plan=full.plan)
    assert items == [schema_json(NodeOut, n) for n in nodes]
    action = next(i for i in items if i["id"] == full.action.pk)
    assert action["owners"] == ["Anna Zeller", "Bob Adam"]
    assert action["departments"] == ["RH", "Service social"]
    assert action["progress"] == 42.5 and action["start_date"] == "2024-01-31"


def test_hidden_fields_are_blanked_for_the_public_as_the_schema_does(full, api_as):
    Plan.objects.filter(pk=full.plan.pk).update(published=True,
                                                hidden_fields=["owners", "progress", "start_date"])
    items = api_as().get(f"/plans/{full.plan.pk}/nodes").json()["items"]

    class Hidden:  # what hide_from_public tells the schema
        jalon_hidden_fields = hidden_keys(["owners", "progress", "start_date"])

    nodes = Node.objects.filter(plan=full.plan).with_tree_data()
    assert items == [schema_json(NodeOut, n, request=Hidden()) for n in nodes]
    action = next(i for i in items if i["id"] == full.action.pk)
    assert action["owners"] == [] and action["owner_ids"] == []
    assert action["progress"] is None and action["start_date"] is None
    assert action["start_text"] == ""  # the printed date goes with the parsed one
    assert action["departments"] == ["RH", "Service social"]
    # the members still see everything
    member = api_as(full.editor).get(f"/plans/{full.plan.pk}/nodes").json()["items"]
    assert next(i for i in member if i["id"] == full.action.pk)["progress"] == 42.5


def test_plan_and_organization_rows_are_what_the_schema_gives(full, api_as):
    api = api_as(full.site_admin)
    plans = api.get("/plans").json()["items"]
    expected = Plan.objects.select_related("organization").order_by(
        "organization__name", "title", "id")
    assert plans == [schema_json(PlanOut, p) for p in expected]
    assert plans[0]["adopted_on"] == "2025-03-01"
    orgs = api.get("/organizations").json()["items"]
    assert orgs == [schema_json(OrganizationOut, o)
                    for o in type(full.org).objects.order_by("name", "id")]


def test_a_cached_node_page_follows_every_write_to_the_plan(full, api_as):
    api = api_as(full.editor)
    url = f"/plans/{full.plan.pk}/nodes"

    def action():
        return next(i for i in api.get(url).json()["items"] if i["id"] == full.action.pk)

    assert action()["title"] != "Nouveau titre"
    assert api.patch(f"/nodes/{full.action.pk}", {"title": "Nouveau titre"}).status_code == 200
    assert action()["title"] == "Nouveau titre"
    # a person renamed (another table) shows at once too
    anna = Person.objects.get(name="Anna Zeller")
    anna.name = "Anna Zeller-Dupont"
    anna.save()
    assert action()["owners"] == ["Anna Zeller-Dupont", "Bob Adam"]
    dept = Department.objects.get(name="RH")
    full.action.departments.remove(dept)
    assert action()["departments"] == ["Service social"]
    # filters and pages are cached apart
    assert api.get(url, {"depth": 0}).json()["count"] == 1
    assert api.get(url, {"page_size": 1, "page": 2}).json()["items"][0]["depth"] == 1
