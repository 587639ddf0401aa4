"""The tree explorer: each filter narrows the list, and each result shows where it sits."""

import re

import pytest
from django.urls import reverse
from web_samples import days, query_counts

from jalon.plans.models import Node, Person


@pytest.fixture
def explorable(followed):
    w = followed
    w.mayor = Person.objects.create(organization=w.org, name="Madame la Présidente")
    w.action.mandataires.add(w.mayor)
    w.action.tags, w.action.sdgs, w.action.volet = ["accueil", "bâtiment"], [11], "externe"
    w.action.level = "Action"
    w.action.save()
    w.hr_action.tags, w.hr_action.sdgs, w.hr_action.volet = ["personnel"], [4, 8], "interne"
    w.hr_action.level = "Action"
    w.hr_action.save()
    return w


def codes(client, w, **params) -> list[str]:
    response = client.get(reverse("plan_explorer", args=[w.plan.pk]), params)
    assert response.status_code == 200
    page = response.content.decode()
    results = page[page.index('id="results"'):]
    return re.findall(r'class="title" href="/nodes/\d+/"><span class="code">([^<]+)</span>', results)


def test_without_filters_it_lists_the_whole_plan_in_tree_order(client, explorable):
    client.force_login(explorable.reader)
    assert codes(client, explorable) == ["1", "1.1", "1.2"]


def test_the_unfiltered_list_follows_the_tree_depth_first(client, explorable):
    w = explorable
    two = Node.objects.create(plan=w.plan, depth=0, position=5, code="2", title="Deux")
    Node.objects.create(plan=w.plan, parent=two, depth=1, position=0, code="2.1", title="b")
    Node.objects.create(plan=w.plan, parent=w.action, depth=2, position=0, code="1.1.1",
                        title="Sous-tâche")
    client.force_login(w.reader)
    # not by level (1, 2, 1.1, 1.2, 2.1, 1.1.1): each item under its parent
    assert codes(client, w) == ["1", "1.1", "1.1.1", "1.2", "2", "2.1"]
    assert codes(client, w, level="Action") == ["1.1", "1.2", "2.1"]


def test_the_dashboard_lists_cut_at_50_lead_to_the_rest_in_the_explorer(client, explorable):
    w = explorable
    Node.objects.bulk_create(Node(plan=w.plan, parent=w.root, depth=1, position=10 + i,
                                  code=f"1.9.{i:02d}", title=f"Tâche {i}", end_date=days(-5))
                             for i in range(54))
    client.force_login(w.reader)
    page = client.get(reverse("plan_dashboard", args=[w.plan.pk])).content.decode()
    assert "50 premiers sur 55." in page
    link = re.search(r'<a href="([^"]+)">Voir les 55 dans l\'explorateur</a>', page)
    url = link[1].replace("&amp;", "&")
    first = client.get(url).content.decode()
    assert "55 éléments trouvés" in first
    found = codes(client, w, late="on")
    assert len(found) == 55 and found[0] == "1.2" and "1.1" not in found  # 1.1 not yet due


@pytest.mark.parametrize(("params", "expected"), [
    ({"level": "Action"}, ["1.1", "1.2"]),
    # the status shown (tracking.state): 1.1 has 40 % → in progress, its objective follows;
    # 1.2 is past its deadline → late
    ({"status": "in_progress"}, ["1", "1.1"]),
    ({"status": "late"}, ["1.2"]),
    ({"late": "on"}, ["1.2"]),
    ({"health": "risk"}, ["1.1"]),
    ({"health": "at_risk"}, ["1.1"]),
    ({"health": "none"}, ["1"]),
    ({"tag": "personnel"}, ["1.2"]),
    ({"sdg": "11"}, ["1.1"]),
    ({"volet": "interne"}, ["1.2"]),
    ({"due_from": days(0).isoformat()}, ["1.1"]),
    ({"due_to": days(0).isoformat()}, ["1.2"]),
    ({"due_from": days(-30).isoformat(), "due_to": days(30).isoformat()}, ["1.1", "1.2"]),
])
def test_each_filter_narrows_the_list(client, explorable, params, expected):
    client.force_login(explorable.reader)
    assert codes(client, explorable, **params) == expected


def test_filters_by_department_owner_and_mandataire(client, explorable):
    w = explorable
    client.force_login(w.reader)
    assert codes(client, w, department=w.rh.pk) == ["1.2"]
    owner = Person.objects.get(user=w.owner)
    assert codes(client, w, owner=owner.pk) == ["1.2"]
    assert codes(client, w, mandataire=w.mayor.pk) == ["1.1"]


def test_filters_combine(client, explorable):
    client.force_login(explorable.reader)
    assert codes(client, explorable, level="Action", volet="externe") == ["1.1"]
    assert codes(client, explorable, status="done", level="Action") == []


def test_each_result_shows_its_path_in_the_tree(client, explorable):
    w = explorable
    grandchild = Node.objects.create(plan=w.plan, parent=w.action, depth=2, code="1.1.1",
                                     title="Choisir l'architecte")
    assert grandchild
    client.force_login(w.reader)
    page = client.get(reverse("plan_explorer", args=[w.plan.pk]), {"q": "architecte"})
    html = page.content.decode()
    path = html[html.index('class="path"'):html.index('class="title"')]
    assert path.index("Servir la population") < path.index("Rénover l&#x27;accueil")


def test_an_unknown_filter_value_is_ignored_not_an_error(client, explorable):
    client.force_login(explorable.reader)
    assert codes(client, explorable, status="nonsense", department="abc") == ["1", "1.1", "1.2"]


def test_choices_come_from_the_plan(client, explorable):
    client.force_login(explorable.reader)
    page = client.get(reverse("plan_explorer", args=[explorable.plan.pk])).content.decode()
    assert '<option value="bâtiment">' in page and '<option value="11">ODD 11</option>' in page
    assert "Madame la Présidente" in page


def test_long_results_are_paged(client, explorable):
    w = explorable
    Node.objects.bulk_create(Node(plan=w.plan, parent=w.root, depth=1, position=10 + i,
                                  code=f"1.9.{i}", title=f"Tâche {i}") for i in range(120))
    client.force_login(w.reader)
    first = codes(client, w)
    assert len(first) == 100
    second = codes(client, w, page=2)
    assert len(second) == 23 and not set(first) & set(second)


def test_it_is_hidden_from_another_organization(client, explorable):
    client.force_login(explorable.outsider)
    assert client.get(reverse("plan_explorer", args=[explorable.plan.pk])).status_code == 404


def test_it_takes_the_same_queries_for_50_and_2000_nodes(client, db):
    # session + user + plan + nodes (1 + 3 prefetches) + departments + people + journal texts
    def url(plan, user):
        return reverse("plan_explorer", args=[plan.pk]) + "?q=reseaux+formation&level=Action"

    counts = query_counts(client, url)
    assert counts[0] == counts[1], counts
