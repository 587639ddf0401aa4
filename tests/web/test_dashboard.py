"""The plan dashboard: what a director sees on one page, and what a department head sees."""

from decimal import Decimal

from django.urls import reverse
from web_samples import query_counts

from jalon.plans.models import Node
from jalon.tracking.services import post_update


def dashboard(client, w, **params):
    response = client.get(reverse("plan_dashboard", args=[w.plan.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_each_objective_rolled_up_with_its_rule_and_inputs(client, followed):
    client.force_login(followed.reader)
    page = dashboard(client, followed)
    assert "Moyenne simple" in page
    objectives = page[page.index("Avancement par objectif"):page.index('id="h-status"')]
    assert "Servir la population" in objectives and "60 %" in objectives  # (40 + 80) / 2
    assert "1.1</span> : 40 %" in objectives and "1.2</span> : 80 %" in objectives


def test_weighted_rule_normalises_weights_and_lists_exclusions(client, followed):
    w = followed
    w.plan.rollup_rule = "weighted"
    w.plan.save()
    Node.objects.filter(pk=w.action.pk).update(weight=3)  # 1.2 has no weight: counts 1
    stopped = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=5, code="1.5",
                                  title="Abandonné", status="stopped", progress=0)
    assert stopped
    client.force_login(w.reader)
    page = dashboard(client, w)
    assert "Moyenne pondérée" in page
    assert "50 %" in page  # 40 × 0.75 + 80 × 0.25
    assert "poids 75 %" in page and "poids 25 %" in page
    assert "1.5</span> : exclu (arrêté)" in page


def test_an_item_without_progress_is_said_to_count_zero_in_each_language(client, followed):
    """An item with no progress counts 0 %, and the dashboard says so in the reader's
    language."""
    w = followed
    Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=6, code="1.6",
                        title="Pas encore lancé", status="planned")
    client.force_login(w.reader)
    for accept, words in (("fr", " : 0 % (pas commencé)"), ("nl", ": 0 % (niet gestart)"),
                          ("en", ": 0% (not started)")):
        response = client.get(reverse("plan_dashboard", args=[w.plan.pk]),
                              HTTP_ACCEPT_LANGUAGE=accept)
        assert f"1.6</span>{words}" in response.content.decode()


def test_it_lists_overdue_and_at_risk_items(client, followed):
    client.force_login(followed.reader)
    page = dashboard(client, followed)
    overdue = page[page.index('id="h-overdue"'):page.index('id="h-risk"')]
    risk = page[page.index('id="h-risk"'):page.index('id="h-indicators"')]
    assert "Former le personnel" in overdue and "Rénover" not in overdue
    assert ">20<" in overdue  # days late
    assert "Rénover" in risk and "Former" not in risk


def test_it_counts_statuses_shown_at_every_level_and_health_of_actions(client, followed):
    """1.1 recorded «not started» with 40 % shows in progress; 1.2 past its deadline is late;
    the objective, whose actions are under way, is in progress: the late row of the table
    and the late list agree."""
    client.force_login(followed.reader)
    page = dashboard(client, followed)
    assert "Sur 3 éléments du périmètre" in page and "Sur 2 actions" in page
    status = page[page.index('id="h-status"'):page.index('id="h-health"')]
    assert 'Pas commencé</span></th><td class="num">0<' in status
    assert 'En cours</span></th><td class="num">2<' in status
    assert 'En retard</span></th><td class="num">1<' in status
    assert 'id="late-count">(1)<' in page


def test_it_lists_indicators_off_target(client, followed):
    client.force_login(followed.reader)
    page = dashboard(client, followed)
    section = page[page.index('id="h-indicators"'):page.index('id="h-budget"')]
    assert "Délai moyen d&#x27;attente" in section
    assert "18,00" in section and "15,00" in section and "manqué" in section


def test_it_compares_budget_planned_and_spent_in_belgian_format(client, followed):
    client.force_login(followed.reader)
    page = dashboard(client, followed)
    section = page[page.index('id="h-budget"'):]
    assert "27.000 €" in section  # planned 10.000 + 5.000 + 12.000
    assert "12.500,50 €" in section  # spent 6.000 + 5.000 + 1.500,50
    assert "<svg" in section and "<table" in section  # the chart has its table


def test_filtering_by_department_keeps_only_its_items(client, followed):
    w = followed
    client.force_login(w.reader)
    page = dashboard(client, w, department=w.rh.pk)
    assert "Tableau de bord · RH" in page
    objectives = page[page.index("Avancement par objectif"):page.index('id="h-status"')]
    assert "80 %" in objectives and "1.1</span>" not in objectives
    risk = page[page.index('id="h-risk"'):page.index('id="h-indicators"')]
    assert "Rénover" not in risk
    budget = page[page.index('id="h-budget"'):]
    assert "5.000 €" in budget and "27.000 €" not in budget


def test_a_department_covers_the_items_under_its_objectives(client, followed):
    w = followed
    w.root.departments.add(w.rh)
    client.force_login(w.reader)
    page = dashboard(client, w, department=w.rh.pk)
    assert "Rénover" in page  # 1.1 sits under an objective given to RH


def test_a_progress_update_changes_the_dashboard(client, followed):
    w = followed
    post_update(w.action, by=w.editor, progress=Decimal(100), status="done")
    client.force_login(w.reader)
    page = dashboard(client, w)
    objectives = page[page.index("Avancement par objectif"):page.index('id="h-status"')]
    assert "90 %" in objectives  # (100 + 80) / 2


def test_it_is_hidden_from_another_organization(client, followed):
    client.force_login(followed.outsider)
    response = client.get(reverse("plan_dashboard", args=[followed.plan.pk]))
    assert response.status_code == 404


def test_it_takes_the_same_queries_for_50_and_2000_nodes(client, db):
    # session + user + plan + departments + nodes (1 + owners, departments, mandataires)
    # + indicators + targets + budget lines: none per node
    counts = query_counts(client, lambda plan, user: reverse("plan_dashboard", args=[plan.pk]))
    assert counts[0] == counts[1], counts


def test_invented_demo_data_is_announced(client, followed):
    from jalon.demo.followup import INVENTED
    from jalon.tracking.models import ProgressUpdate
    from jalon.tracking.services import record_measurement

    w = followed
    client.force_login(w.reader)
    assert "données inventées" not in dashboard(client, w)
    ProgressUpdate.objects.create(node=w.action, date=w.action.end_date, demo=True, text="x")
    record_measurement(w.indicator, "2022", 30, source=INVENTED)
    page = dashboard(client, w)
    assert "données inventées (mises à jour du journal : 1 ; mesures d'indicateurs : 1)" in page
