"""Content-Security-Policy header (Django 5.2 has no built-in CSP; 6.0 does)."""

from django.conf import settings

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
