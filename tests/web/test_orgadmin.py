"""Organization administration: people, departments, roles, level names, vocabularies."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from jalon.accounts.models import Membership, Role
from jalon.orgadmin.models import OrgSettings
from jalon.plans.models import Department, Node, Person

PAGES = ["orgadmin_index", "orgadmin_people", "orgadmin_departments", "orgadmin_roles",
         "orgadmin_levels", "orgadmin_vocabularies", "orgadmin_evaluations"]


def url(name, world, *args):
    return reverse(name, args=[world.org.slug, *args])


# -- permissions ----------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who,status", [
    ("org_admin", 200), ("site_admin", 200),
    ("editor", 403), ("dept_editor", 403), ("owner", 403), ("reader", 403),
    ("outsider", 404)])
def test_only_organization_admins_may_open_the_pages(client, world, page, who, status):
    client.force_login(getattr(world, who))
    assert client.get(url(page, world)).status_code == status


@pytest.mark.parametrize("name,obj", [("orgadmin_person", "person"),
                                      ("orgadmin_department", "social"),
                                      ("orgadmin_role", "membership"),
                                      ("orgadmin_plan_levels", "plan")])
def test_object_pages_refuse_editors_and_hide_other_organizations(client, world, name, obj):
    target = {"person": Person.objects.get(name="Owen Owner"), "social": world.social,
              "membership": Membership.objects.get(user=world.reader),
              "plan": world.plan}[obj]
    client.force_login(world.editor)
    assert client.post(url(name, world, target.pk), {}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url(name, world, target.pk)).status_code == 404
    # an admin of org A cannot reach org B's objects through org A's address
    other = {"person": Person.objects.create(organization=world.other_org, name="X"),
             "social": Department.objects.create(organization=world.other_org, name="Y"),
             "membership": Membership.objects.get(user=world.outsider),
             "plan": world.other_plan}[obj]
    client.force_login(world.org_admin)
    assert client.get(url(name, world, other.pk)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, world):
    r = client.get(url("orgadmin_index", world))
    assert r.status_code == 302 and reverse("login") in r["Location"]


# -- people ---------------------------------------------------------------------------------
def test_it_lists_adds_and_edits_people_and_links_a_user(client, world):
    client.force_login(world.org_admin)
    page = client.get(url("orgadmin_people", world)).content.decode()
    assert "Owen Owner" in page
    r = client.post(url("orgadmin_people", world),
                    {"name": "Rita Reader", "email": "rita@example.org", "function": "Conseillère",
                     "department": world.social.pk, "user": world.reader.pk})
    assert r.status_code == 302
    rita = Person.objects.get(organization=world.org, name="Rita Reader")
    assert rita.user == world.reader and rita.department == world.social
    r = client.post(url("orgadmin_person", world, rita.pk),
                    {"name": "Rita R.", "email": "", "function": "", "department": "",
                     "user": ""})
    assert r.status_code == 302
    rita.refresh_from_db()
    assert (rita.name, rita.user, rita.department) == ("Rita R.", None, None)


def test_a_person_cannot_be_linked_to_a_user_outside_the_organization(client, world):
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_people", world), {"name": "Intrus", "user": world.outsider.pk})
    assert r.status_code == 400 and not Person.objects.filter(name="Intrus").exists()


def test_a_duplicate_name_is_an_error_on_the_field(client, world):
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_people", world), {"name": "Owen Owner"})
    assert r.status_code == 400
    assert 'id="id_name_error"' in r.content.decode()


def test_the_people_list_has_a_flat_query_count(client, world, django_assert_num_queries):
    client.force_login(world.org_admin)
    client.get(url("orgadmin_people", world))  # warm the session
    for i in range(5):
        Person.objects.create(organization=world.org, name=f"P{i}", department=world.rh,
                              user=world.reader)
    # session, user with their memberships (one query: accounts.backends; their departments
    # only for a department editor), organization, people with department and user, then the
    # form's department and user choices
    with django_assert_num_queries(6) as first:
        client.get(url("orgadmin_people", world))
    for i in range(20):
        Person.objects.create(organization=world.org, name=f"Q{i}", department=world.social)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url("orgadmin_people", world))


# -- departments ----------------------------------------------------------------------------
def test_departments_are_nested_and_cannot_move_under_themselves(client, world):
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_departments", world),
                    {"name": "Accueil", "parent": world.social.pk})
    assert r.status_code == 302
    accueil = Department.objects.get(name="Accueil")
    assert accueil.parent == world.social
    page = client.get(url("orgadmin_departments", world)).content.decode()
    tree = page[page.index('class="tree"'):]
    assert tree.index("Service social") < tree.index("Accueil") < tree.index("</ul>\n</li>")
    r = client.post(url("orgadmin_department", world, world.social.pk),
                    {"name": "Service social", "parent": accueil.pk})
    assert r.status_code == 400  # its own sub-department is not a valid choice
    world.social.refresh_from_db()
    assert world.social.parent is None
    r = client.post(url("orgadmin_department", world, accueil.pk),
                    {"name": "Accueil du public", "parent": ""})
    accueil.refresh_from_db()
    assert r.status_code == 302 and (accueil.name, accueil.parent) == ("Accueil du public", None)


# -- roles ----------------------------------------------------------------------------------
def test_it_gives_a_role_with_departments_and_removes_it(client, world):
    # a person of the organization whose account has no role yet
    newbie = User.objects.create_user("newbie", email="newbie@example.org")
    Person.objects.create(organization=world.org, name="Nina Newbie", user=newbie)
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_roles", world), {"user": newbie.pk, "role": Role.DEPT_EDITOR})
    assert r.status_code == 400  # a department editor needs departments
    r = client.post(url("orgadmin_roles", world), {"user": newbie.pk, "role": Role.DEPT_EDITOR,
                                                   "departments": [world.rh.pk]})
    assert r.status_code == 302
    m = Membership.objects.get(user=newbie, organization=world.org)
    assert list(m.departments.all()) == [world.rh]
    assert newbie.has_perm("plans.change_node", world.hr_action)
    r = client.post(url("orgadmin_role", world, m.pk), {"departments": [world.social.pk]})
    assert r.status_code == 302 and list(m.departments.all()) == [world.social]
    page = client.get(url("orgadmin_roles", world)).content.decode()
    assert "newbie" in page and "Éditeur de département" in page
    r = client.post(url("orgadmin_role", world, m.pk), {"action": "remove"})
    assert r.status_code == 302 and not Membership.objects.filter(pk=m.pk).exists()


def test_a_duplicate_role_is_an_error(client, world):
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_roles", world), {"user": world.reader.pk,
                                                   "role": Role.READER})
    assert r.status_code == 400 and "déjà le rôle" in r.content.decode()


def test_the_last_organization_admin_cannot_be_removed(client, world):
    client.force_login(world.org_admin)
    m = Membership.objects.get(user=world.org_admin, role=Role.ORG_ADMIN)
    r = client.post(url("orgadmin_role", world, m.pk), {"action": "remove"})
    assert r.status_code == 302 and Membership.objects.filter(pk=m.pk).exists()


# -- level names ----------------------------------------------------------------------------
def test_renaming_a_level_renames_the_nodes_that_carried_it(client, world):
    Node.objects.filter(plan=world.plan, depth=1).update(level="Action")
    Node.objects.filter(plan=world.plan, code="1.2").update(level="Projet")  # another name
    client.force_login(world.org_admin)
    page = client.get(url("orgadmin_levels", world)).content.decode()
    assert "Objectif › Action" in page
    r = client.post(url("orgadmin_plan_levels", world, world.plan.pk),
                    {"level_0": "Axe", "level_1": "Mesure", "level_2": "Tâche"})
    assert r.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.levels == ["Axe", "Mesure", "Tâche"]
    levels = dict(world.plan.nodes.values_list("code", "level"))
    assert levels == {"1": "", "1.1": "Mesure", "1.2": "Projet"}
    r = client.post(url("orgadmin_plan_levels", world, world.plan.pk),
                    {"level_0": "Axe", "level_1": "", "level_2": "Tâche"})
    assert r.status_code == 400  # a gap in the levels


# -- vocabularies ---------------------------------------------------------------------------
def test_vocabularies_are_stored_per_organization(client, world):
    client.force_login(world.org_admin)
    r = client.post(url("orgadmin_vocabularies", world), {
        "tags": "Climat\n climat \nSocial\n\n", "budget_types": "ordinaire\nextraordinaire",
        "funding_sources": "Fonds propres\nRégion wallonne"})
    assert r.status_code == 302
    s = OrgSettings.objects.get(organization=world.org)
    assert s.vocabularies == {"tags": ["Climat", "Social"],
                              "budget_types": ["ordinaire", "extraordinaire"],
                              "funding_sources": ["Fonds propres", "Région wallonne"]}
    page = client.get(url("orgadmin_vocabularies", world)).content.decode()
    assert "Région wallonne" in page
    assert not OrgSettings.objects.filter(organization=world.other_org).exists()
