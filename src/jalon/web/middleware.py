"""Content-Security-Policy header (Django 5.2 has no built-in CSP; 6.0 does); friendly error
pages in DEBUG too."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template import TemplateDoesNotExist

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "JALON_CSP", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        # The API docs page (Swagger UI) ships inline scripts: it sets its own policy.
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class FriendlyErrorPagesMiddleware:
    """The application's own 404/500 pages (translated), also when DEBUG is on (the demo).

    With DEBUG off Django already renders ``404.html``/``500.html``; ``403.html`` is always used.
    With DEBUG on, Django would show its English debug pages: a page the application refuses
    (``Http404`` from a view, an address no route matches) or a crash is shown with our page
    instead, and the crash is logged with its traceback.  ``JALON_TECHNICAL_ERRORS=1`` keeps
    Django's debug pages for developers.  The API answers in JSON and is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = settings.DEBUG and not getattr(settings, "JALON_TECHNICAL_ERRORS", False)

    def __call__(self, request):
        response = self.get_response(request)
        if (self.active and response.status_code == 404 and request.resolver_match is None
                and not request.path_info.startswith("/api/")):
            return self._page(request, "404.html", 404)  # no route matched
        return response

    def process_exception(self, request, exception):
        if not self.active or request.path_info.startswith("/api/"):
            return None
        if isinstance(exception, Http404):
            return self._page(request, "404.html", 404)
        if isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html itself
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception)
        return self._page(request, "500.html", 500)

    @staticmethod
    def _page(request, template, status):
        try:
            return render(request, template, status=status)
        except TemplateDoesNotExist:  # pragma: no cover - the templates ship with the app
            return None
