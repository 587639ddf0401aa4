"""The OpenAPI document loads, lists every route, and the docs page is served."""

from __future__ import annotations

from django.test import Client

ROUTES = {
    "/api/v1/organizations": {"get"},
    "/api/v1/organizations/{org_id}": {"get"},
    "/api/v1/organizations/{org_id}/departments": {"get"},
    "/api/v1/organizations/{org_id}/people": {"get"},
    "/api/v1/plans": {"get", "post"},
    "/api/v1/plans/{plan_id}": {"get", "patch", "delete"},
    "/api/v1/plans/{plan_id}/tree": {"get"},
    "/api/v1/plans/{plan_id}/export": {"get"},
    "/api/v1/plans/{plan_id}/nodes": {"get", "post"},
    "/api/v1/nodes/{node_id}": {"get", "patch", "delete"},
    "/api/v1/nodes/{node_id}/move": {"post"},
    # follow-up (api.tracking)
    "/api/v1/nodes/{node_id}/updates": {"get", "post"},
    "/api/v1/nodes/{node_id}/indicators": {"get", "post"},
    "/api/v1/indicators/{indicator_id}": {"get", "patch", "delete"},
    "/api/v1/indicators/{indicator_id}/targets": {"get", "put"},
    "/api/v1/indicators/{indicator_id}/measurements": {"get", "post"},
    "/api/v1/plans/{plan_id}/measurements/bulk": {"post"},
    "/api/v1/plans/{plan_id}/indicators/status": {"get"},
    "/api/v1/plans/{plan_id}/state": {"get"},
    "/api/v1/nodes/{node_id}/budget": {"get", "post"},
    "/api/v1/budget/{line_id}": {"patch", "delete"},
    "/api/v1/plans/{plan_id}/budget/totals": {"get"},
    "/api/v1/me/reminders": {"get"},
    # evaluations (api.evaluations)
    "/api/v1/plans/{plan_id}/evaluations": {"get"},
    "/api/v1/evaluations/{evaluation_id}": {"get"},
    "/api/v1/evaluations/{evaluation_id}/{step}": {"post"},
}


def schema(db) -> dict:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


def test_the_schema_lists_every_route(db):
    doc = schema(db)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Jalon API" and doc["info"]["version"] == "1"
    assert {path: set(ops) for path, ops in doc["paths"].items()} == ROUTES


def test_the_schema_declares_both_authentication_methods(db):
    doc = schema(db)
    assert doc["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"},
        "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            schemes = {name for s in op["security"] for name in s}
            assert schemes == {"TokenAuth", "SessionAuth"}, (method, path)


def test_the_node_schema_has_the_documented_fields(db):
    node = schema(db)["components"]["schemas"]["NodeOut"]["properties"]
    assert {"id", "plan", "parent", "code", "code_as_printed", "derived_code", "title",
            "description", "level", "depth", "position", "status", "progress", "start_text",
            "end_text", "deadline_text", "start_date", "end_date", "owners", "departments",
            "mandataires", "partners", "steering", "risks", "deliverables", "tags", "sdgs",
            "fte", "funding", "comment", "source_line", "version"} <= set(node)


def test_the_node_list_documents_its_filters_and_pages(db):
    op = schema(db)["paths"]["/api/v1/plans/{plan_id}/nodes"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert names == {"plan_id", "status", "department", "owner", "level", "depth",
                     "deadline_from", "deadline_to", "q", "page", "page_size"}


def test_the_docs_page_is_served(db):
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    assert b"swagger" in r.content.lower()
