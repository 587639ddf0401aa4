"""OpenID Connect sign-in (mozilla-django-oidc), configured from the environment.

``JALON_OIDC_ISSUER`` is enough for a provider that publishes its discovery document
(``<issuer>/.well-known/openid-configuration``: Microsoft Entra ID, Keycloak, the federal
gateways): the endpoints are read from it once, on first use, unless given one by one
(``JALON_OIDC_AUTHORIZATION_ENDPOINT`` …).  Accounts are matched by e-mail, active accounts only;
none is created unless ``JALON_OIDC_CREATE_USERS=1`` (then without any role: roles are given in
Jalon).  See docs/settings.md.
"""

from __future__ import annotations

import json
import threading
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

# setting → key of the discovery document
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_lock = threading.Lock()
_discovery: dict[str, dict] = {}


def discovery(issuer: str) -> dict:
    """The provider's discovery document, fetched once per process."""
    with _lock:
        if issuer not in _discovery:
            url = issuer + "/.well-known/openid-configuration"
            try:
                with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (https URL)
                    _discovery[issuer] = json.load(resp)
            except (OSError, ValueError) as exc:
                raise ImproperlyConfigured(
                    f"JALON_OIDC_ISSUER: cannot read {url}: {exc}") from None
        return _discovery[issuer]


def get_setting(attr: str, *default):
    """An OIDC setting; endpoints not set one by one come from the issuer's discovery."""
    if attr in DISCOVERED and not hasattr(settings, attr) and settings.JALON_OIDC_ISSUER:
        return discovery(settings.JALON_OIDC_ISSUER).get(DISCOVERED[attr], *default)
    return import_from_settings(attr, *default)


class Backend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_setting)

    def get_user(self, user_id):
        """The session's user with their memberships, in one query (``accounts.backends``)."""
        from .backends import user_with_memberships

        return user_with_memberships(user_id)

    def _verify_jws(self, payload, key):
        """The signature (library), then what the library leaves out: the token is for us
        (``aud``) and from our provider (``iss``)."""
        claims = super()._verify_jws(payload, key)
        aud = claims.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (aud if isinstance(aud, list) else [aud]):
            raise SuspiciousOperation("id_token audience is not this client")
        issuer = settings.JALON_OIDC_ISSUER
        if issuer and str(claims.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("id_token issuer is not the configured provider")
        return claims

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        user = super().create_user(claims)  # no role: an administrator gives one in Jalon
        user.first_name = (claims.get("given_name") or "")[:150]
        user.last_name = (claims.get("family_name") or "")[:150]
        user.set_unusable_password()
        user.save()
        return user


def _enabled():
    if not settings.JALON_OIDC_ENABLED:
        raise Http404


class RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(get_setting)

    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, *args, **kwargs):  # endpoints are read at request time, not at import
        if settings.JALON_OIDC_ENABLED:
            super().__init__(*args, **kwargs)
        else:
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_setting)

    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)
