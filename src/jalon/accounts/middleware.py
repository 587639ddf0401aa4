"""Holds a signed-in session at the second-factor step until it is done.

The step ("verify" or "setup") is written into the session at sign-in (``accounts.views``); a
session without it costs nothing here.  Pages answer with a redirect to the step; the API treats
such a session as anonymous (a bearer token still works).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_STEP = "jalon_second_factor"
OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon.ico", "/logout/", "/login/", "/public/",
                 "/manifest.webmanifest")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(SESSION_STEP) if hasattr(request, "session") else None
        if step and request.user.is_authenticated:
            target = reverse("otp_verify" if step == "verify" else "otp_setup")
            path = request.path_info
            if path.startswith("/api/"):
                request.user = AnonymousUser()
            elif path != target and not path.startswith(OPEN_PREFIXES):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{target}?{query}" if request.method == "GET" else target)
        return self.get_response(request)
