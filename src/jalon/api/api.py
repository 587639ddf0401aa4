"""REST API v1 (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Authentication (``api.auth``): ``Authorization: Bearer <token>`` for machines, the Django
session for browsers (CSRF enforced on writes); anonymous callers may read published plans.
Errors are JSON: ``{"detail": "..."}`` (422: ``{"detail": [validation errors]}``).
"""

from ninja import NinjaAPI

from . import evaluations, nodes, organizations, plans, tracking
from .auth import AUTHENTICATED

api = NinjaAPI(title="Jalon API", version="1", urls_namespace="api-v1",
               description="Plans stratégiques : organisations, plans, éléments.",
               auth=AUTHENTICATED)
api.add_router("", organizations.router)
api.add_router("", plans.router)
api.add_router("", nodes.router)
api.add_router("", tracking.router)
api.add_router("", evaluations.router)
