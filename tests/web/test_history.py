"""The change history speaks the interface's language: labels and values as the pages show
them, Belgian dates and numbers, names instead of ids, no bookkeeping fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from jalon.plans.models import Node, Person
from jalon.plans.services import move_node, update_node
from jalon.tracking.models import Indicator
from jalon.tracking.services import post_update
from jalon.web.history import history_for


@pytest.fixture(autouse=True)
def french():
    """French messages whatever an earlier test left active, and nothing left behind."""
    with translation.override("fr"):
        yield


def history_html(client, node) -> str:
    page = client.get(reverse("node_detail", args=[node.pk])).content.decode()
    return page.split('id="h-history"')[1].split("</section>")[0]


def changed(changes) -> dict[str, tuple[str, str]]:
    return {label: (before, after) for c in changes for label, before, after in c.fields}


def test_values_are_those_the_pages_print(client, world):
    w = world
    update_node(w.action, {"status": "in_progress", "progress": Decimal("40"),
                           "fte": Decimal("2.50"), "deadline_text": "31/12/2026",
                           "volet": "externe", "partners": ["FOREM", "ONE"]}, by=w.editor)
    client.force_login(w.reader)
    html = history_html(client, w.action)
    for text in ("Statut : « Pas commencé » → « En cours »",
                 "Avancement (%) : « — » → « 40 % »",
                 "ETP : « — » → « 2,5 »",
                 "Fin : « — » → « 31/12/2026 »",
                 "Volet : « — » → « externe »",
                 "Partenaires : « — » → « FOREM, ONE »"):
        assert text.replace("'", "&#x27;") in html, text
    for internal in ("not_started", "in_progress", "40.00", "2026-12-31", "Version",
                     "version", "Précision des dates", "['FOREM'"):
        assert internal not in html, internal


def test_parents_people_and_the_author_are_named(client, world):
    w = world
    w.editor.first_name, w.editor.last_name = "Éva", "Dupont"
    w.editor.save()
    other = Node.objects.create(plan=w.plan, code="2", title="Gérer durablement", position=1)
    move_node(w.action, other, by=w.editor)
    anne = Person.objects.create(organization=w.org, name="Anne Chef", user=w.owner)
    update_node(w.action, {"owners": [anne]}, by=w.owner)
    changes = history_for(Node.objects.get(pk=w.action.pk), w.reader)
    assert changes[0].who == "Anne Chef"  # her person record names the login «owner»
    assert changes[1].who == "Éva Dupont"
    fields = changed(changes)
    assert fields["Responsables"] == ("—", "Anne Chef")
    assert fields["Élément parent"] == ("1 Servir la population", "2 Gérer durablement")
    assert not any(label in fields for label in ("Position", "Depth", "Version", "depth"))


def test_a_change_of_bookkeeping_only_is_not_listed(world):
    w = world
    hr = Node.objects.get(pk=w.hr_action.pk)
    before = len(history_for(hr, w.reader))
    move_node(w.action, w.root, 1, by=w.editor)  # «1.2» only changes position
    assert len(history_for(Node.objects.get(pk=w.hr_action.pk), w.reader)) == before


def test_indicator_frequencies_and_money_read_as_labels(world):
    from jalon.tracking.models import BudgetLine

    w = world
    ind = Indicator.objects.create(node=w.action, name="Délai", frequency="yearly")
    ind.frequency, ind.baseline_date = "monthly", dt.date(2026, 12, 31)
    ind.save()
    fields = changed(history_for(ind, w.site_admin))
    assert fields["Fréquence"] == ("annuelle", "mensuelle")
    assert fields["Date de référence"] == ("—", "31/12/2026")
    line = BudgetLine.objects.create(node=w.action, year=2026, planned=Decimal("1000"))
    line.spent = Decimal("1234.56")
    line.save()
    assert changed(history_for(line, w.site_admin))["Dépensé"] == ("0 €", "1.234,56 €")


@override_settings(LANGUAGE_CODE="en")
def test_it_is_translated(client, world):
    w = world
    post_update(w.action, progress=40, status="in_progress", by=w.editor)
    with translation.override("en"):
        fields = changed(history_for(Node.objects.get(pk=w.action.pk), w.reader))
        assert fields["Status"] == ("Not started", "In progress")
    client.force_login(w.reader)
    html = client.get(reverse("node_detail", args=[w.action.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Status: “Not started” → “In progress”" in html
    with translation.override("nl"):
        fields = changed(history_for(Node.objects.get(pk=w.action.pk), w.reader))
        assert "Status" in fields and fields["Status"][1] == "Lopend"


def test_the_sheet_shows_the_values_a_bulk_upload_and_a_single_write_replaced(client, world):
    from jalon.tracking.services import import_measurements, record_measurement

    w = world
    ind = Indicator.objects.create(node=w.action, name="Dossiers traités", frequency="monthly")
    first = [(2, {"indicator_id": str(ind.pk), "period": "2020-01", "value": "12"}),
             (3, {"indicator_id": str(ind.pk), "period": "2020-02", "value": "14",
                  "dim:bureau": "Liège"})]
    import_measurements(w.plan, first, by=w.editor, filename="janvier.csv")
    client.force_login(w.reader)
    page = client.get(reverse("node_detail", args=[w.action.pk])).content.decode()
    assert "valeur remplacée" not in page and "valeurs remplacées" not in page
    fix = [(2, {"indicator_id": str(ind.pk), "period": "2020-01", "value": "13,5"}),
           (3, {"indicator_id": str(ind.pk), "period": "2020-02", "value": "n.d.",
                "dim:bureau": "Liège"})]
    import_measurements(w.plan, fix, by=w.org_admin, filename="correctif.csv")
    import_measurements(w.plan, fix, by=w.org_admin, filename="correctif.csv")  # same again
    record_measurement(ind, "2020-01", 15, by=w.editor)
    page = client.get(reverse("node_detail", args=[w.action.pk])).content.decode()
    table = page.split('class="value-changes"')[1].split("</details>")[0]
    assert "3 valeurs remplacées" in table
    rows = [r for r in table.split("<tr>")[2:]]
    assert "janvier 2020" in rows[0] and "13,50" in rows[0] and "15,00" in rows[0]  # newest first
    assert "saisie" in rows[0] and "editor" in rows[0]
    by_period = {("Liège" in r): r for r in rows[1:]}
    assert "12,00" in by_period[False] and "13,50" in by_period[False]
    assert "correctif.csv" in by_period[False] and "orgadmin" in by_period[False]
    assert "14,00" in by_period[True] and "non disponible" in by_period[True]
