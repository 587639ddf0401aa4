"""OpenID Connect sign-in in Chromium against a local test provider (tests/oidc_provider.py):
an account is matched by its e-mail and keeps the roles given in Jalon; an unknown e-mail is
refused without creating an account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from oidc_provider import signing_in_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings):
    with signing_in_with(settings, "Keycloak (test)") as p:
        yield p


def test_sign_in_with_the_organizations_provider(page, world, provider):
    world.editor.email = "Editor@Amay.example"  # matched without regard to case
    world.editor.save()
    page.goto("/login/")
    page.get_by_role("link", name="Se connecter avec Keycloak (test)").click()
    expect(page.locator(".who")).to_contain_text("editor")
    assert {"/.well-known/openid-configuration", "/authorize", "/token", "/userinfo",
            "/jwks"} <= set(provider.requests)
    # the roles are Jalon's: the editor opens their plan, not the organization administration
    assert page.goto(f"/plans/{world.plan.pk}/").status == 200
    assert page.goto(f"/orgs/{world.org.slug}/admin/").status == 403


def test_an_email_without_an_account_is_refused_and_no_account_is_created(page, world,
                                                                          provider):
    provider.email = "stranger@elsewhere.example"
    before = User.objects.count()
    page.goto("/login/")
    page.get_by_role("link", name="Se connecter avec Keycloak (test)").click()
    expect(page.get_by_role("alert")).to_contain_text("aucun compte Jalon actif")
    expect(page.locator(".who")).to_contain_text("Se connecter")
    assert User.objects.count() == before


def test_no_button_when_the_installation_has_no_provider(page, db):
    page.goto("/login/")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert page.get_by_text("Se connecter avec").count() == 0
    assert page.goto("/oidc/authenticate/").status == 404
