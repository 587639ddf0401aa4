"""The role matrix through the API: who may read and write plans and nodes, in their own
organization and in the other one, as exact status codes.

World (tests/conftest.py): organization « amay » with plan A (root 1, 1.1 in « Service
social », 1.2 in « RH » owned by the action owner) and organization « bree » with plan B (one
node).  Every role is a member of amay except the outsider, a plan editor of bree.

Reading the codes: 404 = the object is hidden from the caller, 403 = visible but not theirs to
change, 401 = writing without being authenticated.
"""

from __future__ import annotations

import pytest

from jalon.plans.models import Node, Plan

# What each column does.  In amay: « dept » is 1.1 (the department editor's department),
# « owned » is 1.2 (the action owner's node), « other » is the root (neither).  Plan B has one
# node, which plays every part.
COLUMNS = ("plan.view", "plan.change", "plan.delete", "plan.create",
           "node.view", "node.change.dept", "node.change.owned", "node.change.other",
           "node.create.dept", "node.create.owned", "node.create.top", "node.move",
           "node.delete")

ALL_WRITES = (200, 200, 204, 201, 200, 200, 200, 200, 201, 201, 201, 200, 204)
HIDDEN = (404,) * 13
NOBODY = (404, 401, 401, 401, 404, 401, 401, 401, 401, 401, 401, 401, 401)

MATRIX = {
    # role           organization  plan: view chg  del  new   node: view dept own  other
    #                                                            new: dept own  top  move del
    ("site_admin", "amay"): ALL_WRITES,
    ("site_admin", "bree"): ALL_WRITES,
    ("org_admin", "amay"): ALL_WRITES,
    ("org_admin", "bree"): HIDDEN,
    ("editor", "amay"): ALL_WRITES,
    ("editor", "bree"): HIDDEN,
    ("dept_editor", "amay"): (200, 403, 403, 403, 200, 200, 403, 403,
                              201, 403, 403, 403, 403),
    ("dept_editor", "bree"): HIDDEN,
    ("owner", "amay"): (200, 403, 403, 403, 200, 403, 200, 403,
                        403, 201, 403, 403, 403),
    ("owner", "bree"): HIDDEN,
    ("reader", "amay"): (200, 403, 403, 403, 200, 403, 403, 403,
                         403, 403, 403, 403, 403),
    ("reader", "bree"): HIDDEN,
    ("anonymous", "amay"): NOBODY,
    ("anonymous", "bree"): NOBODY,
    ("outsider", "amay"): HIDDEN,
    ("outsider", "bree"): ALL_WRITES,
}

# Plan A published: visible to everybody, still writable by its organization only.
PUBLISHED = {
    ("anonymous", "amay"): (200, 401, 401, 401, 200, 401, 401, 401,
                            401, 401, 401, 401, 401),
    # the plan is public, the organization is not: creating a plan there stays a 404
    ("outsider", "amay"): (200, 403, 403, 404, 200, 403, 403, 403,
                           403, 403, 403, 403, 403),
    ("reader", "amay"): MATRIX[("reader", "amay")],
    ("dept_editor", "amay"): MATRIX[("dept_editor", "amay")],
}


def _targets(w, org: str):
    if org == "amay":
        return w.org, w.plan, {"dept": w.action, "owned": w.hr_action, "other": w.root}
    return w.other_org, w.other_plan, dict.fromkeys(("dept", "owned", "other"), w.other_node)


def request_for(w, org: str, column: str) -> tuple[str, str, dict | None]:
    """(method, path, body) of one column against one organization's objects."""
    organization, plan, nodes = _targets(w, org)
    action, _, which = column.partition(".")[2].partition(".")  # "node.change.dept"
    if column.startswith("plan."):
        return {
            "view": ("get", f"/plans/{plan.pk}", None),
            "change": ("patch", f"/plans/{plan.pk}", {"title": "Nouveau titre"}),
            "delete": ("delete", f"/plans/{plan.pk}", None),
            "create": ("post", "/plans", {"organization": organization.pk, "title": "Neuf"}),
        }[action]
    if action == "view":
        return "get", f"/nodes/{nodes['dept'].pk}", None
    if action == "change":
        return "patch", f"/nodes/{nodes[which].pk}", {"comment": "vu"}
    if action == "create":
        parent = None if which == "top" else nodes[which].pk
        return "post", f"/plans/{plan.pk}/nodes", {"parent": parent, "code": "9.9",
                                                   "title": "Nouvelle action"}
    if action == "move":
        if org == "amay":  # 1.1 after 1.2 under the root
            return "post", f"/nodes/{w.action.pk}/move", {"parent": w.root.pk, "position": 1}
        return "post", f"/nodes/{w.other_node.pk}/move", {"parent": None, "position": 0}
    assert action == "delete", column
    return "delete", f"/nodes/{nodes['dept'].pk}", None


def cases(table: dict) -> list:
    return [pytest.param(role, org, column, expected, id=f"{role}-{org}-{column}")
            for (role, org), row in table.items()
            for column, expected in zip(COLUMNS, row, strict=True)]


def call(api_as, w, role: str, org: str, column: str):
    api = api_as(None if role == "anonymous" else getattr(w, role))
    method, path, body = request_for(w, org, column)
    if body is None:
        return getattr(api, method)(path)
    return getattr(api, method)(path, body)


@pytest.mark.parametrize(("role", "org", "column", "expected"), cases(MATRIX))
def test_role_matrix(world, api_as, role, org, column, expected):
    r = call(api_as, world, role, org, column)
    assert r.status_code == expected, r.content
    if expected >= 400:
        assert "detail" in r.json()


@pytest.mark.parametrize(("role", "org", "column", "expected"), cases(PUBLISHED))
def test_role_matrix_on_a_published_plan(world, api_as, role, org, column, expected):
    Plan.objects.filter(pk=world.plan.pk).update(published=True)
    r = call(api_as, world, role, org, column)
    assert r.status_code == expected, r.content


def test_refused_writes_change_nothing(world, api_as):
    def state():
        return (list(Plan.objects.order_by("pk").values_list("pk", "title")),
                list(Node.objects.order_by("pk").values_list("pk", "comment", "parent_id",
                                                              "position", "version")))

    before = state()
    for (role, org), row in MATRIX.items():
        for column, expected in zip(COLUMNS, row, strict=True):
            if expected >= 400:
                assert call(api_as, world, role, org, column).status_code == expected
    assert state() == before


@pytest.mark.parametrize("role", ["site_admin", "org_admin", "editor", "dept_editor", "owner",
                                  "reader", "outsider"])
def test_the_change_queryset_agrees_with_the_rules(world, role):
    """The API asks the rules; lists of « what I may edit » use the queryset: same answer."""
    user = getattr(world, role)
    by_queryset = set(Node.objects.for_user(user, "change").values_list("pk", flat=True))
    by_rules = {n.pk for n in Node.objects.select_related("plan")
                if user.has_perm("plans.change_node", n)}
    assert by_queryset == by_rules
