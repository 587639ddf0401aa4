"""Organizations through the API: members see theirs, a site admin all, nobody else any."""

from __future__ import annotations

import pytest

from jalon.plans.models import Person


def slugs(response) -> list[str]:
    return sorted(o["slug"] for o in response.json()["items"])


@pytest.mark.parametrize(("who", "expected"), [
    ("site_admin", ["amay", "bree"]),
    ("org_admin", ["amay"]),
    ("editor", ["amay"]),
    ("dept_editor", ["amay"]),
    ("owner", ["amay"]),
    ("reader", ["amay"]),
    ("outsider", ["bree"]),
])
def test_it_lists_the_users_organizations(world, api_as, who, expected):
    r = api_as(getattr(world, who)).get("/organizations")
    assert r.status_code == 200
    assert slugs(r) == expected


def test_it_lists_them_in_a_fixed_number_of_queries(world, api_as, django_assert_num_queries):
    api = api_as(world.reader)
    # 1 session, 2 user, 3 organizations whose memberships include the user (no COUNT: the
    # page is not full, its rows are the count)
    with django_assert_num_queries(3):
        answer = api.get("/organizations").json()
    assert answer["count"] == len(answer["items"]) == 1


def test_anonymous_callers_get_a_401(world, api_as):
    r = api_as().get("/organizations")
    assert r.status_code == 401
    assert r.json() == {"detail": "Unauthorized"}


def test_it_shows_an_organization(world, api_as):
    r = api_as(world.reader).get(f"/organizations/{world.org.pk}")
    assert r.status_code == 200
    assert r.json() == {"id": world.org.pk, "name": "CPAS de Amay", "slug": "amay",
                        "kind": "cpas", "languages": []}


def test_an_organization_the_user_is_not_in_is_404(world, api_as):
    r = api_as(world.reader).get(f"/organizations/{world.other_org.pk}")
    assert r.status_code == 404
    assert r.json() == {"detail": "Organisation introuvable."}


def test_a_published_plan_does_not_open_its_organization(world, api_as):
    world.plan.published = True
    world.plan.save()
    assert api_as(world.outsider).get(f"/organizations/{world.org.pk}").status_code == 404


def test_it_lists_departments_and_people_for_members(world, api_as):
    api = api_as(world.editor)
    depts = api.get(f"/organizations/{world.org.pk}/departments").json()
    assert [d["name"] for d in depts] == ["RH", "Service social"]
    people = api.get(f"/organizations/{world.org.pk}/people").json()
    person = Person.objects.get(name="Owen Owner")
    assert people == [{"id": person.pk, "name": "Owen Owner", "function": "",
                       "department": None}]
    assert api_as(world.outsider).get(
        f"/organizations/{world.org.pk}/people").status_code == 404


def test_a_page_holds_at_most_500(world, api_as):
    from jalon.plans.models import Organization

    Organization.objects.bulk_create(Organization(name=f"Commune {i:03d}", slug=f"c-{i:03d}")
                                     for i in range(510))
    body = api_as(world.site_admin).get("/organizations?page_size=1000").json()
    assert body["count"] == Organization.objects.count() and len(body["items"]) == 500
