"""The 30-second progress form and the inline field edits, with and without htmx."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jalon.plans.models import Node
from jalon.plans.services import update_node
from jalon.tracking.models import ProgressUpdate

HTMX = {"HTTP_HX_REQUEST": "true"}


def post_progress(client, node, htmx=False, **data):
    payload = {"status": node.status, "health": "", "progress": "", "text": "", "date": ""}
    payload.update(data)
    return client.post(reverse("node_progress", args=[node.pk]), payload, **(HTMX if htmx else {}))


def test_it_posts_an_update_without_javascript(client, followed):
    w = followed
    client.force_login(w.editor)
    response = post_progress(client, w.action, status="in_progress", health="on_track",
                             progress="55", text="Devis reçus")
    assert response.status_code == 302 and response["Location"].endswith("#journal")
    u = ProgressUpdate.objects.filter(node=w.action).order_by("-created", "-id").first()
    assert (u.author, u.status, u.health, u.progress, u.text) == (
        w.editor, "in_progress", "on_track", Decimal(55), "Devis reçus")
    w.action.refresh_from_db()
    assert w.action.status == "in_progress" and w.action.progress == Decimal(55)
    page = client.get(response["Location"]).content.decode()
    assert "Mise à jour enregistrée." in page and "Devis reçus" in page


def test_with_htmx_it_answers_the_journal_and_refreshes_header_and_form(client, followed):
    w = followed
    client.force_login(w.editor)
    response = post_progress(client, w.action, htmx=True, status="done", progress="100",
                             text="Guichet ouvert")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="journal"')
    assert "Guichet ouvert" in page
    assert 'id="sheet-header" class="sheet-header" hx-swap-oob="true"' in page
    assert "Terminé" in page.split('id="sheet-header"')[1] and "100 %" in page
    assert 'id="progress-form"' in page and "Mise à jour enregistrée." in page
    assert "<html" not in page  # a fragment, not a page


def test_a_past_date_can_be_given(client, followed):
    client.force_login(followed.editor)
    post_progress(client, followed.hr_action, text="Rattrapage", date="2024-01-15")
    assert ProgressUpdate.objects.filter(node=followed.hr_action, text="Rattrapage",
                                         date="2024-01-15").exists()


def test_an_empty_update_is_refused_and_nothing_is_written(client, followed):
    w = followed
    client.force_login(w.editor)
    before = ProgressUpdate.objects.count()
    response = post_progress(client, w.action)
    assert response.status_code == 400 and "Rien à enregistrer" in response.content.decode()
    response = post_progress(client, w.action, htmx=True)
    assert response.status_code == 422 and response["HX-Retarget"] == "#progress-form"
    assert "Rien à enregistrer" in response.content.decode()
    response = post_progress(client, w.action, progress="150")
    assert response.status_code == 400
    assert ProgressUpdate.objects.count() == before


@pytest.mark.parametrize(("role", "node", "expected"), [
    ("owner", "hr_action", 302), ("dept_editor", "action", 302), ("reader", "action", 403),
    ("owner", "action", 403), ("outsider", "action", 404),
])
def test_only_people_who_may_change_the_item_may_post(client, followed, role, node, expected):
    client.force_login(getattr(followed, role))
    response = post_progress(client, getattr(followed, node), text="Point")
    assert response.status_code == expected


def test_anonymous_users_are_sent_to_log_in(client, followed):
    response = post_progress(client, followed.action, text="Point")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ProgressUpdate.objects.filter(text="Point").exists()


# -- inline field edits ----------------------------------------------------------------------

def field_url(node, name):
    return reverse("node_field", args=[node.pk, name])


def test_inline_edit_loads_a_form_with_the_current_version(client, followed):
    client.force_login(followed.editor)
    response = client.get(field_url(followed.action, "comment"), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert f'name="version" value="{followed.action.version}"' in page
    assert 'id="inline-comment"' in page


def test_inline_edit_saves_through_the_service_and_returns_the_value(client, followed):
    w = followed
    client.force_login(w.editor)
    response = client.post(field_url(w.action, "comment"),
                           {"comment": "Réunion le 12", "version": w.action.version}, **HTMX)
    assert response.status_code == 200
    assert "Réunion le 12" in response.content.decode() and "Enregistré." in (
        response.content.decode())
    w.action.refresh_from_db()
    assert w.action.comment == "Réunion le 12"
    assert w.action.history.first().history_user == w.editor


def test_editing_the_title_updates_the_heading_too(client, followed):
    w = followed
    client.force_login(w.editor)
    response = client.post(field_url(w.action, "title"),
                           {"title": "Nouveau guichet", "version": w.action.version}, **HTMX)
    assert '<span id="sheet-title" hx-swap-oob="true">Nouveau guichet</span>' in (
        response.content.decode())


def test_a_printed_date_is_parsed_when_edited(client, followed):
    w = followed
    client.force_login(w.editor)
    response = client.post(field_url(w.action, "end_text"),
                           {"end_text": "juin 2025", "version": w.action.version}, **HTMX)
    assert "juin 2025 (30/06/2025)" in response.content.decode()


def test_a_concurrent_edit_is_refused_and_the_input_is_kept(client, followed):
    w = followed
    client.force_login(w.editor)
    stale = w.action.version
    update_node(w.action, {"comment": "Écrit par quelqu'un d'autre"})
    response = client.post(field_url(w.action, "comment"),
                           {"comment": "Mon texte", "version": stale}, **HTMX)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mon texte" in page  # what the user typed is still in the field
    assert "Écrit par quelqu&#x27;un d&#x27;autre" in page  # and the other value is shown
    assert 'role="alert"' in page
    w.action.refresh_from_db()
    assert w.action.comment == "Écrit par quelqu'un d'autre"
    # the form now carries the current version: saving again is a deliberate overwrite
    response = client.post(field_url(w.action, "comment"),
                           {"comment": "Mon texte", "version": w.action.version}, **HTMX)
    assert response.status_code == 200


def test_inline_edit_works_without_javascript(client, followed):
    w = followed
    client.force_login(w.editor)
    page = client.get(field_url(w.action, "funding")).content.decode()
    assert "<html" in page and 'id="inline-funding"' in page
    response = client.post(field_url(w.action, "funding"),
                           {"funding": "Subside", "version": w.action.version})
    assert response.status_code == 302
    w.action.refresh_from_db()
    assert w.action.funding == "Subside"


def test_cancel_returns_the_value(client, followed):
    client.force_login(followed.editor)
    response = client.get(field_url(followed.action, "end_text") + "?display=1", **HTMX)
    assert "dans 10 jours" in response.content.decode()


def test_only_listed_fields_can_be_edited_inline(client, followed):
    client.force_login(followed.editor)
    assert client.get(field_url(followed.action, "version"), **HTMX).status_code == 404
    assert client.get(field_url(followed.action, "plan"), **HTMX).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("reader", 403), ("outsider", 404),
                                                ("owner", 403)])
def test_inline_edit_needs_the_right_to_change(client, followed, role, expected):
    w = followed
    client.force_login(getattr(w, role))
    response = client.post(field_url(w.action, "comment"),
                           {"comment": "x", "version": w.action.version}, **HTMX)
    assert response.status_code == expected
    assert Node.objects.get(pk=w.action.pk).comment == ""
