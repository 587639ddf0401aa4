"""REST API v1 (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Authentication (``api.auth``): ``Authorization: Bearer <token>`` for machines, the Django
session for browsers (CSRF enforced on writes); anonymous callers may read published plans.
Errors are JSON: ``{"detail": "..."}`` (422: ``{"detail": [validation errors]}``).  The access
module (``plans.access``) raises Django's ``Http404`` / ``PermissionDenied``: answered here as
404 / 403 with their message.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from jalon.plans.access import UnknownObjects
from jalon.reports.models import Evaluation, EvaluationLocked

from . import nodes, organizations, plans, tracking
from .auth import AUTHENTICATED

api = NinjaAPI(title="Jalon API", version="1", urls_namespace="api-v1",
               description="Plans stratégiques : organisations, plans, éléments.",
               auth=AUTHENTICATED)
api.add_router("", organizations.router)
api.add_router("", plans.router)
api.add_router("", nodes.router)
api.add_router("", tracking.router)


def _detail(exc, default: str) -> str:
    message = str(exc.args[0]) if exc.args else ""
    return message or default


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _detail(exc, _("Introuvable."))}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _detail(exc, _("Accès refusé."))},
                               status=403)


@api.exception_handler(UnknownObjects)
def _unknown(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ProtectedError)
def _protected(request, exc):
    """Deleting what a validated evaluation refers to: 409 with the reason."""
    if any(isinstance(o, Evaluation) for o in exc.protected_objects):
        detail = _("Des évaluations validées y font référence : suppression impossible. Elles "
                   "restent la trace de ce qui a été présenté au conseil.")
    else:
        detail = _("D'autres données y font référence : suppression impossible.")
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(EvaluationLocked)
def _locked(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)
