"""Sign-in: lockout after repeated failures, second factor, API tokens managed by their owner."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.accounts.models import ApiToken, hash_token


def _login(client, username, password, lang="fr"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       HTTP_ACCEPT_LANGUAGE=lang)


@pytest.mark.parametrize("lang,text", [("fr", "Trop de tentatives"),
                                       ("nl", "Te veel mislukte"),
                                       ("en", "Too many failed")])
def test_five_failures_lock_the_account_from_that_address_even_with_the_right_password(
        client, world, lang, text):
    for _ in range(4):
        assert _login(client, "editor", "wrong", lang).status_code == 200  # the form again
    r = _login(client, "editor", "wrong", lang)
    assert r.status_code == 429 and text in r.content.decode()
    r = _login(client, "editor", "pw-editor", lang)
    assert r.status_code == 429 and text in r.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked
    assert _login(client, "reader", "pw-reader").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, world, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        _login(client, "editor", "wrong")
    assert _login(client, "editor", "pw-editor").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=1))
    assert _login(client, "editor", "pw-editor").status_code == 302


def test_a_success_resets_the_failure_count(client, world):
    for _ in range(4):
        _login(client, "editor", "wrong")
    assert _login(client, "editor", "pw-editor").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "editor", "wrong")
    assert _login(client, "editor", "pw-editor").status_code == 302


# -- second factor ---------------------------------------------------------------------------
def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_account_with_a_second_factor_must_give_a_code_before_any_page(client, world):
    device = TOTPDevice.objects.create(user=world.editor, name="Jalon", confirmed=True)
    r = _login(client, "editor", "pw-editor")
    assert r.status_code == 302
    r = client.get(reverse("plan_detail", args=[world.plan.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("otp_verify"))
    # the API does not trust the half-open session either
    assert client.get(f"/api/v1/plans/{world.plan.pk}").status_code in (401, 404)
    r = client.post(reverse("otp_verify"), {"code": "000000"})
    assert r.status_code == 400 and "Code incorrect" in r.content.decode()
    # a failure makes the next try wait a little (django-otp's throttling): skip the wait
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    r = client.post(reverse("otp_verify"), {"code": _code(device),
                                            "next": reverse("plan_detail",
                                                            args=[world.plan.pk])})
    assert r.status_code == 302
    assert client.get(reverse("plan_detail", args=[world.plan.pk])).status_code == 200


def test_administrators_must_set_up_a_second_factor_when_required(client, world, settings):
    settings.JALON_ADMIN_OTP_REQUIRED = True
    assert _login(client, "reader", "pw-reader").status_code == 302
    assert client.get(reverse("home")).status_code == 200  # not an administrator
    client.logout()
    _login(client, "orgadmin", "pw-orgadmin")
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("otp_setup"))
    page = client.get(reverse("otp_setup")).content.decode()
    assert "<svg" in page and "obligatoire" in page
    device = TOTPDevice.objects.get(user=world.org_admin)
    r = client.post(reverse("otp_setup"), {"code": _code(device)})
    assert r.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # and it cannot be switched off
    client.post(reverse("otp_remove"))
    assert TOTPDevice.objects.filter(user=world.org_admin).exists()


# -- API tokens ------------------------------------------------------------------------------
def test_a_user_creates_lists_uses_and_revokes_a_token(client, world):
    client.force_login(world.editor)
    r = client.post(reverse("account"), {"name": "Tableur du service", "days": 30})
    assert r.status_code == 200
    raw = re.search(r'id="new-token">(jln_[^<]+)<', r.content.decode()).group(1)
    token = ApiToken.objects.get(user=world.editor)
    assert token.key_hash == hash_token(raw) and raw not in (token.key_hash, token.prefix)
    assert abs(token.expires - timezone.now() - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    page = client.get(reverse("account")).content.decode()
    assert f"jln_{token.prefix}…" in page and raw not in page  # shown once, then the prefix
    api = client.__class__()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert api.get(f"/api/v1/plans/{world.plan.pk}", **auth).status_code == 200
    client.post(reverse("token_revoke", args=[token.pk]))
    assert api.get(f"/api/v1/plans/{world.plan.pk}", **auth).status_code == 401
    assert "révoqué" in client.get(reverse("account")).content.decode()


def test_an_expired_token_is_refused(client, world):
    token, raw = ApiToken.issue(world.editor, "old",
                                expires=timezone.now() - dt.timedelta(seconds=1))
    r = client.get(f"/api/v1/plans/{world.plan.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 401


def test_nobody_revokes_someone_elses_token(client, world):
    token, raw = ApiToken.issue(world.editor, "mine")
    client.force_login(world.org_admin)
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_the_account_page_reads_a_constant_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.editor)
    counts = []
    for n in (1, 10):
        for i in range(n):
            ApiToken.issue(world.editor, f"t{n}-{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("account")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 5  # session, user, tokens, second factor
