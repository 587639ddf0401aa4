"""OpenID Connect sign-in without a browser: what the library leaves out is checked (audience),
and the lockout reads the visitor's address behind the configured proxies."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import RequestFactory

from jalon.accounts.views import client_ip
from oidc_provider import signing_in_with


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def provider(settings):
    with signing_in_with(settings) as p:
        yield p


def _sign_in(client) -> object:
    """Follow the code flow by hand: Jalon → provider → Jalon's callback."""
    r = client.get("/oidc/authenticate/")
    assert r.status_code == 302
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(r["Location"], timeout=10)
    except urllib.error.HTTPError as back:  # the provider's 302 back to Jalon
        callback = urlparse(back.headers["Location"])
    return client.get(callback.path, {k: v[0] for k, v in parse_qs(callback.query).items()})


def test_a_matching_email_signs_in(client, world, provider):
    world.editor.email = "editor@amay.example"
    world.editor.save()
    r = _sign_in(client)
    assert r.status_code == 302 and int(client.session["_auth_user_id"]) == world.editor.pk


def test_an_id_token_made_for_another_client_is_refused(client, world, provider):
    world.editor.email = "editor@amay.example"
    world.editor.save()
    provider.audience = "some-other-application"
    r = _sign_in(client)
    assert r.status_code in (302, 400) and "_auth_user_id" not in client.session


def test_no_account_is_created_unless_configured(client, world, provider, settings):
    from django.contrib.auth.models import User

    provider.email = "new@amay.example"
    _sign_in(client)
    assert "_auth_user_id" not in client.session
    settings.OIDC_CREATE_USER = True
    _sign_in(client)
    user = User.objects.get(email="new@amay.example")
    assert not user.memberships.exists() and not user.has_usable_password()


def test_the_lockout_reads_the_visitors_address_behind_the_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "10.0.0.1"  # no proxy configured: the header is not trusted
    settings.JALON_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # the address the proxy saw, not a spoof
