"""Nodes (the items of a plan's tree): filtered list, detail, create, update, move, delete.

Who may write is ``plans.rules``: plan writers everywhere in their organization's plans, a
department editor on the nodes of its departments, an action owner on the nodes it owns;
deleting a node needs a plan writer.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from jalon.plans.access import hide_from_public, node_for, org_objects, plan_for, require
from jalon.plans.models import Department, Node, Person, Plan
from jalon.plans.services import (
    CodeTaken,
    ConflictError,
    TreeError,
    create_node,
    delete_node,
    ensure_code_free,
    move_node,
    update_node,
)

from .auth import PUBLIC_READ
from .lists import node_listing
from .pagination import prepared_page
from .schemas import (
    M2M_INPUTS,
    ConflictOut,
    ErrorOut,
    MoveIn,
    NodeFilter,
    NodeIn,
    NodeOut,
    NodePatch,
)

router = Router(tags=["éléments"])

_M2M_MODELS = {"owners": Person, "departments": Department, "mandataires": Person}


def _relations(plan: Plan, data: dict) -> dict[str, list]:
    """Pop the ``*_ids`` inputs; check the ids belong to the plan's organization (else 400)."""
    relations = {}
    for key, name in M2M_INPUTS.items():
        if key in data:
            ids = data.pop(key)
            relations[name] = org_objects(_M2M_MODELS[name], plan.organization_id, ids)
    return relations


def _parent_for(user, plan: Plan, parent_id: int | None) -> Node | None:
    """The node a child goes under (writable by the user), or None for the top level."""
    if parent_id is None:
        require(user, "plans.change_plan", plan,
                _("Seuls les éditeurs du plan peuvent ajouter un élément de premier niveau."))
        return None
    parent = node_for(user, parent_id, "change", tree_data=True)
    if parent.plan_id != plan.pk:
        raise HttpError(400, _("Le parent doit appartenir au même plan."))
    return parent


@router.get("/plans/{plan_id}/nodes", response={200: list[NodeOut], 404: ErrorOut},
            auth=PUBLIC_READ)
@prepared_page(page_size=100, max_page_size=500)
def node_list(request, plan_id: int, filters: Query[NodeFilter]):
    """The plan's nodes in (depth, position) order; ``page_size`` up to 500."""
    plan = plan_for(request.auth, plan_id)
    vis = hide_from_public(request, plan)
    return node_listing(plan, filters.for_plan(plan).filter(plan.nodes.all()), vis.keys,
                        filters.dict())


@router.post("/plans/{plan_id}/nodes",
             response={201: NodeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut})
def node_create(request, plan_id: int, payload: NodeIn):
    """Add a node under ``parent`` (which the caller may change) at ``position``."""
    plan = plan_for(request.auth, plan_id)
    data = payload.dict()
    parent = _parent_for(request.auth, plan, data.pop("parent"))
    position = data.pop("position")
    relations = _relations(plan, data)
    try:
        node = create_node(plan, parent, position, data, relations, by=request.auth)
    except CodeTaken as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, node_for(request.auth, node.pk, tree_data=True))


@router.get("/nodes/{node_id}", response={200: NodeOut, 404: ErrorOut}, auth=PUBLIC_READ)
def node_detail(request, node_id: int):
    node = node_for(request.auth, node_id, tree_data=True)
    hide_from_public(request, node.plan)
    return node


@router.patch("/nodes/{node_id}",
              response={200: NodeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                        409: ConflictOut | ErrorOut})
def node_update(request, node_id: int, payload: NodePatch):
    """Change some fields.  Send the ``version`` you read: if somebody saved the node since,
    the answer is 409 with the current version, and nothing is saved."""
    node = node_for(request.auth, node_id, "change", tree_data=True)
    changes = payload.changes()
    relations = _relations(node.plan, changes)
    try:
        if "code" in changes:
            ensure_code_free(node.plan, changes["code"], node=node)
        update_node(node, {**changes, **relations}, expected_version=payload.version,
                    by=request.auth)
    except ConflictError as exc:
        return Status(409, {"detail": str(exc), "version": exc.node.version})
    except CodeTaken as exc:
        raise HttpError(409, str(exc)) from exc
    return node_for(request.auth, node_id, tree_data=True)


@router.post("/nodes/{node_id}/move",
             response={200: NodeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def node_move(request, node_id: int, payload: MoveIn):
    """Move a node with its subtree under ``parent`` at ``position``.  The caller must be
    able to change the node and the destination (the parent node; the plan for the top)."""
    node = node_for(request.auth, node_id, "change", tree_data=True)
    parent = _parent_for(request.auth, node.plan, payload.parent)
    try:
        move_node(node, parent, payload.position, by=request.auth)
    except TreeError as exc:
        raise HttpError(400, str(exc)) from exc
    return node_for(request.auth, node_id, tree_data=True)


@router.delete("/nodes/{node_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def node_delete(request, node_id: int):
    """Delete a node with its whole subtree (plan writers only)."""
    delete_node(node_for(request.auth, node_id, "delete"), by=request.auth)
    return Status(204, None)
