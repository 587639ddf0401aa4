"""Nodes through the API: the filtered, paginated list, detail, create, update, move, delete."""

from __future__ import annotations

import datetime as dt

import pytest

from jalon.plans.models import Department, Node, Person


def codes(response) -> list[str]:
    return [n["code"] for n in response.json()["items"]]


# -- list ---------------------------------------------------------------------------------

def test_it_lists_a_plans_nodes_in_tree_order_with_names(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}/nodes")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert codes(r) == ["1", "1.1", "1.2"]
    hr = body["items"][2]
    assert hr["owners"] == ["Owen Owner"] and hr["departments"] == ["RH"]
    assert hr["plan"] == world.plan.pk and hr["parent"] == world.root.pk
    assert hr["version"] == 1 and hr["depth"] == 1 and hr["position"] == 1


@pytest.fixture
def filtered(world):
    """Dates, statuses and levels to filter on."""
    Node.objects.filter(pk=world.action.pk).update(
        status="done", end_date=dt.date(2021, 6, 30), level="Action")
    Node.objects.filter(pk=world.hr_action.pk).update(
        status="late", end_date=dt.date(2023, 12, 31))
    return world


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "done"}, ["1.1"]),
    ({"status": "late"}, ["1.2"]),
    ({"q": "ACCUEIL"}, ["1.1"]),
    ({"depth": 0}, ["1"]),
    ({"level": "action"}, ["1.1", "1.2"]),  # 1.1 says it, 1.2 gets the plan's name for depth 1
    ({"level": "Objectif"}, ["1"]),
    ({"deadline_from": "2022-01-01"}, ["1.2"]),
    ({"deadline_to": "2022-01-01"}, ["1.1"]),
    ({"deadline_from": "2021-01-01", "deadline_to": "2023-12-31"}, ["1.1", "1.2"]),
    ({"status": "done", "q": "former"}, []),
])
def test_it_filters_nodes(filtered, api_as, params, expected):
    r = api_as(filtered.reader).get(f"/plans/{filtered.plan.pk}/nodes", params)
    assert r.status_code == 200, r.content
    assert codes(r) == expected


def test_it_filters_by_department_and_owner_ids(world, api_as):
    api = api_as(world.reader)
    person = Person.objects.get(name="Owen Owner")
    url = f"/plans/{world.plan.pk}/nodes"
    assert codes(api.get(url, {"department": world.social.pk})) == ["1.1"]
    assert codes(api.get(url, {"department": world.rh.pk})) == ["1.2"]
    assert codes(api.get(url, {"owner": person.pk})) == ["1.2"]


def test_it_refuses_an_unknown_status_filter(world, api_as):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}/nodes", {"status": "nope"})
    assert r.status_code == 422


def test_it_paginates_100_by_default_and_500_at_most(world, api_as, make_plan):
    plan = make_plan(world.org, 600)
    api = api_as(world.reader)
    first = api.get(f"/plans/{plan.pk}/nodes").json()
    assert first["count"] == 600 and len(first["items"]) == 100
    big = api.get(f"/plans/{plan.pk}/nodes", {"page_size": 1000}).json()
    assert len(big["items"]) == 500
    last = api.get(f"/plans/{plan.pk}/nodes", {"page_size": 250, "page": 3}).json()
    assert len(last["items"]) == 100
    everything = {n["id"] for p in (1, 2) for n in api.get(
        f"/plans/{plan.pk}/nodes", {"page_size": 300, "page": p}).json()["items"]}
    assert len(everything) == 600


@pytest.mark.parametrize(("size", "queries"), [(10, 5), (1000, 6)])
def test_the_node_list_costs_the_same_queries_whatever_the_plans_size(
        world, api_as, make_plan, size, queries, django_assert_num_queries):
    plan = make_plan(world.org, size)
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plan scoped by Plan.objects.for_user, 4 the page of nodes, 5 owners,
    # departments and mandataires of the page (one UNION ALL of the link tables); 6 the count
    # when the page is full (a page that is not full ends the list: its rows are the count)
    with django_assert_num_queries(queries):
        r = api.get(f"/plans/{plan.pk}/nodes", {"page_size": 500})
    assert r.status_code == 200
    assert len(r.json()["items"]) == min(size, 500)
    assert r.json()["items"][-1]["owners"] == ["Bulk Person"]


def test_the_node_list_is_404_for_a_plan_of_another_organization(world, api_as):
    assert api_as(world.reader).get(f"/plans/{world.other_plan.pk}/nodes").status_code == 404


# -- detail -------------------------------------------------------------------------------

def test_it_shows_a_node(world, api_as, django_assert_num_queries):
    api = api_as(world.reader)
    # 1 session, 2 user, 3 the node (with its plan and organization), 4-6 prefetches
    with django_assert_num_queries(6):
        r = api.get(f"/nodes/{world.hr_action.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == "1.2" and body["title"] == "Former le personnel"
    assert set(body) >= {"id", "plan", "parent", "code", "code_as_printed", "derived_code",
                         "title", "description", "level", "depth", "position", "status",
                         "progress", "start_text", "end_text", "deadline_text", "start_date",
                         "end_date", "owners", "departments", "mandataires", "partners",
                         "steering", "risks", "deliverables", "tags", "sdgs", "fte",
                         "funding", "comment", "source_line", "version"}


def test_a_node_of_another_organization_is_404(world, api_as):
    r = api_as(world.reader).get(f"/nodes/{world.other_node.pk}")
    assert r.status_code == 404
    assert "detail" in r.json()


# -- create -------------------------------------------------------------------------------

def test_it_creates_a_node_at_the_end_of_its_siblings(world, api_as):
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes", {
        "parent": world.root.pk, "code": "1.3", "title": "Ouvrir le samedi",
        "deadline_text": "2022", "progress": 12.5, "tags": ["accueil"], "sdgs": [10]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["position"] == 2 and body["depth"] == 1 and body["parent"] == world.root.pk
    assert body["end_date"] == "2022-12-31" and body["progress"] == 12.5
    node = Node.objects.get(pk=body["id"])
    assert node.history.count() == 1  # the audit trail has it


def test_it_inserts_a_node_and_shifts_the_following_siblings(world, api_as):
    person = Person.objects.get(name="Owen Owner")
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes", {
        "parent": world.root.pk, "position": 0, "code": "1.0", "title": "D'abord",
        "owner_ids": [person.pk], "department_ids": [world.social.pk]})
    assert r.status_code == 201, r.content
    assert r.json()["owners"] == ["Owen Owner"] and r.json()["departments"] == ["Service social"]
    order = list(Node.objects.filter(parent=world.root).order_by("position")
                 .values_list("code", "position"))
    assert order == [("1.0", 0), ("1.1", 1), ("1.2", 2)]


def test_it_creates_a_top_level_node(world, api_as):
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes",
                                  {"code": "2", "title": "Deux"})
    assert r.status_code == 201
    assert r.json()["parent"] is None and r.json()["depth"] == 0 and r.json()["position"] == 1


def test_it_refuses_a_code_already_used_in_the_plan(world, api_as):
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes",
                                  {"parent": world.root.pk, "code": "1.1", "title": "Doublon"})
    assert r.status_code == 409
    assert "1.1" in r.json()["detail"]


def test_it_refuses_people_of_another_organization(world, api_as):
    stranger = Person.objects.create(organization=world.other_org, name="Ailleurs")
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes", {
        "parent": world.root.pk, "code": "1.9", "title": "t", "owner_ids": [stranger.pk]})
    assert r.status_code == 400
    assert str(stranger.pk) in r.json()["detail"]
    assert not Node.objects.filter(code="1.9").exists()


def test_it_refuses_a_parent_from_another_plan(world, api_as):
    from jalon.plans.models import Plan

    second = Plan.objects.create(organization=world.org, title="Second")
    r = api_as(world.editor).post(f"/plans/{second.pk}/nodes",
                                  {"parent": world.root.pk, "code": "1", "title": "t"})
    assert r.status_code == 400


@pytest.mark.parametrize("body", [
    {"code": "", "title": "t"},
    {"code": "x", "title": ""},
    {"code": "x", "title": "t", "progress": 101},
    {"code": "x", "title": "t", "sdgs": [18]},
    {"code": "x", "title": "t", "status": "fini"},
    {"code": "x" * 81, "title": "t"},
])
def test_it_validates_a_new_node(world, api_as, body):
    r = api_as(world.editor).post(f"/plans/{world.plan.pk}/nodes", body)
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], list)


# -- update -------------------------------------------------------------------------------

def test_it_updates_the_sent_fields_and_bumps_the_version(world, api_as):
    r = api_as(world.editor).patch(f"/nodes/{world.action.pk}", {
        "version": 1, "status": "in_progress", "end_text": "2023", "fte": 1.5,
        "department_ids": [world.social.pk, world.rh.pk]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["version"] == 2 and body["status"] == "in_progress"
    assert body["end_date"] == "2023-12-31" and body["fte"] == 1.5
    assert body["departments"] == ["RH", "Service social"]
    assert body["title"] == "Rénover l'accueil"  # untouched


def test_a_stale_version_is_a_409_and_changes_nothing(world, api_as):
    api = api_as(world.editor)
    assert api.patch(f"/nodes/{world.action.pk}", {"version": 1, "comment": "a"}).status_code == 200
    r = api.patch(f"/nodes/{world.action.pk}", {"version": 1, "comment": "b"})
    assert r.status_code == 409
    assert r.json()["version"] == 2
    assert "modifié entre-temps" in r.json()["detail"]
    world.action.refresh_from_db()
    assert world.action.comment == "a"


def test_an_update_without_a_version_is_refused(world, api_as):
    """The last writer must not win silently: ``version`` is required (422 naming it)."""
    r = api_as(world.editor).patch(f"/nodes/{world.action.pk}",
                                   {"comment": "sans version", "version": None})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "version"
    world.action.refresh_from_db()
    assert world.action.comment != "sans version"


def test_it_refuses_null_for_a_required_column_but_clears_a_nullable_one(world, api_as):
    api = api_as(world.editor)
    assert api.patch(f"/nodes/{world.action.pk}", {"title": None}).status_code == 422
    api.patch(f"/nodes/{world.action.pk}", {"progress": 40})
    r = api.patch(f"/nodes/{world.action.pk}", {"progress": None})
    assert r.status_code == 200 and r.json()["progress"] is None


def test_it_refuses_to_rename_a_node_to_a_code_in_use(world, api_as):
    r = api_as(world.editor).patch(f"/nodes/{world.action.pk}", {"code": "1.2"})
    assert r.status_code == 409


def test_it_refuses_a_department_of_another_organization(world, api_as):
    theirs = Department.objects.create(organization=world.other_org, name="Leur service")
    r = api_as(world.editor).patch(f"/nodes/{world.action.pk}", {"department_ids": [theirs.pk]})
    assert r.status_code == 400


# -- move ---------------------------------------------------------------------------------

def test_it_moves_a_node_under_another_parent(world, api_as):
    r = api_as(world.editor).post(f"/nodes/{world.hr_action.pk}/move",
                                  {"parent": world.action.pk, "position": 0})
    assert r.status_code == 200, r.content
    assert r.json()["parent"] == world.action.pk and r.json()["depth"] == 2


def test_it_moves_a_node_to_the_top_level(world, api_as):
    r = api_as(world.editor).post(f"/nodes/{world.action.pk}/move", {"parent": None})
    assert r.status_code == 200
    assert r.json()["parent"] is None and r.json()["position"] == 1


def test_moving_a_node_under_its_own_child_is_a_400(world, api_as):
    r = api_as(world.editor).post(f"/nodes/{world.root.pk}/move", {"parent": world.action.pk})
    assert r.status_code == 400
    assert "lui-même" in r.json()["detail"]


def test_the_move_needs_an_explicit_parent(world, api_as):
    r = api_as(world.editor).post(f"/nodes/{world.action.pk}/move", {"position": 0})
    assert r.status_code == 422


# -- delete -------------------------------------------------------------------------------

def test_it_deletes_a_node_with_its_subtree(world, api_as):
    r = api_as(world.editor).delete(f"/nodes/{world.root.pk}")
    assert r.status_code == 204
    assert not Node.objects.filter(plan=world.plan).exists()


def test_it_renumbers_the_siblings_after_a_delete(world, api_as):
    assert api_as(world.editor).delete(f"/nodes/{world.action.pk}").status_code == 204
    world.hr_action.refresh_from_db()
    assert world.hr_action.position == 0
