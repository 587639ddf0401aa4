"""Plans: list, detail, create, update, delete; the nested tree and the JSON interchange.

Reads are open to anonymous callers for published plans; writes need a plan writer of the
organization (org admin or plan editor) or a site admin, as ``plans.rules`` says.
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from jalon.plans.access import hide_from_public, organization_for, plan_for, require
from jalon.plans.loader import plan_to_draft
from jalon.plans.models import Plan
from jalon.plans.services import create_plan, delete_plan, plan_tree, update_plan

from .auth import PUBLIC_READ
from .lists import plan_listing
from .pagination import prepared_page
from .schemas import ErrorOut, NodeTreeOut, PlanIn, PlanOut, PlanPatch

router = Router(tags=["plans"])

# draft field names (the interchange) → the node field names ``Plan.hidden_fields`` uses
_DRAFT_NAMES = {"start": "start_text", "end": "end_text", "deadline": "deadline_text",
                "budget_eur": "money",
                "mandataire": "mandataires"}


@router.get("/plans", response=list[PlanOut], auth=PUBLIC_READ)
@prepared_page(page_size=100, max_page_size=500)
def plan_list(request):
    """Plans the caller may see: their organizations' plans and every published plan, by
    organization then title, a page at a time (``page``, ``page_size`` up to 500)."""
    return plan_listing(Plan.objects.for_user(request.auth, "view")
                        .order_by("organization__name", "title", "id"))


@router.post("/plans", response={201: PlanOut, 403: ErrorOut, 404: ErrorOut})
def plan_create(request, payload: PlanIn):
    fields = payload.dict()
    org = organization_for(request.auth, fields.pop("organization"))
    require(request.auth, "plans.add_plan", Plan(organization=org),
            _("Vous ne pouvez pas créer de plan dans cette organisation."))
    return Status(201, create_plan(org, fields, by=request.auth))


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut}, auth=PUBLIC_READ)
def plan_detail(request, plan_id: int):
    return plan_for(request.auth, plan_id)


@router.patch("/plans/{plan_id}",
              response={200: PlanOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def plan_update(request, plan_id: int, payload: PlanPatch):
    plan = plan_for(request.auth, plan_id, "change")
    try:
        return update_plan(plan, payload.changes(), by=request.auth)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc


@router.delete("/plans/{plan_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def plan_delete(request, plan_id: int):
    """Delete the plan with all its nodes."""
    delete_plan(plan_for(request.auth, plan_id, "delete"), by=request.auth)
    return Status(204, None)


@router.get("/plans/{plan_id}/tree", response={200: list[NodeTreeOut], 404: ErrorOut},
            auth=PUBLIC_READ)
def plan_tree_view(request, plan_id: int):
    """The top nodes, each with its ``children``, in order (a fixed number of queries)."""
    plan = plan_for(request.auth, plan_id)
    hide_from_public(request, plan)
    return plan_tree(plan)


@router.get("/plans/{plan_id}/export", response={200: dict[str, Any], 404: ErrorOut},
            auth=PUBLIC_READ)
def plan_export(request, plan_id: int):
    """The plan in the JSON interchange form (``jalon import plan.json`` reads it back)."""
    plan = plan_for(request.auth, plan_id)
    data = plan_to_draft(plan).to_dict()
    hidden = plan.visibility.keys
    if hidden:
        for node in data["nodes"]:
            node["fields"] = {k: v for k, v in node.get("fields", {}).items()
                              if _DRAFT_NAMES.get(k, k) not in hidden}
            node["field_lines"] = {k: v for k, v in node.get("field_lines", {}).items()
                                   if _DRAFT_NAMES.get(k, k) not in hidden}
    return data
