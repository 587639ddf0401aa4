"""How callers authenticate: bearer tokens, the browser session with CSRF, or nobody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jalon.accounts.models import ApiToken
from jalon.plans.models import Node

API = "/api/v1"


@pytest.fixture
def token(world):
    """An API token of the plan editor: (ApiToken, raw value)."""
    return ApiToken.issue(world.editor, "script")


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_authenticates_a_machine(world, token, django_assert_num_queries):
    _, raw = token
    client = Client()
    # 1 token with its user, 2 last_used, 3 plan scoped, 4 nodes, 5 the link tables (no count:
    # the page is not full)
    with django_assert_num_queries(5):
        r = client.get(f"{API}/plans/{world.plan.pk}/nodes", headers=bearer(raw))
    assert r.status_code == 200
    assert r.json()["count"] == 3


def test_a_token_writes_with_no_csrf_and_is_the_audit_user(world, token):
    _, raw = token
    client = Client(enforce_csrf_checks=True)
    r = client.patch(f"{API}/nodes/{world.action.pk}", {"comment": "par script", "version": 1},
                     content_type="application/json", headers=bearer(raw))
    assert r.status_code == 200, r.content
    assert Node.objects.get(pk=world.action.pk).history.first().history_user == world.editor


@pytest.mark.parametrize("header", ["Bearer jln_wrong", "Bearer ", "Bearer jln_x y"])
def test_a_wrong_token_is_a_401_not_an_anonymous_call(world, header):
    world.plan.published = True
    world.plan.save()
    r = Client().get(f"{API}/plans", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json() == {"detail": "Jeton d'API invalide."}


def test_the_token_of_an_inactive_user_is_refused(world, token):
    _, raw = token
    world.editor.is_active = False
    world.editor.save()
    assert Client().get(f"{API}/plans", headers=bearer(raw)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world, token):
    tok, raw = token
    client = Client()
    client.get(f"{API}/plans", headers=bearer(raw))
    tok.refresh_from_db()
    first = tok.last_used
    assert first is not None
    client.get(f"{API}/plans", headers=bearer(raw))
    tok.refresh_from_db()
    assert tok.last_used == first  # within the minute: not written again
    ApiToken.objects.filter(pk=tok.pk).update(last_used=first - dt.timedelta(minutes=2))
    client.get(f"{API}/plans", headers=bearer(raw))
    tok.refresh_from_db()
    assert tok.last_used > first - dt.timedelta(seconds=1)
    assert timezone.now() - tok.last_used < dt.timedelta(minutes=1)


def test_the_session_needs_the_csrf_token_to_write(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.editor)
    url = f"{API}/nodes/{world.action.pk}"
    r = client.patch(url, {"comment": "x", "version": 1}, content_type="application/json")
    assert r.status_code == 403
    assert r.json() == {"detail": "CSRF check Failed"}
    client.cookies["csrftoken"] = "a" * 32
    r = client.patch(url, {"comment": "x", "version": 1}, content_type="application/json",
                     headers={"X-CSRFToken": "a" * 32})
    assert r.status_code == 200, r.content


def test_the_session_reads_without_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reader)
    assert client.get(f"{API}/plans/{world.plan.pk}").status_code == 200


def test_nobody_may_read_published_plans_but_never_write(world):
    client = Client()
    assert client.get(f"{API}/plans/{world.plan.pk}").status_code == 404
    world.plan.published = True
    world.plan.save()
    assert client.get(f"{API}/plans/{world.plan.pk}").status_code == 200
    assert client.get(f"{API}/plans/{world.plan.pk}/tree").status_code == 200
    r = client.patch(f"{API}/plans/{world.plan.pk}", {"title": "x"},
                     content_type="application/json")
    assert r.status_code == 401
    assert client.delete(f"{API}/nodes/{world.action.pk}").status_code == 401
