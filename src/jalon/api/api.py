"""REST API v1 (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Authentication (``api.auth``): ``Authorization: Bearer <token>`` for machines, the Django
session for browsers (CSRF enforced on writes); anonymous callers may read published plans
(those routes list an empty security requirement ``{}`` in the document).
Errors are JSON: ``{"detail": "..."}``; a request that does not fit the schema is a 422
``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``.

The document states every status code a route can answer: each route declares its own, and
:class:`JalonAPI` adds the ones every route shares (401, 403; 404 where the path names an
object; 400 (a rule across fields) and 422 (the schema) where the request carries parameters
or a body), so a client, or
schemathesis in the test suite, never meets an undocumented answer.

The access module (``plans.access``) raises Django's ``Http404`` / ``PermissionDenied``:
answered here as 404 / 403 with their message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from jalon.plans.access import UnknownObjects
from jalon.reports.models import Evaluation, EvaluationLocked

from . import evaluations, nodes, organizations, plans, tracking
from .auth import AUTHENTICATED, anonymous_read
from .schemas import RULE, ErrorOut, ValidationErrorOut

_REF = "#/components/schemas/"


def _without_null_or_loose_string(node) -> None:
    """Decimals are documented as numbers (a decimal string is also read, but a client needs
    only one form); a mapping whose keys follow a pattern refuses the other keys."""
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if branches and {b.get("type") for b in branches} in ({"number", "string"},
                                                              {"number", "string", "null"}):
            node["anyOf"] = [b for b in branches if b != {"type": "string"}]  # a Decimal
        if "patternProperties" in node:  # keys that do not match are refused too
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _without_null_or_loose_string(value)
    elif isinstance(node, list):
        for value in node:
            _without_null_or_loose_string(value)


def _json(description: str, name: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": _REF + name}}}}


class JalonAPI(NinjaAPI):
    def public_operation_ids(self) -> set[str]:
        """The operations anonymous callers may use (``auth=PUBLIC_READ``)."""
        ids = set()
        for bound in self._get_bound_routers():
            for view in bound.path_operations.values():
                for op in view.operations:
                    if anonymous_read in op.auth_callbacks:
                        ids.add(self.get_openapi_operation_id(op))
        return ids

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            components.setdefault(model.__name__, model.model_json_schema(
                ref_template=_REF + "{model}"))
        public = self.public_operation_ids()
        _without_null_or_loose_string(schema)
        for path, operations in schema["paths"].items():
            for op in operations.values():
                for param in op.get("parameters", []):
                    if param.get("in") in ("query", "path") and "anyOf" in param["schema"]:
                        param["schema"]["anyOf"] = [b for b in param["schema"]["anyOf"]
                                                    if b.get("type") != "null"]
                responses = op.setdefault("responses", {})
                shared = {"401": _json("Authentification requise, ou jeton invalide.",
                                       "ErrorOut"),
                          "403": _json("Refusé : droits insuffisants ou contrôle CSRF.",
                                       "ErrorOut")}
                if "{" in path:
                    shared["404"] = _json("Introuvable (ou invisible pour vous).", "ErrorOut")
                if op.get("parameters") or op.get("requestBody"):
                    shared["422"] = _json("La requête ne respecte pas le schéma.",
                                          "ValidationErrorOut")
                if op.get("parameters") or op.get("requestBody"):
                    shared["400"] = _json("Requête refusée (corps illisible ou incohérent).",
                                          "ErrorOut")
                for code, answer in shared.items():
                    if code not in responses:
                        responses[code] = answer
                    elif code == "422":  # a route's own 422 and the schema's one
                        own = responses[code]["content"]["application/json"]["schema"]
                        if own.get("$ref") != _REF + "ValidationErrorOut":
                            responses[code]["content"]["application/json"]["schema"] = {
                                "anyOf": [own, {"$ref": _REF + "ValidationErrorOut"}]}
                if op.get("operationId") in public and {} not in op.get("security", [{}]):
                    op["security"] = [*op.get("security", []), {}]
                    op["description"] = (op.get("description", "") + "\n\nLisible sans "
                                         "authentification pour un plan publié.").strip()
        return schema


api = JalonAPI(title="Jalon API", version="1", urls_namespace="api-v1",
               description="Plans stratégiques : organisations, plans, éléments, suivi.",
               auth=AUTHENTICATED)
api.add_router("", organizations.router)
api.add_router("", plans.router)
api.add_router("", nodes.router)
api.add_router("", tracking.router)
api.add_router("", evaluations.router)


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


@api.exception_handler(ValidationError)
def validation_failed(request, exc: ValidationError):
    """422 for a request that breaks the schema; 400 for one that breaks a rule across its
    fields (``schemas.rule_error``), with the rule's message."""
    if exc.errors and all(e.get("type") == RULE for e in exc.errors):
        return api.create_response(
            request, {"detail": " ; ".join(str(e.get("msg", "")) for e in exc.errors)},
            status=400)
    detail = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)
