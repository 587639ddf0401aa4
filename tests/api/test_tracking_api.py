"""The follow-up through the API: journal, indicators and targets, indicator statuses, budget
lines and totals, reminders — with the web's permissions.

World (tests/conftest.py): plan A of « amay » (2019–2024) with root 1, 1.1 (« Service
social », the department editor's) and 1.2 (« RH », owned by the action owner); plan B of
« bree », where the outsider is a plan editor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jalon.plans.models import Node, Person, Plan
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target


@pytest.fixture
def followup(world):
    """An indicator on each action, a target, a measurement and budget lines."""
    w = world
    w.hr_ind = Indicator.objects.create(node=w.hr_action, name="Agents formés", unit="count",
                                        frequency="yearly")
    w.social_ind = Indicator.objects.create(node=w.action, name="Délai d'accueil", unit="days",
                                            direction="down", position=0)
    Target.objects.create(indicator=w.hr_ind, period="2023", value=Decimal(100))
    Measurement.objects.create(indicator=w.hr_ind, period="2023",
                               period_end=dt.date(2023, 12, 31), value=Decimal(98),
                               entered_by=w.editor)
    BudgetLine.objects.create(node=w.hr_action, year=2023, planned=1000, committed=800,
                              spent=500, funding_source="Fonds propres",
                              budget_type="ordinaire")
    return w


def publish(w, hidden: list[str] | None = None) -> None:
    Plan.objects.filter(pk=w.plan.pk).update(published=True, hidden_fields=hidden or [])


# -- the permission matrix ----------------------------------------------------------------
# One column per kind of request on the owned action (1.2) or its indicator, as status codes.

COLUMNS = ("journal.read", "journal.post", "indicators.read", "indicator.create",
           "indicator.patch", "indicator.delete", "targets.put", "measurement.post",
           "bulk.post", "budget.read", "budget.post", "status.read", "totals.read")

OK = (200, 201, 200, 201, 200, 204, 200, 201, 200, 200, 201, 200, 200)
HIDDEN = (404,) * 13
MATRIX = {
    "editor": OK,
    "site_admin": OK,
    # the node's owner follows it up, but plan-wide uploads and deletions are the editors'
    "owner": (200, 201, 200, 201, 200, 403, 200, 201, 403, 200, 201, 200, 200),
    "dept_editor": (200, 403, 200, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200),
    "reader": (200, 403, 200, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200),
    "outsider": HIDDEN,
    "anonymous": (404, 401, 404, 401, 401, 401, 401, 401, 401, 404, 401, 404, 404),
}
PUBLISHED = {
    "anonymous": (200, 401, 200, 401, 401, 401, 401, 401, 401, 200, 401, 200, 200),
    "outsider": (200, 403, 200, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200),
    "reader": MATRIX["reader"],
    "owner": MATRIX["owner"],
}


def request_for(w, column: str) -> tuple[str, str, object]:
    node, ind, plan = w.hr_action.pk, w.hr_ind.pk, w.plan.pk
    return {
        "journal.read": ("get", f"/nodes/{node}/updates", None),
        "journal.post": ("post", f"/nodes/{node}/updates", {"progress": 40, "text": "ok"}),
        "indicators.read": ("get", f"/nodes/{node}/indicators", None),
        "indicator.create": ("post", f"/nodes/{node}/indicators", {"name": "Nouveau"}),
        "indicator.patch": ("patch", f"/indicators/{ind}", {"norm_text": "≥ 90 %"}),
        "indicator.delete": ("delete", f"/indicators/{ind}", None),
        "targets.put": ("put", f"/indicators/{ind}/targets", [{"period": "2024", "value": 1}]),
        "measurement.post": ("post", f"/indicators/{ind}/measurements",
                             {"period": "2024", "value": 3}),
        "bulk.post": ("post", f"/plans/{plan}/measurements/bulk",
                      {"rows": [{"indicator_id": ind, "period": "2024", "value": 3}]}),
        "budget.read": ("get", f"/nodes/{node}/budget", None),
        "budget.post": ("post", f"/nodes/{node}/budget", {"year": 2024, "planned": 10}),
        "status.read": ("get", f"/plans/{plan}/indicators/status", None),
        "totals.read": ("get", f"/plans/{plan}/budget/totals", None),
    }[column]


def call(api_as, w, role: str, column: str):
    api = api_as(None if role == "anonymous" else getattr(w, role))
    method, path, body = request_for(w, column)
    if method == "put":
        return api.put(path, body)
    if body is None:
        return getattr(api, method)(path)
    return getattr(api, method)(path, body)


def cases(table: dict) -> list:
    return [pytest.param(role, column, expected, id=f"{role}-{column}")
            for role, row in table.items()
            for column, expected in zip(COLUMNS, row, strict=True)]


@pytest.mark.parametrize(("role", "column", "expected"), cases(MATRIX))
def test_follow_up_permissions(followup, api_as, role, column, expected):
    r = call(api_as, followup, role, column)
    assert r.status_code == expected, r.content
    if expected >= 400:
        assert isinstance(r.json()["detail"], str)


@pytest.mark.parametrize(("role", "column", "expected"), cases(PUBLISHED))
def test_follow_up_permissions_on_a_published_plan(followup, api_as, role, column, expected):
    publish(followup)
    r = call(api_as, followup, role, column)
    assert r.status_code == expected, r.content


def test_refused_follow_up_writes_change_nothing(followup, api_as):
    def state():
        return (list(Indicator.objects.values_list("pk", "name", "norm_text").order_by("pk")),
                list(Target.objects.values_list("indicator", "period", "value")
                     .order_by("pk")),
                list(Measurement.objects.values_list("pk", "value").order_by("pk")),
                ProgressUpdate.objects.count(), BudgetLine.objects.count(),
                list(Node.objects.values_list("pk", "status", "progress").order_by("pk")))

    before = state()
    for role, row in MATRIX.items():
        for column, expected in zip(COLUMNS, row, strict=True):
            if expected >= 400 and column.partition(".")[2] not in {"read"}:
                assert call(api_as, followup, role, column).status_code == expected
    assert state() == before


# -- journal ------------------------------------------------------------------------------

def test_the_owner_posts_an_update_which_becomes_the_nodes_state(world, api_as):
    r = api_as(world.owner).post(f"/nodes/{world.hr_action.pk}/updates", {
        "status": "in_progress", "health": "at_risk", "progress": 40,
        "text": "  Deux sessions sur cinq  ", "date": "2023-05-02"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["author"] == "owner" and body["node"] == world.hr_action.pk
    assert body["progress"] == 40 and body["health"] == "at_risk"
    assert body["text"] == "Deux sessions sur cinq" and body["date"] == "2023-05-02"
    node = Node.objects.get(pk=world.hr_action.pk)
    assert node.status == "in_progress" and node.progress == 40 and node.version == 2
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert update.history.first().history_user == world.owner  # the audit trail has who


def test_the_journal_lists_the_newest_first(world, api_as):
    api = api_as(world.owner)
    for day, text in [("2023-01-10", "premier"), ("2023-03-01", "dernier"),
                      ("2023-02-01", "second")]:
        assert api.post(f"/nodes/{world.hr_action.pk}/updates",
                        {"text": text, "date": day}).status_code == 201
    r = api_as(world.reader).get(f"/nodes/{world.hr_action.pk}/updates")
    assert r.status_code == 200
    assert r.json()["count"] == 3
    assert [u["text"] for u in r.json()["items"]] == ["dernier", "second", "premier"]


@pytest.mark.parametrize("body", [
    {},
    {"text": "   "},
    {"progress": 101},
    {"status": "fini"},
    {"health": "bof", "text": "x"},
])
def test_it_validates_an_update(world, api_as, body):
    r = api_as(world.owner).post(f"/nodes/{world.hr_action.pk}/updates", body)
    assert r.status_code in (400, 422)  # 400: a rule across fields (api.api)
    assert not ProgressUpdate.objects.exists()


def test_the_public_reads_the_journal_without_authors_nor_hidden_progress(world, api_as):
    api_as(world.owner).post(f"/nodes/{world.hr_action.pk}/updates", {"progress": 40})
    publish(world, hidden=["progress"])
    item = api_as().get(f"/nodes/{world.hr_action.pk}/updates").json()["items"][0]
    assert item["author"] is None and item["progress"] is None
    member = api_as(world.reader).get(f"/nodes/{world.hr_action.pk}/updates").json()
    assert member["items"][0]["author"] == "owner" and member["items"][0]["progress"] == 40


# -- indicators ---------------------------------------------------------------------------

def test_it_lists_a_nodes_indicators(followup, api_as, django_assert_num_queries):
    api = api_as(followup.reader)
    # 1 session, 2 user, 3 the node, 4 the indicators with their owners (the plan hides
    # nothing and an indicator names no author: whether the reader is a member is not asked)
    with django_assert_num_queries(4):
        r = api.get(f"/nodes/{followup.hr_action.pk}/indicators")
    assert r.status_code == 200
    (ind,) = r.json()
    assert ind["name"] == "Agents formés" and ind["unit"] == "count"
    assert ind["node"] == followup.hr_action.pk and ind["owner"] is None


def test_it_creates_an_indicator_with_all_its_fields(world, api_as):
    person = Person.objects.get(name="Owen Owner")
    r = api_as(world.owner).post(f"/nodes/{world.hr_action.pk}/indicators", {
        "name": "Délai de paiement", "kind": "result", "unit": "days", "direction": "down",
        "norm_text": "80 % en 5 jours ouvrables et 100 % dans le mois",
        "norm_state": "defined", "binding": False, "frequency": "monthly",
        "dimensions": ["guichet", {"name": "type de paiement"}],
        "data_source": "Logiciel social", "owner": person.pk, "baseline_value": 7.5,
        "baseline_date": "2019-12-31"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"] == person.pk and body["owner_name"] == "Owen Owner"
    assert body["baseline_value"] == 7.5 and body["frequency"] == "monthly"
    assert body["dimensions"] == ["guichet", {"name": "type de paiement"}]
    assert body["position"] == 0
    second = api_as(world.owner).post(f"/nodes/{world.hr_action.pk}/indicators",
                                      {"name": "Autre"})
    assert second.json()["position"] == 1
    assert Indicator.objects.get(pk=body["id"]).history.first().history_user == world.owner


def test_an_indicator_owner_must_be_of_the_organization(world, api_as):
    stranger = Person.objects.create(organization=world.other_org, name="Ailleurs")
    r = api_as(world.editor).post(f"/nodes/{world.hr_action.pk}/indicators",
                                  {"name": "x", "owner": stranger.pk})
    assert r.status_code == 400
    assert str(stranger.pk) in r.json()["detail"]
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("body", [
    {"name": ""}, {"name": "x", "kind": "autre"}, {"name": "x", "direction": "left"},
    {"name": "x", "frequency": "daily"}, {"name": "x", "baseline_value": "beaucoup"},
    {"name": "x", "unit": "u" * 41},
])
def test_it_validates_a_new_indicator(world, api_as, body):
    r = api_as(world.editor).post(f"/nodes/{world.hr_action.pk}/indicators", body)
    assert r.status_code == 422


def test_it_updates_only_the_sent_fields(followup, api_as):
    person = Person.objects.get(name="Owen Owner")
    api = api_as(followup.owner)
    r = api.patch(f"/indicators/{followup.hr_ind.pk}", {
        "norm_text": "≥ 95 %", "norm_state": "measured", "owner": person.pk,
        "baseline_value": 12, "baseline_date": "2019-01-01"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["norm_text"] == "≥ 95 %" and body["owner_name"] == "Owen Owner"
    assert body["name"] == "Agents formés"  # untouched
    cleared = api.patch(f"/indicators/{followup.hr_ind.pk}",
                        {"owner": None, "baseline_value": None})
    assert cleared.json()["owner"] is None and cleared.json()["baseline_value"] is None
    assert api.patch(f"/indicators/{followup.hr_ind.pk}", {"name": None}).status_code == 422
    before = followup.hr_ind.history.count()
    assert api.patch(f"/indicators/{followup.hr_ind.pk}", {"unit": "count"}).status_code == 200
    assert followup.hr_ind.history.count() == before  # nothing changed, nothing recorded


def test_deleting_an_indicator_takes_its_series(followup, api_as):
    r = api_as(followup.editor).delete(f"/indicators/{followup.hr_ind.pk}")
    assert r.status_code == 204
    assert not Measurement.objects.filter(indicator_id=followup.hr_ind.pk).exists()
    assert not Target.objects.filter(indicator_id=followup.hr_ind.pk).exists()
    assert api_as(followup.editor).get(f"/indicators/{followup.hr_ind.pk}").status_code == 404


def test_an_indicator_of_another_organization_is_404(followup, api_as):
    theirs = Indicator.objects.create(node=followup.other_node, name="Leur indicateur")
    api = api_as(followup.reader)
    assert api.get(f"/indicators/{theirs.pk}").json() == {"detail": "Indicateur introuvable."}
    assert api.get(f"/indicators/{theirs.pk}/measurements").status_code == 404


def test_a_plan_hiding_its_indicators_hides_them_from_the_public(followup, api_as):
    publish(followup, hidden=["indicators"])
    anonymous = api_as()
    assert anonymous.get(f"/nodes/{followup.hr_action.pk}/indicators").json() == []
    assert anonymous.get(f"/indicators/{followup.hr_ind.pk}").status_code == 404
    assert anonymous.get(f"/plans/{followup.plan.pk}/indicators/status").json() == []
    assert api_as(followup.reader).get(f"/indicators/{followup.hr_ind.pk}").status_code == 200


# -- targets ------------------------------------------------------------------------------

def put(api, path: str, body):
    return api.put(path, body)


def test_it_replaces_the_targets(followup, api_as):
    api = api_as(followup.owner)
    path = f"/indicators/{followup.hr_ind.pk}/targets"
    r = put(api, path, [{"period": "2024", "value": 120},
                        {"period": "2023-q4", "value": 100.5},
                        {"period": "2022", "low": 10, "high": 20}])
    assert r.status_code == 200, r.content
    assert r.json() == [
        {"period": "2022", "value": None, "low": 10.0, "high": 20.0},
        {"period": "2023-Q4", "value": 100.5, "low": None, "high": None},
        {"period": "2024", "value": 120.0, "low": None, "high": None}]
    assert not Target.objects.filter(indicator=followup.hr_ind, period="2023").exists()
    assert api_as(followup.reader).get(path).json() == r.json()
    assert put(api, path, []).json() == []


@pytest.mark.parametrize("body", [
    [{"period": "2024", "value": 1}, {"period": "2024", "value": 2}],
    [{"period": "l'an prochain", "value": 1}],
    [{"period": "2024"}],
    [{"period": "2024", "low": 5, "high": 1}],
    {"period": "2024", "value": 1},
])
def test_it_validates_the_targets(followup, api_as, body):
    r = put(api_as(followup.editor), f"/indicators/{followup.hr_ind.pk}/targets", body)
    assert r.status_code in (400, 422)  # 400: a rule across fields (api.api)
    assert list(Target.objects.values_list("period", flat=True)) == ["2023"]


# -- statuses -----------------------------------------------------------------------------

def test_the_statuses_of_a_plans_indicators(followup, api_as):
    Indicator.objects.create(node=followup.root, name="Jamais mesuré", frequency="monthly",
                             norm_text="80 % en 5 jours")
    r = api_as(followup.reader).get(f"/plans/{followup.plan.pk}/indicators/status",
                                    {"as_of": "2024-06-30"})
    assert r.status_code == 200
    by_name = {s["name"]: s for s in r.json()}
    trained = by_name["Agents formés"]
    assert trained["status"] == "close" and trained["target"] == 100.0
    assert trained["last_period"] == "2023" and trained["last_value"] == 98.0
    assert trained["stale"] is False and trained["node_code"] == "1.2"
    assert by_name["Jamais mesuré"]["status"] == "no_data"
    later = api_as(followup.reader).get(f"/plans/{followup.plan.pk}/indicators/status",
                                        {"as_of": "2025-06-30"}).json()
    assert {s["name"]: s for s in later}["Agents formés"]["stale"] is True


def add_indicators(plan, per_node_measurements: int = 3) -> None:
    """An indicator with a target and a few measurements on every node of ``plan``."""
    inds = Indicator.objects.bulk_create(Indicator(node=n, name=f"Indicateur {n.code}")
                                         for n in plan.nodes.all())
    Target.objects.bulk_create(Target(indicator=i, period="2023", value=10) for i in inds)
    Measurement.objects.bulk_create(
        Measurement(indicator=i, period=str(2020 + k), period_end=dt.date(2020 + k, 12, 31),
                    value=k + 8) for i in inds for k in range(per_node_measurements))


@pytest.mark.parametrize("size", [10, 500])
def test_the_statuses_cost_the_same_queries_whatever_the_plans_size(
        world, api_as, make_plan, size, django_assert_num_queries):
    plan = make_plan(world.org, size)
    add_indicators(plan)
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plan, 4 indicators with their latest value (subqueries), 5 targets
    # (the plan hides nothing: whether the reader is a member is not asked)
    with django_assert_num_queries(5):
        r = api.get(f"/plans/{plan.pk}/indicators/status", {"as_of": "2023-06-30"})
    assert r.status_code == 200 and len(r.json()) == size
    assert {s["status"] for s in r.json()} == {"met"}


def test_the_public_reads_a_published_plans_indicators(followup, api_as):
    publish(followup)
    api = api_as()
    assert [i["name"] for i in api.get(f"/nodes/{followup.hr_action.pk}/indicators").json()] \
        == ["Agents formés"]
    assert api.get(f"/indicators/{followup.hr_ind.pk}").status_code == 200
    assert api.get(f"/indicators/{followup.hr_ind.pk}/targets").status_code == 200
    assert len(api.get(f"/plans/{followup.plan.pk}/indicators/status").json()) == 2


# -- budget -------------------------------------------------------------------------------

def test_the_owner_manages_the_budget_lines_of_its_node(followup, api_as):
    api = api_as(followup.owner)
    r = api.post(f"/nodes/{followup.hr_action.pk}/budget", {
        "year": 2024, "planned": "1500.255", "committed": 0, "spent": 0,
        "funding_source": "Région wallonne", "budget_type": "extraordinaire"})
    assert r.status_code == 201, r.content
    line = r.json()
    assert line["planned"] == 1500.26 and line["budget_type"] == "extraordinaire"
    patched = api.patch(f"/budget/{line['id']}", {"spent": 200.5})
    assert patched.status_code == 200 and patched.json()["spent"] == 200.5
    assert patched.json()["planned"] == 1500.26
    years = [b["year"] for b in api.get(f"/nodes/{followup.hr_action.pk}/budget").json()]
    assert years == [2023, 2024]
    assert api.delete(f"/budget/{line['id']}").status_code == 204
    assert BudgetLine.objects.count() == 1


def test_budget_line_writes_follow_the_node(followup, api_as):
    line = BudgetLine.objects.get()
    assert api_as(followup.reader).patch(f"/budget/{line.pk}", {"spent": 1}).status_code == 403
    assert api_as(followup.dept_editor).delete(f"/budget/{line.pk}").status_code == 403
    assert api_as(followup.outsider).delete(f"/budget/{line.pk}").status_code == 404
    assert api_as().patch(f"/budget/{line.pk}", {"spent": 1}).status_code == 401
    assert BudgetLine.objects.get().spent == 500


@pytest.mark.parametrize("body", [
    {"year": 1800}, {"year": 2024, "planned": -1}, {"year": 2024, "budget_type": "autre"},
    {"year": 2024, "spent": 10 ** 13}, {"planned": 3},
])
def test_it_validates_a_budget_line(followup, api_as, body):
    r = api_as(followup.editor).post(f"/nodes/{followup.hr_action.pk}/budget", body)
    assert r.status_code == 422


def test_the_budget_totals_by_year_source_type_and_top_node(followup, api_as):
    w = followup
    second = Node.objects.create(plan=w.plan, code="2", title="Deuxième objectif", position=1)
    deep = Node.objects.create(plan=w.plan, parent=w.action, depth=2, code="1.1.1",
                               title="Sous-action")
    BudgetLine.objects.create(node=deep, year=2023, planned=200, spent=50,
                              funding_source="Région wallonne", budget_type="investissement")
    BudgetLine.objects.create(node=w.root, year=2024, planned=300,
                              funding_source="Fonds propres")
    r = api_as(w.reader).get(f"/plans/{w.plan.pk}/budget/totals")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["plan"] == w.plan.pk
    assert body["total"] == {"planned": 1500, "committed": 800, "spent": 550}
    assert body["by_year"] == [
        {"year": 2023, "planned": 1200, "committed": 800, "spent": 550},
        {"year": 2024, "planned": 300, "committed": 0, "spent": 0}]
    assert body["by_funding_source"] == [
        {"funding_source": "Fonds propres", "planned": 1300, "committed": 800, "spent": 500},
        {"funding_source": "Région wallonne", "planned": 200, "committed": 0, "spent": 50}]
    assert body["by_budget_type"] == [
        {"budget_type": "investissement", "planned": 200, "committed": 0, "spent": 50},
        {"budget_type": "ordinaire", "planned": 1300, "committed": 800, "spent": 500}]
    first, other = body["nodes"]
    assert (first["node"], first["code"]) == (w.root.pk, "1")
    assert first["total"] == body["total"]  # the whole tree is under 1
    assert (other["node"], other["code"]) == (second.pk, "2")
    assert other["total"] == {"planned": 0, "committed": 0, "spent": 0}
    assert other["by_year"] == []


def test_a_plan_hiding_its_budget_hides_it_from_the_public(followup, api_as):
    publish(followup, hidden=["budget"])
    api = api_as()
    assert api.get(f"/nodes/{followup.hr_action.pk}/budget").json() == []
    assert api.get(f"/plans/{followup.plan.pk}/budget/totals").json()["total"]["planned"] == 0
    member = api_as(followup.reader).get(f"/plans/{followup.plan.pk}/budget/totals").json()
    assert member["total"]["planned"] == 1000


@pytest.mark.parametrize("size", [10, 1000])
def test_the_budget_totals_cost_the_same_queries_whatever_the_plans_size(
        world, api_as, make_plan, size, django_assert_num_queries):
    plan = make_plan(world.org, size)
    BudgetLine.objects.bulk_create(
        BudgetLine(node=n, year=2020 + n.pk % 4, planned=10, funding_source=f"S{n.pk % 3}")
        for n in plan.nodes.all())
    api = api_as(world.reader)
    # 1 session, 2 user, 3 plan, 4 the nodes (id, parent, code, title), 5 the sums grouped by
    # node, year, source and type (the plan hides nothing: membership is not asked)
    with django_assert_num_queries(5):
        r = api.get(f"/plans/{plan.pk}/budget/totals")
    assert r.status_code == 200
    assert r.json()["total"]["planned"] == 10 * size
    assert sum(n["total"]["planned"] for n in r.json()["nodes"]) == 10 * size


# -- reminders ----------------------------------------------------------------------------

def test_my_reminders(followup, api_as):
    w = followup
    Node.objects.filter(pk=w.hr_action.pk).update(end_date=dt.date(2024, 1, 31))
    Indicator.objects.filter(pk=w.hr_ind.pk).update(norm_text="100 % en 5 jours")
    Measurement.objects.filter(indicator=w.hr_ind).update(value=50)
    # a node owned in an organization the owner is not a member of: not theirs to see
    theirs = Person.objects.create(organization=w.other_org, name="Owen", user=w.owner)
    w.other_node.owners.add(theirs)
    r = api_as(w.owner).get("/me/reminders", {"as_of": "2024-03-01"})
    assert r.status_code == 200, r.content
    kinds = {(x["kind"], x["node_code"], x["indicator_name"]) for x in r.json()}
    assert kinds == {("overdue", "1.2", None), ("no_update", "1.2", None),
                     ("off_target", "1.2", "Agents formés")}
    assert all(x["plan"] == w.plan.pk and x["plan_title"] == "PST Amay" for x in r.json())
    assert api_as(w.reader).get("/me/reminders").json() == []
    assert api_as().get("/me/reminders").status_code == 401
