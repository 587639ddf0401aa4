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


class RefuseNulMiddleware:
    """A NUL character in the address, a form field or a JSON body is refused with a 400 (one
    line, what and where) before any view runs: PostgreSQL cannot store it, and no text a
    person types contains it.  Uploaded files are not looked at (a DOCX holds NUL bytes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._nul(request)
        if where:
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("Caractère NUL refusé (%(where)s).") % {"where": where}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _nul(request) -> str:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return "adresse"
        if any("\x00" in v for values in request.GET.lists() for v in values[1]):
            return "adresse"
        ctype = request.content_type or ""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return ""
        if ctype == "application/json":
            body = request.body
            if b"\x00" in body or b"\\u0000" in body:
                return "JSON"
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                if any("\x00" in v for v in values):
                    return name
        return ""
