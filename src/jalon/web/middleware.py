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
