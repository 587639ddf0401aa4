"""Full-text search: French accents and plurals, every word required, results in the plan only."""

import pytest
from django.urls import reverse

from jalon.tracking.services import post_update
from jalon.web.search import Document, fold, query_terms, search, stem


@pytest.mark.parametrize(("a", "b"), [
    ("reseau", "réseau"), ("réseaux", "réseau"), ("formations", "formation"),
    ("sociales", "social"), ("sociaux", "social"), ("rénovée", "rénover"),
    ("personnelle", "personnel"), ("Œuvres", "oeuvre"), ("ACCUEIL", "accueil"),
])
def test_words_that_differ_by_accents_plurals_or_gender_match(a, b):
    assert stem(fold(a)) == stem(fold(b))


def test_stop_words_are_dropped_unless_nothing_else_is_left():
    assert query_terms("la formation des agents") == ["formation", "agent"]
    assert query_terms("de la") == ["de", "la"]


def doc(key, **parts):
    d = Document(key)
    for part, text in parts.items():
        d.add(part, text)
    return d


def test_every_word_of_the_query_must_match():
    docs = [doc(1, title="Formations du personnel au réseau"), doc(2, title="Réseau de chaleur")]
    assert [h.key for h in search(docs, "reseau formation")] == [1]
    assert [h.key for h in search(docs, "réseaux")] == [1, 2]


def test_a_word_start_of_four_letters_matches():
    assert [h.key for h in search([doc(1, title="Rénovation du bâtiment")], "renov")] == [1]
    assert search([doc(1, title="Rénovation")], "ren") == []


def test_title_matches_rank_above_journal_matches_and_show_the_journal_text():
    docs = [doc(1, title="Accueil", journal="Le réseau est en panne"),
            doc(2, title="Réseau informatique")]
    hits = search(docs, "reseau")
    assert [h.key for h in hits] == [2, 1]
    assert hits[1].where == ["journal"] and hits[1].snippet == "Le réseau est en panne"


def explore(client, w, q, **params):
    response = client.get(reverse("plan_explorer", args=[w.plan.pk]), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_reseau_finds_reseau_with_an_accent_in_the_journal(client, followed):
    client.force_login(followed.reader)
    page = explore(client, followed, "reseau")
    assert "1 élément trouvé" in page
    assert "Rénover l&#x27;accueil" in page and "Le réseau informatique" in page


def test_formations_finds_formation_in_a_title(client, followed):
    w = followed
    w.hr_action.title = "Plan de formation du personnel"
    w.hr_action.save()
    client.force_login(w.reader)
    page = explore(client, w, "formations")
    assert "Plan de formation du personnel" in page and "1 élément trouvé" in page


def test_descriptions_and_comments_are_searched(client, followed):
    w = followed
    w.root.description = "Un guichet unique pour les bénéficiaires"
    w.root.save()
    client.force_login(w.reader)
    assert "Servir la population" in explore(client, w, "beneficiaire")


def test_a_new_journal_entry_is_found_at_once(client, followed):
    w = followed
    post_update(w.hr_action, by=w.owner, text="Marché public attribué à l'opérateur")
    client.force_login(w.reader)
    assert "Former le personnel" in explore(client, w, "operateur")


def test_search_never_reaches_another_plan(client, followed):
    w = followed
    w.other_node.title = "Réseau de Bree"
    w.other_node.save()
    client.force_login(w.reader)
    page = explore(client, w, "bree")
    assert "Réseau de Bree" not in page and "Aucun élément ne correspond" in page


def test_search_combines_with_filters(client, followed):
    w = followed
    client.force_login(w.reader)
    assert "Aucun élément ne correspond" in explore(client, w, "reseau", department=w.rh.pk)
    assert "1 élément trouvé" in explore(client, w, "reseau", department=w.social.pk)
