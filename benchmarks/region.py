"""A region on one installation: every main page of ONE plan, measured with 1 and with N
organizations present, against the SQL floor (one query reading the same rows).

Each organization has one published plan of ``--items`` items (objectives and actions, owners,
departments), two journal entries per action, an indicator every five actions with
``--months`` monthly measurements and yearly targets, and a budget line per action.  The data
is written with bulk inserts (``bulk_create``), as a loader or a migration of a region would.

For each page the table prints: the median time, the number of SQL queries, the median time of
the page's *SQL floor* (one query reading the rows the page shows), the ratio of the two, and
whether the time grew from 1 to N organizations (more than 1.5× and more than 20 ms).

Run: .venv/bin/python benchmarks/region.py [--orgs 600] [--items 260] [--months 48]
The default (``--orgs 5``) is small enough for CI and SQLite; the full run is ``--orgs 600`` on
PostgreSQL (set ``JALON_BENCH_POSTGRES`` to your database's URL, ``JALON_BENCH_ONLY=postgres``
to skip SQLite).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import per_database  # noqa: E402

REPEAT = 5


# -- building ----------------------------------------------------------------------------------

def build_org(i: int, items: int, months: int, *, user=None):
    """One organization with its published plan, in bulk.  Returns the plan."""
    import datetime as dt

    from django.utils import timezone

    from jalon.plans.models import Department, Node, Organization, Person, Plan
    from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target

    today = timezone.localdate()
    org = Organization.objects.create(name=f"CPAS de Commune {i:03d}", slug=f"cpas-{i:03d}")
    plan = Plan.objects.create(organization=org, title=f"PST {i:03d} 2025-2030", published=True,
                               period_start=2022, period_end=2030,
                               levels=["Objectif stratégique", "Action"])
    depts = Department.objects.bulk_create(
        Department(organization=org, name=f"Service {k}") for k in range(5))
    people = Person.objects.bulk_create(
        Person(organization=org, name=f"Agent {i}-{k}", user=user if k == 0 else None)
        for k in range(8))
    n_obj = max(1, items // 12)
    tops = Node.objects.bulk_create(
        Node(plan=plan, code=str(k + 1), title=f"Objectif {k + 1} : une commune plus solidaire",
             position=k, level="Objectif stratégique") for k in range(n_obj))
    kids = Node.objects.bulk_create(
        Node(plan=plan, parent=tops[k % n_obj], depth=1, code=f"{k % n_obj + 1}.{k // n_obj + 1}",
             level="Action", position=k, progress=(k * 7) % 100, tags=["social"], sdgs=[1, 3],
             title=f"Action {k} : rénover l'accueil et former le réseau des partenaires",
             description="Améliorer l'accueil des usagers et réduire les délais d'attente.",
             start_date=today - dt.timedelta(days=400 + k % 50),
             end_date=today + dt.timedelta(days=(k % 120) - 60),
             status=Node.Status.DONE if k % 9 == 0 else Node.Status.IN_PROGRESS)
        for k in range(items - n_obj))
    Node.owners.through.objects.bulk_create(
        Node.owners.through(node_id=n.pk, person_id=people[k % len(people)].pk)
        for k, n in enumerate(kids))
    Node.departments.through.objects.bulk_create(
        Node.departments.through(node_id=n.pk, department_id=depts[k % len(depts)].pk)
        for k, n in enumerate(kids))
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(node=n, date=today - dt.timedelta(days=(k * 13 + j * 70) % 300),
                       progress=n.progress, health=("on_track", "at_risk", "blocked")[k % 3],
                       status=n.status, text=f"Point {j} : la réunion des partenaires a eu lieu")
        for k, n in enumerate(kids) for j in range(2))
    indicators = Indicator.objects.bulk_create(
        Indicator(node=n, name=f"Dossiers traités {n.code}", norm_text="90 %",
                  frequency="monthly", unit="%") for n in kids[::5])
    Target.objects.bulk_create(Target(indicator=ind, period=str(y), value=90)
                               for ind in indicators for y in range(2022, 2031))
    first = today.replace(day=1)
    periods = []
    for m in range(months):
        y, mo = divmod(first.year * 12 + first.month - 1 - months + m, 12)
        end = (dt.date(y + (mo + 1) // 12, (mo + 1) % 12 + 1, 1) - dt.timedelta(days=1))
        periods.append((f"{y}-{mo + 1:02d}", end))
    Measurement.objects.bulk_create(
        (Measurement(indicator=ind, period=p, period_end=end, value=80 + (k + len(p)) % 20)
         for k, ind in enumerate(indicators) for p, end in periods), batch_size=5000)
    BudgetLine.objects.bulk_create(
        BudgetLine(node=n, year=2025 + k % 5, planned=10000 + k, committed=5000, spent=2500)
        for k, n in enumerate(kids))
    return plan


# -- measuring ---------------------------------------------------------------------------------

def floors(plan, node, user) -> dict[str, tuple[str, list]]:
    """For each page, one SQL query reading the rows the page shows."""
    node_cols = ("n.id, n.parent_id, n.code, n.title, n.status, n.progress, n.start_date, "
                 "n.end_date, n.depth, n.position")
    nodes = (f"SELECT {node_cols}, pe.name FROM plans_node n "
             f"LEFT JOIN plans_node_owners o ON o.node_id = n.id "
             f"LEFT JOIN plans_person pe ON pe.id = o.person_id "
             f"WHERE n.plan_id = %s ORDER BY n.depth, n.position")
    latest = ("LEFT JOIN tracking_indicator i ON i.node_id = n.id "
              "LEFT JOIN tracking_measurement m ON m.indicator_id = i.id AND m.period_end = "
              "(SELECT MAX(m2.period_end) FROM tracking_measurement m2 "
              "WHERE m2.indicator_id = i.id)")
    with_journal = (f"SELECT {node_cols}, u.date, u.health, u.text FROM plans_node n "
                    f"LEFT JOIN tracking_progressupdate u ON u.node_id = n.id "
                    f"WHERE n.plan_id = %s ORDER BY n.depth, n.position")
    public = (f"SELECT {node_cols}, i.name, m.value, m.period FROM plans_node n {latest} "
              f"WHERE n.plan_id = %s ORDER BY n.depth, n.position")
    dashboard = (f"SELECT {node_cols}, i.name, m.value, b.planned, b.spent FROM plans_node n "
                 f"{latest} LEFT JOIN tracking_budgetline b ON b.node_id = n.id "
                 f"WHERE n.plan_id = %s")
    mine = (f"SELECT {node_cols}, p.title FROM plans_node n "
            f"JOIN plans_node_owners o ON o.node_id = n.id "
            f"JOIN plans_person pe ON pe.id = o.person_id "
            f"JOIN plans_plan p ON p.id = n.plan_id WHERE pe.user_id = %s "
            f"ORDER BY n.end_date")
    sheet = ("SELECT i.id, i.name, m.period, m.value, t.value FROM tracking_indicator i "
             "LEFT JOIN tracking_measurement m ON m.indicator_id = i.id "
             "LEFT JOIN tracking_target t ON t.indicator_id = i.id AND t.period = "
             "substr(m.period, 1, 4) WHERE i.node_id = %s")
    return {
        "home": (mine, [user.pk]),
        "plan tree": (nodes, [plan.pk]),
        "dashboard": (dashboard, [plan.pk]),
        "explorer": (with_journal, [plan.pk]),
        "explorer search": (with_journal, [plan.pk]),
        "timeline": (nodes, [plan.pk]),
        "action sheet": (sheet, [node.pk]),
        "public plan page": (public, [plan.pk]),
        "open data JSON": (public, [plan.pk]),
        "open data CSV": (public, [plan.pk]),
        "/public/catalog.json": (
            "SELECT p.id, p.title, p.last_modified, o.name FROM plans_plan p JOIN "
            "plans_organization o ON o.id = p.organization_id WHERE p.published "
            "ORDER BY o.name, p.title", []),
        "API /plans (page)": (
            "SELECT p.id, p.title, o.name FROM plans_plan p JOIN plans_organization o ON "
            "o.id = p.organization_id ORDER BY p.id LIMIT 100", []),
        "API /organizations (page)": (
            "SELECT id, name, slug FROM plans_organization ORDER BY name LIMIT 100", []),
        "API nodes (page of 100)": (
            f"SELECT {node_cols}, pe.name FROM plans_node n LEFT JOIN plans_node_owners o "
            f"ON o.node_id = n.id LEFT JOIN plans_person pe ON pe.id = o.person_id "
            f"WHERE n.plan_id = %s ORDER BY n.depth, n.position, n.id LIMIT 100", [plan.pk]),
    }


def pages(plan, node) -> dict[str, str]:
    from django.urls import reverse

    org = plan.organization.slug
    return {
        "home": reverse("home"),
        "plan tree": reverse("plan_detail", args=[plan.pk]),
        "dashboard": reverse("plan_dashboard", args=[plan.pk]),
        "explorer": reverse("plan_explorer", args=[plan.pk]),
        "explorer search": reverse("plan_explorer", args=[plan.pk]) + "?q=partenaires+accueil",
        "timeline": reverse("plan_timeline", args=[plan.pk]),
        "action sheet": reverse("node_detail", args=[node.pk]),
        "public plan page": reverse("public_plan", args=[org, plan.pk]),
        "open data JSON": reverse("public_data_json", args=[org, plan.pk]),
        "open data CSV": reverse("public_data_csv", args=[org, plan.pk]),
        "/public/catalog.json": reverse("public_catalog"),
        "API /plans (page)": "/api/v1/plans",
        "API /organizations (page)": "/api/v1/organizations",
        "API nodes (page of 100)": f"/api/v1/plans/{plan.pk}/nodes?page_size=100",
    }


def time_floor(sql: str, params: list) -> float:
    from django.db import connection

    times = []
    for _ in range(REPEAT):
        with connection.cursor() as cur:
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(client, urls: dict[str, str], sql: dict) -> dict[str, tuple[float, int, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in urls.items():
        client.get(url)  # warm: the first request of a kind fills caches, as in production
        times, queries = [], 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (name, url, response.status_code)
            queries = len(ctx.captured_queries)
        out[name] = (statistics.median(times), queries, time_floor(*sql[name]))
    return out


def run_one(orgs: int, items: int, months: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from jalon.accounts.models import Membership
    from jalon.plans.models import Node
    from jalon.tracking.models import Measurement

    user = User.objects.create_user("coordinatrice", password="bench-pw-123")
    t0 = time.perf_counter()
    plan = build_org(0, items, months, user=user)
    Membership.objects.create(user=user, organization=plan.organization, role="plan_editor")
    node = plan.nodes.filter(depth=1, indicators__isnull=False).first()
    client = Client()
    client.force_login(user)
    urls, sql = pages(plan, node), floors(plan, node, user)
    one = measure(client, urls, sql)
    for i in range(1, orgs):
        build_org(i, items, months)
    build = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    many = measure(client, urls, sql)
    print(f"\n{connection.vendor}: {orgs} organizations × {items} items: "
          f"{Node.objects.count():,} items, {Measurement.objects.count():,} measurements "
          f"(built in {build:.0f} s); one plan measured, median of {REPEAT}")
    print(f"| page | 1 org: ms | queries | {orgs} orgs: ms | queries | SQL floor ms | "
          f"× floor | grew with N |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name in urls:
        t1, q1, _ = one[name]
        tn, qn, floor = many[name]
        grew = tn > 1.5 * t1 and tn - t1 > 0.020
        print(f"| {name} | {t1 * 1000:.0f} | {q1} | {tn * 1000:.0f} | {qn} | "
              f"{floor * 1000:.1f} | {tn / floor:.1f} | {'**yes**' if grew else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--items", type=int, default=260)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    per_database(__file__, sys.argv[1:], lambda: run_one(args.orgs, args.items, args.months))


if __name__ == "__main__":
    main()
