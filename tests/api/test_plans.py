"""Plans through the API: list, detail, create, update, delete, the tree and the export."""

from __future__ import annotations

import pytest

from jalon.plans.loader import plan_to_draft
from jalon.plans.models import Node, Person, Plan


def titles(response) -> list[str]:
    return sorted(p["title"] for p in response.json()["items"])


# -- list and detail ----------------------------------------------------------------------

def test_it_lists_the_plans_of_the_users_organizations(world, api_as,
                                                        django_assert_num_queries):
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plans scoped by Plan.objects.for_user (organization joined); no
    # COUNT: the page is not full
    with django_assert_num_queries(3):
        r = api.get("/plans")
    assert r.status_code == 200
    assert titles(r) == ["PST Amay"]
    assert r.json()["items"][0]["organization_name"] == "CPAS de Amay"
    assert r.json()["count"] == 1


def test_the_list_is_paged_with_a_maximum_page_size(world, api_as):
    for i in range(3):
        Plan.objects.create(organization=world.org, title=f"Plan {i}")
    api = api_as(world.site_admin)
    first = api.get("/plans?page_size=2").json()
    second = api.get("/plans?page_size=2&page=2").json()
    assert first["count"] == second["count"] == 5
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6])
def test_every_page_tells_the_whole_count(world, api_as, size, django_assert_num_queries):
    """A page's own query carries the count (one query less); only a page past the end counts
    the plans apart; every page tells the whole count."""
    for i in range(3):
        Plan.objects.create(organization=world.org, title=f"Plan {i}")
    api = api_as(world.site_admin)
    seen = []
    for page in range(1, 5 // size + 3):
        empty = 5 - (page - 1) * size <= 0
        with django_assert_num_queries(4 if empty else 3):
            answer = api.get(f"/plans?page_size={size}&page={page}").json()
        assert answer["count"] == 5, (size, page)
        seen += [p["id"] for p in answer["items"]]
    assert sorted(seen) == sorted(Plan.objects.values_list("id", flat=True))



def test_a_site_admin_lists_every_plan(world, api_as):
    assert titles(api_as(world.site_admin).get("/plans")) == ["PST Amay", "PST Bree"]


def test_published_plans_are_listed_for_everybody(world, api_as):
    assert api_as().get("/plans").json() == {"items": [], "count": 0}
    Plan.objects.filter(pk=world.other_plan.pk).update(published=True)
    assert titles(api_as().get("/plans")) == ["PST Bree"]
    assert titles(api_as(world.reader).get("/plans")) == ["PST Amay", "PST Bree"]


def test_it_shows_a_plan(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}")
    assert r.status_code == 200
    assert r.json()["levels"] == ["Objectif", "Action"] and r.json()["period_start"] == 2019


def test_a_plan_of_another_organization_is_404(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.other_plan.pk}")
    assert r.status_code == 404
    assert r.json() == {"detail": "Plan introuvable."}


# -- create -------------------------------------------------------------------------------

def test_it_creates_a_plan(world, api_as):
    r = api_as(world.editor).post("/plans", {
        "organization": world.org.pk, "title": "PST 2025-2030", "period_start": 2025,
        "period_end": 2030, "levels": ["OS", "OO", "Action"], "kind": "pst",
        "hidden_fields": ["comment"]})
    assert r.status_code == 201, r.content
    plan = Plan.objects.get(pk=r.json()["id"])
    assert plan.organization == world.org and plan.levels == ["OS", "OO", "Action"]
    assert plan.hidden_fields == ["comment"] and plan.status == "draft"


@pytest.mark.parametrize("body", [
    {"title": "x"},  # no organization
    {"organization": 0, "title": ""},
    {"organization": 0, "title": "x", "period_start": 2030, "period_end": 2025},
    {"organization": 0, "title": "x", "kind": "budget"},
    {"organization": 0, "title": "x", "hidden_fields": ["title"]},
])
def test_it_validates_a_new_plan(world, api_as, body):
    if body.get("organization") == 0:
        body = {**body, "organization": world.org.pk}
    r = api_as(world.editor).post("/plans", body)
    assert r.status_code in (400, 422)  # 400: a rule across fields (api.api)
    assert Plan.objects.count() == 2


# -- update -------------------------------------------------------------------------------

def test_it_updates_the_sent_fields_only(world, api_as):
    r = api_as(world.editor).patch(f"/plans/{world.plan.pk}",
                                   {"title": "PST Amay (révisé)", "published": True})
    assert r.status_code == 200, r.content
    world.plan.refresh_from_db()
    assert world.plan.title == "PST Amay (révisé)" and world.plan.published
    assert world.plan.period_start == 2019  # untouched
    last = world.plan.history.first()
    assert last.history_type == "~" and last.history_user == world.editor


def test_it_refuses_a_period_that_ends_before_it_starts(world, api_as):
    r = api_as(world.editor).patch(f"/plans/{world.plan.pk}", {"period_end": 2010})
    assert r.status_code == 400
    assert "période" in r.json()["detail"]


def test_it_refuses_null_for_a_title_but_clears_a_date(world, api_as):
    api = api_as(world.editor)
    assert api.patch(f"/plans/{world.plan.pk}", {"title": None}).status_code == 422
    r = api.patch(f"/plans/{world.plan.pk}", {"period_start": None})
    assert r.status_code == 200 and r.json()["period_start"] is None


# -- delete -------------------------------------------------------------------------------

def test_it_deletes_a_plan_with_its_nodes(world, api_as):
    r = api_as(world.org_admin).delete(f"/plans/{world.plan.pk}")
    assert r.status_code == 204
    assert not Plan.objects.filter(pk=world.plan.pk).exists()
    assert not Node.objects.filter(plan_id=world.plan.pk).exists()


# -- tree ---------------------------------------------------------------------------------

def test_it_returns_the_nested_tree(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}/tree")
    assert r.status_code == 200
    tree = r.json()
    assert [n["code"] for n in tree] == ["1"]
    assert [c["code"] for c in tree[0]["children"]] == ["1.1", "1.2"]
    assert tree[0]["children"][1]["owners"] == ["Owen Owner"]
    assert tree[0]["children"][0]["children"] == []


@pytest.mark.parametrize("size", [10, 1000])
def test_the_tree_costs_the_same_queries_whatever_the_plans_size(
        world, api_as, make_plan, size, django_assert_num_queries):
    plan = make_plan(world.org, size)
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plan scoped by Plan.objects.for_user, 4 all the plan's nodes,
    # 5-7 prefetch of owners, departments, mandataires (Node.objects.with_tree_data())
    with django_assert_num_queries(7):
        r = api.get(f"/plans/{plan.pk}/tree")
    assert r.status_code == 200
    tree = r.json()
    assert sum(1 + len(root["children"]) for root in tree) == size


# -- export -------------------------------------------------------------------------------

def test_it_exports_the_json_interchange(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}/export")
    assert r.status_code == 200
    assert r.json() == plan_to_draft(world.plan).to_dict()
    assert [n["code"] for n in r.json()["nodes"]] == ["1", "1.1", "1.2"]


@pytest.mark.parametrize("size", [10, 1000])
def test_the_export_costs_the_same_queries_whatever_the_plans_size(
        world, api_as, make_plan, size, django_assert_num_queries):
    plan = make_plan(world.org, size)
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plan scoped, with its organization, 4 amendments, 5 nodes with
    # their parents, 6-12 prefetch of owners, team, mandataires, departments, money lines,
    # indicators, outgoing links (plans.loader.plan_to_draft)
    with django_assert_num_queries(12):
        r = api.get(f"/plans/{plan.pk}/export")
    assert len(r.json()["nodes"]) == size


# -- fields hidden from the public ----------------------------------------------------------

@pytest.fixture
def public_plan(world):
    """Plan A published, hiding its owners and comments from the public."""
    Plan.objects.filter(pk=world.plan.pk).update(published=True,
                                                 hidden_fields=["owners", "comment"])
    Node.objects.filter(pk=world.hr_action.pk).update(comment="interne")
    return world


def test_the_public_does_not_get_the_hidden_fields(public_plan, api_as):
    w = public_plan
    for api in (api_as(), api_as(w.outsider)):
        node = api.get(f"/nodes/{w.hr_action.pk}").json()
        assert node["owners"] == [] and node["owner_ids"] == [] and node["comment"] == ""
        assert node["departments"] == ["RH"]  # not hidden
        listed = api.get(f"/plans/{w.plan.pk}/nodes").json()["items"][2]
        assert listed["owners"] == [] and listed["comment"] == ""
        tree = api.get(f"/plans/{w.plan.pk}/tree").json()
        assert tree[0]["children"][1]["owners"] == []
        exported = api.get(f"/plans/{w.plan.pk}/export").json()["nodes"][2]["fields"]
        assert "owners" not in exported and "comment" not in exported
        assert exported["departments"] == ["RH"]


def test_members_get_the_hidden_fields(public_plan, api_as):
    w = public_plan
    person = Person.objects.get(name="Owen Owner")
    for user in (w.reader, w.site_admin):
        node = api_as(user).get(f"/nodes/{w.hr_action.pk}").json()
        assert node["owners"] == ["Owen Owner"] and node["owner_ids"] == [person.pk]
        assert node["comment"] == "interne"
        exported = api_as(user).get(f"/plans/{w.plan.pk}/export").json()["nodes"][2]
        assert exported["fields"]["owners"] == ["Owen Owner"]
