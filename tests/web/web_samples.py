"""A plan generator for the web tests (query counts need a 50- and a 2,000-node plan)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jalon.plans.models import Department, Node, Organization, Person, Plan
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target


def days(n: int) -> dt.date:
    """Today plus ``n`` days."""
    return timezone.localdate() + dt.timedelta(days=n)


def make_plan(n_nodes: int, *, owner_user=None) -> Plan:
    """A published plan of ``n_nodes`` nodes (10 objectives, the rest actions) with everything
    the pages show: owners, departments, journal entries, indicators with targets and values,
    budget lines, dates (some overdue)."""
    org = Organization.objects.create(name=f"Org {n_nodes}", slug=f"org-{n_nodes}")
    plan = Plan.objects.create(organization=org, title=f"Plan {n_nodes}", published=True,
                               period_start=2020, period_end=2026,
                               levels=["Objectif", "Action"])
    dept = Department.objects.create(organization=org, name="Dept")
    person = Person.objects.create(organization=org, name="Pat", user=owner_user)
    today = timezone.localdate()
    tops = Node.objects.bulk_create(
        Node(plan=plan, code=str(i), title=f"Objectif {i}", position=i, level="Objectif")
        for i in range(10))
    kids = Node.objects.bulk_create(
        Node(plan=plan, parent=tops[i % 10], depth=1, code=f"{i % 10}.{i}", level="Action",
             title=f"Action {i} réseau de formations", description="Améliorer l'accueil",
             position=i, progress=i % 100, tags=["social"], sdgs=[3],
             start_date=today - dt.timedelta(days=300 + i % 50),
             end_date=today + dt.timedelta(days=(i % 60) - 30),
             status=Node.Status.DONE if i % 7 == 0 else Node.Status.IN_PROGRESS)
        for i in range(n_nodes - 10))
    Node.owners.through.objects.bulk_create(
        Node.owners.through(node_id=k.pk, person_id=person.pk) for k in kids)
    Node.departments.through.objects.bulk_create(
        Node.departments.through(node_id=k.pk, department_id=dept.pk) for k in kids)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(node=k, date=today - dt.timedelta(days=i % 90), progress=k.progress,
                       health=("on_track", "at_risk", "blocked")[i % 3],
                       status=k.status, text=f"Point {i} sur le réseau")
        for i, k in enumerate(kids))
    indicators = Indicator.objects.bulk_create(
        Indicator(node=k, name=f"Indicateur {k.code}", norm_text="50 %") for k in kids[::5])
    Target.objects.bulk_create(Target(indicator=ind, period="2024", value=50)
                               for ind in indicators)
    Measurement.objects.bulk_create(
        Measurement(indicator=ind, period=f"{y}", period_end=dt.date(y, 12, 31), value=40 + y % 20)
        for ind in indicators for y in (2022, 2023, 2024))
    BudgetLine.objects.bulk_create(BudgetLine(node=k, year=2020 + i % 5, planned=1000, spent=400)
                                   for i, k in enumerate(kids))
    return plan


def owner_of(plan: Plan, username: str):
    """A user with the «owner» role in the plan's organization who owns every action."""
    from django.contrib.auth.models import User

    from jalon.accounts.models import Membership, Role

    user = User.objects.create_user(username, password="pw")
    Membership.objects.create(user=user, organization=plan.organization, role=Role.OWNER)
    Person.objects.filter(organization=plan.organization).update(user=user)
    return user


def query_counts(client, url_for, sizes=(50, 2000), *, again: bool = False) -> list[int]:
    """The number of SQL queries of one page for a plan of each size.

    ``url_for(plan, user)`` gives the URL to fetch, logged in as the plan's owner; with
    ``again``, the second request is counted (the page's body from the cache).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in sizes:
        plan = make_plan(size)
        user = owner_of(plan, f"owner{size}")
        client.force_login(user)
        url = url_for(plan, user)
        if again:
            client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx.captured_queries))
    return counts


def stored_imports(var_dir) -> list:
    """The import work files waiting in ``var_dir`` (a preview not yet saved or cancelled)."""
    folder = var_dir / "imports"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def post_plan_file(client, org, data: bytes, name: str, **headers):
    """Upload ``data`` as ``name`` to the organization's plan import."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse("plan_import", args=[org.slug]),
                       {"file": SimpleUploadedFile(name, data)}, **headers)
