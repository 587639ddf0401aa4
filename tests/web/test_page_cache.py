"""The plan pages' bodies are cached per plan revision and per viewer (web.fragments): a write
shows at once, a reader never gets an editor's controls, an outsider never gets a member's
hidden fields, and each user gets their own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from web_samples import query_counts

from jalon.plans.models import Node
from jalon.plans.services import update_node
from jalon.web.fragments import CSRF_PLACEHOLDER

PAGES = ("plan_detail", "plan_dashboard", "plan_explorer", "plan_timeline")


def signed_in(user, **kw) -> Client:
    client = Client(**kw)
    client.force_login(user)
    return client


def page(client, name, *args, query="") -> str:
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_an_edit_shows_at_once_on_every_plan_page(followed, name):
    w = followed
    editor = signed_in(w.editor)
    assert "Rénover l'accueil" in page(editor, name, w.plan.pk).replace("&#x27;", "'")
    page(editor, name, w.plan.pk)  # served from the cache now
    update_node(w.action, {"title": "Accueil rénové en 2025"}, by=w.editor)
    html = page(editor, name, w.plan.pk)
    assert "Accueil rénové en 2025" in html
    assert "Rénover l&#x27;accueil" not in html


@pytest.mark.django_db
def test_a_journal_entry_shows_on_the_sheet_reloaded(followed):
    w = followed
    editor = signed_in(w.editor)
    url = reverse("node_detail", args=[w.action.pk])
    assert "Le guichet rouvre lundi" not in editor.get(url).content.decode()
    response = editor.post(reverse("node_progress", args=[w.action.pk]),
                           {"status": Node.Status.IN_PROGRESS, "health": "on_track",
                            "progress": "55", "text": "Le guichet rouvre lundi."})
    assert response.status_code == 302
    html = editor.get(url).content.decode()
    assert "Le guichet rouvre lundi." in html
    assert "55 %" in html


@pytest.mark.django_db
def test_a_reader_after_an_editor_gets_no_edit_controls(followed):
    w = followed
    tree = page(signed_in(w.editor), "plan_detail", w.plan.pk)
    assert reverse("plan_edit", args=[w.plan.pk]) in tree
    sheet = page(signed_in(w.editor), "node_detail", w.action.pk)
    assert 'id="progress-form"' in sheet and "Modifier toute la fiche" in sheet

    reader = signed_in(w.reader)
    assert reverse("plan_edit", args=[w.plan.pk]) not in page(reader, "plan_detail", w.plan.pk)
    sheet = page(reader, "node_detail", w.action.pk)
    assert 'id="progress-form"' not in sheet
    assert "Modifier toute la fiche" not in sheet
    assert reverse("node_field", args=[w.action.pk, "description"]) not in sheet
    # and the other way round: the reader's body is not served to the editor
    assert 'id="progress-form"' in page(signed_in(w.editor), "node_detail", w.action.pk)


@pytest.mark.django_db
def test_a_department_editor_sees_edit_controls_only_on_their_departments_sheets(followed):
    w = followed
    dept = signed_in(w.dept_editor)  # Service social: 1.1, not 1.2 (RH)
    assert 'id="progress-form"' in page(dept, "node_detail", w.action.pk)
    assert 'id="progress-form"' in page(signed_in(w.editor), "node_detail", w.hr_action.pk)
    assert 'id="progress-form"' not in page(dept, "node_detail", w.hr_action.pk)


@pytest.mark.django_db
def test_an_outsider_after_a_member_does_not_get_the_hidden_fields(followed):
    w = followed
    w.plan.published = True
    w.plan.hidden_fields = ["budget", "indicators"]
    w.plan.save()
    member = signed_in(w.reader)
    assert "budget-table" in page(member, "plan_dashboard", w.plan.pk)
    assert "Délai moyen d&#x27;attente" in page(member, "node_detail", w.action.pk)
    # the journal's authors are for members only
    assert "editor" in page(member, "node_detail", w.action.pk)

    outsider = signed_in(w.outsider)
    dashboard = page(outsider, "plan_dashboard", w.plan.pk)
    assert "budget-table" not in dashboard
    sheet = page(outsider, "node_detail", w.action.pk)
    assert "Délai moyen d&#x27;attente" not in sheet
    assert "10.000,00" not in sheet
    assert not re.search(r"·\s*editor\b", sheet)
    anonymous = Client()
    assert "budget-table" not in page(anonymous, "plan_dashboard", w.plan.pk)
    # the member still gets everything afterwards
    assert "budget-table" in page(member, "plan_dashboard", w.plan.pk)


@pytest.mark.django_db
def test_who_replaced_an_indicator_value_is_for_members_only(followed):
    """The sheet's «valeurs remplacées» name who wrote each value: like the journal's authors,
    members see them, an outsider or an anonymous visitor of the published plan does not."""
    from jalon.tracking.services import record_measurement

    w = followed
    w.plan.published = True
    w.plan.save()
    record_measurement(w.indicator, "2024", 17, by=w.editor)  # replaces 18
    assert 'class="value-changes"' in page(signed_in(w.reader), "node_detail", w.action.pk)
    for visitor in (signed_in(w.outsider), Client()):
        sheet = page(visitor, "node_detail", w.action.pk)
        assert 'class="value-changes"' not in sheet and not re.search(r">editor<", sheet)


@pytest.mark.django_db
def test_unknown_query_parameters_make_no_cache_entry_and_no_link(followed):
    """Only the parameters a page reads key its cached body: ``?x=1``, ``?x=2``… reuse the same
    entry (nobody can fill the cache at will) and are not copied into the body's links."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = followed
    reader = signed_in(w.reader)
    page(reader, "plan_explorer", w.plan.pk, query="?q=guichet")
    with CaptureQueriesContext(connection) as counted:
        html = page(reader, "plan_explorer", w.plan.pk, query="?q=guichet&x=zz-intrus")
    assert len(counted) == 3, "the cached body: session, user, plan"
    # only the language form's «next» (this request's own path) names it
    assert html.count("zz-intrus") == 1 and re.search(r'name="next"[^>]*zz-intrus', html)
    with CaptureQueriesContext(connection) as counted:
        page(reader, "plan_explorer", w.plan.pk, query="?q=accueil&x=zz-intrus")
    assert len(counted) > 3, "a parameter the page reads makes its own body"


@pytest.mark.django_db
def test_each_user_gets_their_own_csrf_token_in_a_cached_sheet(followed):
    w = followed
    tokens = []
    for user in (w.editor, w.org_admin):
        client = signed_in(user, enforce_csrf_checks=True)
        html = page(client, "node_detail", w.action.pk)
        assert CSRF_PLACEHOLDER not in html
        token = re.search(r'id="progress-form".*?name="csrfmiddlewaretoken" value="([^"]+)"',
                          html, re.S).group(1)
        tokens.append(token)
        response = client.post(reverse("node_progress", args=[w.action.pk]),
                               {"csrfmiddlewaretoken": token, "status": "in_progress",
                                "health": "", "progress": "41", "text": ""})
        assert response.status_code == 302, response.status_code  # the token is theirs
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_the_filters_and_the_language_have_their_own_bodies(followed, client):
    w = followed
    client.force_login(w.reader)
    everything = page(client, "plan_explorer", w.plan.pk)
    assert "Former le personnel" in everything
    found = page(client, "plan_explorer", w.plan.pk, query="?q=accueil")
    assert "Former le personnel" not in found and "Rénover" in found
    client.cookies["django_language"] = "nl"
    dutch = page(client, "plan_explorer", w.plan.pk, query="?q=accueil")
    assert "Resultaten" in dutch and "Résultats" in found


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PAGES, "node_detail"])
def test_a_cached_page_takes_a_few_queries_whatever_the_plan_size(client, name):
    def url(plan, user):
        if name == "node_detail":
            return reverse(name, args=[plan.nodes.filter(depth=1).first().pk])
        return reverse(name, args=[plan.pk]) + ("?q=reseau" if name == "plan_explorer" else "")

    cold = query_counts(client, url, sizes=(20, 400))
    warm = query_counts(client, url, sizes=(21, 401), again=True)
    assert cold[0] == cold[1] and warm[0] == warm[1], (cold, warm)
    # session, user with their memberships (one query: accounts.backends), the plan; on the
    # sheet, the node's owners (is this owner one of them?)
    expected = {"node_detail": 4}.get(name, 3)
    assert warm[0] == expected < cold[0], (cold, warm)


@pytest.mark.django_db
def test_a_deleted_department_leaves_the_cached_tree(followed):
    w = followed
    reader = signed_in(w.reader)
    assert "Service social" in page(reader, "plan_detail", w.plan.pk)
    w.social.delete()
    assert "Service social" not in page(reader, "plan_detail", w.plan.pk)


@pytest.mark.django_db
def test_an_outsider_after_a_member_gets_no_author_nor_history_of_a_plan_hiding_nothing(followed):
    w = followed
    w.plan.published = True
    w.plan.save()
    sheet = page(signed_in(w.reader), "node_detail", w.action.pk)
    assert re.search(r"·\s*editor\b", sheet) and 'id="h-history"' in sheet
    sheet = page(signed_in(w.outsider), "node_detail", w.action.pk)
    assert not re.search(r"·\s*editor\b", sheet) and 'id="h-history"' not in sheet


@pytest.mark.django_db
def test_a_membership_removed_or_a_sign_out_shows_on_the_next_request(followed):
    """The user's memberships are read with the user on every request (accounts.backends), never
    kept between requests; signing out ends the session."""
    from jalon.accounts.models import Membership
    from jalon.plans.models import Plan

    w = followed
    Plan.objects.filter(pk=w.plan.pk).update(published=False)
    editor = signed_in(w.editor)
    url = reverse("plan_detail", args=[w.plan.pk])
    assert editor.get(url).status_code == 200
    assert editor.get(url).status_code == 200  # served from the cache
    Membership.objects.filter(user=w.editor).delete()
    assert editor.get(url).status_code == 404

    reader = signed_in(w.reader)
    assert reader.get(url).status_code == 200
    assert reader.post(reverse("logout")).status_code == 302
    assert reader.get(url).status_code != 200  # no longer signed in

    # a session that has expired is not read (accounts.sessions: the same check as Django's)
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    owner = signed_in(w.owner)
    assert owner.get(url).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert owner.get(url).status_code != 200


@pytest.mark.django_db
def test_the_page_around_a_cached_body_is_the_requesters(followed):
    """The shell (web.fragments._shell) is rendered once; the name, the path and the messages are
    each request's own, escaped."""
    from django.contrib.auth.models import User

    w = followed
    User.objects.filter(pk=w.reader.pk).update(username="<b>lecteur</b>")
    reader = signed_in(w.reader)
    html = page(reader, "plan_timeline", w.plan.pk, query="?x='a&y=1")
    html = page(reader, "plan_timeline", w.plan.pk, query="?x='a&y=1")
    assert "&lt;b&gt;lecteur&lt;/b&gt;" in html and "<b>lecteur" not in html
    # the path (the language form's «next») is this request's, escaped: a raw «'» survives
    # get_full_path, so an unescaped path would end the attribute
    assert "?x=&#x27;a&amp;y=1" in html and "?x='a" not in html
    editor = signed_in(w.editor)
    assert "<b>lecteur" not in page(editor, "plan_timeline", w.plan.pk, query="?x=%22%3E%3Cscript%3E")
    # a message left by a write is shown once, on the cached page
    editor.post(reverse("node_progress", args=[w.action.pk]),
                {"status": "in_progress", "health": "", "progress": "41", "text": "Fait."})
    after = editor.get(reverse("plan_timeline", args=[w.plan.pk]))
    assert 'class="messages"' in after.content.decode()
    assert 'class="messages"' not in page(editor, "plan_timeline", w.plan.pk)
