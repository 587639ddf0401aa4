"""REST API v1 (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Jalon API", version="1", urls_namespace="api-v1",
               description="Plans stratégiques : organisations, plans, éléments.")
