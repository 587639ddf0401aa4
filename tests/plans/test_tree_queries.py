"""Loading a plan's whole tree with owners, departments and progress: flat query count."""

import pytest
from django.urls import reverse

from jalon.plans.models import Department, Node, Organization, Person, Plan
from jalon.plans.services import plan_tree, walk


def make_plan(n_nodes: int) -> Plan:
    org = Organization.objects.create(name=f"Org {n_nodes}", slug=f"org-{n_nodes}")
    plan = Plan.objects.create(organization=org, title=f"Plan {n_nodes}", published=True)
    dept = Department.objects.create(organization=org, name="Dept")
    person = Person.objects.create(organization=org, name="Pat")
    tops = Node.objects.bulk_create(
        Node(plan=plan, code=str(i), title=f"Objectif {i}", position=i) for i in range(10))
    kids = Node.objects.bulk_create(
        Node(plan=plan, parent=tops[i % 10], depth=1, code=f"{i % 10}.{i}", title=f"Action {i}",
             position=i, progress=i % 100) for i in range(n_nodes - 10))
    Node.owners.through.objects.bulk_create(
        Node.owners.through(node_id=k.pk, person_id=person.pk) for k in kids)
    Node.departments.through.objects.bulk_create(
        Node.departments.through(node_id=k.pk, department_id=dept.pk) for k in kids)
    return plan




@pytest.mark.django_db
def test_the_tree_takes_the_same_queries_for_10_and_1000_nodes(django_assert_num_queries):
    small, large = make_plan(10), make_plan(1000)
    # 1 nodes + 1 owners + 1 departments + 1 mandataires (prefetch) = 4, whatever the size
    for plan in (small, large):
        with django_assert_num_queries(4):
            rows = [(n.code, n.progress, [p.name for p in n.owners.all()],
                     [d.name for d in n.departments.all()]) for n in walk(plan_tree(plan))]
        assert len(rows) == plan.nodes.count()


@pytest.mark.django_db
def test_the_plan_page_takes_the_same_queries_for_10_and_1000_nodes(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for plan in (make_plan(10), make_plan(1000)):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("plan_detail", args=[plan.pk]))
        assert response.status_code == 200
        assert response.content.decode().count('class="code"') == plan.nodes.count()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
