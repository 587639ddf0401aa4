"""The role matrix through the web pages: each role × own/other organization × read/write."""

import pytest
from django.urls import reverse

# Targets: (url name, object attribute on `world`, method)
VIEW_PLAN = ("plan_detail", "plan", "get")
EDIT_PLAN = ("plan_edit", "plan", "post")
VIEW_NODE = ("node_detail", "action", "get")
EDIT_DEPT_NODE = ("node_edit", "action", "post")  # node of the «Service social» department
EDIT_OWNED_NODE = ("node_edit", "hr_action", "post")  # node owned by the `owner` user
VIEW_OTHER_PLAN = ("plan_detail", "other_plan", "get")
EDIT_OTHER_PLAN = ("plan_edit", "other_plan", "post")
VIEW_OTHER_NODE = ("node_detail", "other_node", "get")
EDIT_OTHER_NODE = ("node_edit", "other_node", "post")

TARGETS = [VIEW_PLAN, EDIT_PLAN, VIEW_NODE, EDIT_DEPT_NODE, EDIT_OWNED_NODE,
           VIEW_OTHER_PLAN, EDIT_OTHER_PLAN, VIEW_OTHER_NODE, EDIT_OTHER_NODE]

OK, DENY, HIDE, LOGIN = "ok", 403, 404, "login"
# role → expected outcome per target, in TARGETS order
MATRIX = {
    "site_admin": [OK, OK, OK, OK, OK, OK, OK, OK, OK],
    "org_admin": [OK, OK, OK, OK, OK, HIDE, HIDE, HIDE, HIDE],
    "editor": [OK, OK, OK, OK, OK, HIDE, HIDE, HIDE, HIDE],
    "dept_editor": [OK, DENY, OK, OK, DENY, HIDE, HIDE, HIDE, HIDE],
    "owner": [OK, DENY, OK, DENY, OK, HIDE, HIDE, HIDE, HIDE],
    "reader": [OK, DENY, OK, DENY, DENY, HIDE, HIDE, HIDE, HIDE],
    "outsider": [HIDE, HIDE, HIDE, HIDE, HIDE, OK, OK, OK, OK],
    "anonymous": [HIDE, LOGIN, HIDE, LOGIN, LOGIN, HIDE, LOGIN, HIDE, LOGIN],
}


def form_data(obj, url_name):
    if url_name == "plan_edit":
        return {"title": obj.title + " (modifié)", "kind": obj.kind, "status": obj.status,
                "rollup_rule": obj.rollup_rule}
    return {"title": obj.title + " (modifié)", "status": obj.status, "version": obj.version}


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_matrix_through_the_web(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    for (url_name, attr, method), expected in zip(TARGETS, MATRIX[role], strict=True):
        obj = getattr(world, attr)
        obj.refresh_from_db()
        url = reverse(url_name, args=[obj.pk])
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, form_data(obj, url_name))
        where = f"{role} {method.upper()} {url_name} {attr}"
        if expected == OK:
            assert response.status_code in (200, 302), where
            if method == "post":
                assert response.status_code == 302, where  # saved and redirected to the sheet
                obj.refresh_from_db()
                assert obj.title.endswith("(modifié)"), where
        elif expected == LOGIN:
            assert response.status_code == 302 and "/login/" in response["Location"], where
        else:
            assert response.status_code == expected, where
            obj.refresh_from_db()
            assert not obj.title.endswith("(modifié)"), where


def test_a_published_plan_is_readable_without_an_account(client, world):
    world.other_plan.published = True
    world.other_plan.save()
    assert client.get(reverse("plan_detail", args=[world.other_plan.pk])).status_code == 200
    assert client.get(reverse("node_detail", args=[world.other_node.pk])).status_code == 200
    # but not writable by a member of another organization
    client.force_login(world.editor)
    response = client.post(reverse("node_edit", args=[world.other_node.pk]),
                           form_data(world.other_node, "node_edit"))
    assert response.status_code == 403
