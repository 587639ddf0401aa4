"""The action sheet: every field, the journal, indicators with their chart and table, budget,
risks, links, children with the roll-up, and the change history."""

import re

from django.urls import reverse
from web_samples import query_counts

from jalon.plans.models import MoneyLine, Node, NodeLink
from jalon.plans.services import update_node
from jalon.tracking.models import Indicator


def sheet(client, node) -> str:
    response = client.get(reverse("node_detail", args=[node.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_every_field(client, followed):
    w = followed
    a = w.action
    a.description, a.partners, a.steering = "Un guichet unique", ["FOREM"], ["Comité"]
    a.risks, a.deliverables = ["Retard du marché"], ["Plan du guichet"]
    a.tags, a.sdgs, a.volet, a.priority, a.fte = ["accueil"], [11], "externe", 2, "1.5"
    a.funding, a.comment, a.code_as_printed = "Fonds propres", "À suivre", "I.1"
    a.save()
    MoneyLine.objects.create(node=a, amount=600000, year=2024)
    client.force_login(w.reader)
    page = sheet(client, a)
    for text in ("Un guichet unique", "FOREM", "Comité", "Retard du marché", "Plan du guichet",
                 "accueil", "11", "externe", "1,50", "Fonds propres", "À suivre", "I.1",
                 "600.000 €", "Service social", "dans 10 jours"):
        assert text in page, text


def test_the_header_shows_status_health_and_progress(client, followed):
    client.force_login(followed.reader)
    header = sheet(client, followed.action).split('id="sheet-header"')[1].split("</div>")[0]
    assert "Pas commencé" in header and "À risque" in header and "40 %" in header


def test_the_journal_lists_updates_newest_first_with_their_author(client, followed):
    w = followed
    from jalon.tracking.services import post_update
    post_update(w.action, by=w.editor, text="Devis reçus")
    client.force_login(w.reader)
    journal = sheet(client, w.action).split('id="journal"')[1].split("</section>")[0]
    assert journal.index("Devis reçus") < journal.index("Le réseau informatique")
    assert "editor" in journal


def test_indicators_have_a_chart_and_the_same_figures_in_a_table(client, followed):
    client.force_login(followed.reader)
    page = sheet(client, followed.action)
    block = page.split(f'id="indicator-{followed.indicator.pk}"')[1].split("</article>")[0]
    assert '<svg class="chart"' in block and 'aria-hidden="true"' in block
    assert re.search(r'<polyline class="c-value" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"', block)
    assert '<polyline class="c-target"' in block
    table = block.split("<table")[1]
    assert "2023" in table and "25,00" in table and "20,00" in table  # value and target
    assert "2024" in table and "18,00" in table and "15,00" in table
    assert "manqué" in table  # the direction is «down»: 18 minutes miss a 15-minute target
    assert "« 15 minutes »" in block


def test_an_indicator_without_values_says_so(client, followed):
    Indicator.objects.create(node=followed.hr_action, name="Taux de formation")
    client.force_login(followed.reader)
    page = sheet(client, followed.hr_action)
    assert "Taux de formation" in page and "Aucune valeur mesurée." in page


def test_budget_lines_per_year_with_totals(client, followed):
    client.force_login(followed.reader)
    budget = sheet(client, followed.action).split('id="h-budget"')[1].split("</section>")[0]
    assert "10.000 €" in budget and "8.000 €" in budget and "6.000 €" in budget
    assert "22.000 €" in budget and "7.500,50 €" in budget  # totals


def test_links_are_shown_both_ways(client, followed):
    w = followed
    NodeLink.objects.create(source=w.action, target=w.hr_action, kind="depends")
    client.force_login(w.reader)
    assert "dépend de" in sheet(client, w.action) and "Former le personnel" in sheet(
        client, w.action)
    assert "Rénover l&#x27;accueil" in sheet(client, w.hr_action)


def test_a_parent_shows_its_children_and_its_rolled_up_progress(client, followed):
    client.force_login(followed.reader)
    page = sheet(client, followed.root)
    children = page.split('id="rollup"')[1].split("</section>")[0]
    assert "Moyenne simple" in children and "60 %" in children
    assert "Rénover l&#x27;accueil" in children and "Former le personnel" in children


def test_the_change_history_is_shown_to_members(client, followed):
    update_node(followed.action, {"title": "Rénover l'accueil du public"}, by=followed.editor)
    client.force_login(followed.reader)
    page = sheet(client, followed.action)
    assert "Historique des modifications" in page and "editor" in page


def test_a_reader_gets_no_edit_controls(client, followed):
    client.force_login(followed.reader)
    page = sheet(client, followed.action)
    assert 'id="progress-form"' not in page and 'class="edit"' not in page


def test_an_editor_gets_the_progress_form_and_inline_edits(client, followed):
    client.force_login(followed.editor)
    page = sheet(client, followed.action)
    assert 'id="progress-form"' in page
    assert reverse("node_field", args=[followed.action.pk, "comment"]) in page


def test_the_page_keeps_to_the_content_security_policy(client, followed):
    client.force_login(followed.editor)
    for url in (reverse("node_detail", args=[followed.action.pk]),
                reverse("plan_dashboard", args=[followed.plan.pk]),
                reverse("plan_timeline", args=[followed.plan.pk]),
                reverse("plan_explorer", args=[followed.plan.pk]), reverse("home")):
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url  # no inline script
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handler
        assert "/static/jalon/vendor/htmx.min.js" in page


def test_a_published_plan_sheet_is_readable_without_an_account(client, followed):
    followed.plan.published = True
    followed.plan.save()
    page = sheet(client, followed.action)
    assert "Rénover l&#x27;accueil" in page and 'id="progress-form"' not in page


def test_it_takes_the_same_queries_for_50_and_2000_nodes(client, db):
    # session + user with memberships + node (access) + node, its people and departments (one
    # query) and its 8 other prefetches + the plan's skeleton + history: none per node of the plan
    def url(plan, user):
        node = Node.objects.filter(plan=plan, indicators__isnull=False).order_by("pk").first()
        return reverse("node_detail", args=[node.pk])

    counts = query_counts(client, url)
    assert counts[0] == counts[1], counts


def test_history_names_the_people_and_departments_that_changed(client, followed):
    w = followed
    update_node(w.action, {"departments": [w.social, w.rh]}, by=w.editor)
    client.force_login(w.reader)
    history = sheet(client, w.action).split('id="h-history"')[1]
    assert "« Service social » → « RH, Service social »" in history
    assert "{&#x27;node&#x27;" not in history


def test_a_short_series_gets_month_ticks():
    import datetime as dt
    from decimal import Decimal

    from jalon.web.charts import line_chart

    values = [(dt.date(2022, m, 28), Decimal(m)) for m in range(1, 7)]
    chart = line_chart(values, [])
    assert [label for _, label in chart.x_ticks][:2] == ["02/2022", "03/2022"]
    yearly = line_chart([(dt.date(y, 12, 31), Decimal(1)) for y in range(2019, 2025)], [])
    assert [label for _, label in yearly.x_ticks] == [str(y) for y in range(2020, 2025)]
