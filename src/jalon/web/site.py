"""What every site has: the favicon, the web app manifest, and friendly error pages.

Error pages: ``403.html``, ``404.html`` and ``500.html`` (in the user's language).  Django shows
them itself when DEBUG is off; ``FriendlyErrorPagesMiddleware`` (web/middleware.py) shows them in
DEBUG too (the demo) for pages the application refuses, so a visitor never lands on Django's
English debug page.  ``JALON_TECHNICAL_ERRORS=1`` brings the debug pages back for developers.
"""

from __future__ import annotations

import json
from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICONS = settings.BASE_DIR / "web" / "static" / "jalon" / "icons"


@cache
def _favicon() -> bytes:
    return (ICONS / "favicon.ico").read_bytes()


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    return HttpResponse(_favicon(), content_type="image/x-icon")


@require_safe
@cache_control(max_age=86400, public=True)
def manifest(request):
    """The web app manifest (installable on a phone's home screen), in the user's language."""
    data = {
        "name": "Jalon",
        "short_name": "Jalon",
        "description": _("Le suivi des plans stratégiques des pouvoirs publics."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            {"src": static("jalon/icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("jalon/icons/icon-192.png"), "type": "image/png", "sizes": "192x192"},
            {"src": static("jalon/icons/icon-512.png"), "type": "image/png", "sizes": "512x512"},
            {"src": static("jalon/icons/icon-maskable-512.png"), "type": "image/png",
             "sizes": "512x512", "purpose": "maskable"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False),
                        content_type="application/manifest+json")
