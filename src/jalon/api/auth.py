"""Who is calling: a bearer token (machines), the browser session (people), or nobody.

- ``TokenAuth``: ``Authorization: Bearer <raw token>``; only the token's sha256 is stored
  (``accounts.ApiToken``); an expired or revoked token is a 401.  ``last_used`` is written at most once a minute.  A bearer header
  that does not match a token is a 401, never a silent fall-back to anonymous.
- ``SessionAuth``: Django's session, like ninja's ``django_auth``, with the CSRF check enforced
  on unsafe methods (POST, PATCH, DELETE…).
- ``anonymous_read``: lets nobody in for safe methods only; the scoped querysets then show
  published plans and nothing else.

``AUTHENTICATED`` is the API's default; read routes that the public may use say
``auth=PUBLIC_READ``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from jalon.accounts.models import ApiToken, hash_token

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer jln_…``: an ``ApiToken`` of an active user."""

    def authenticate(self, request: HttpRequest, token: str):
        found = (ApiToken.objects.select_related("user")
                 .filter(key_hash=hash_token(token.strip())).first())
        now = timezone.now()
        if found is None or not found.user.is_active or not found.is_valid(now):
            raise AuthenticationError(401, _("Jeton d'API invalide."))
        if found.last_used is None or now - found.last_used >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        # the audit trail (simple_history) reads request.user
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; CSRF enforced for unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None  # no session to protect: let the next method answer
        return super()._get_key(request)  # 403 "CSRF check Failed" for an unsafe request

    def authenticate(self, request: HttpRequest, key):
        return request.user if request.user.is_authenticated else None


def anonymous_read(request: HttpRequest):
    """Nobody, for reading only (the querysets then show published plans)."""
    if request.method in SAFE_METHODS:
        return AnonymousUser()
    return None


AUTHENTICATED = [TokenAuth(), SessionAuth()]
PUBLIC_READ = [*AUTHENTICATED, anonymous_read]
