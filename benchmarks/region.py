"""A region on one installation: every main page of ONE plan, measured with 1 and with N
organizations present, against the SQL floor (one query reading the same rows).

Each organization has one published plan of ``--items`` items (objectives and actions, owners,
departments), two journal entries per action, an indicator every five actions with
``--months`` monthly measurements and yearly targets, and a budget line per action.  The
first organization is written through the ORM (bulk inserts); the others are copies of it
made by the database (``clone_orgs``: ``INSERT … SELECT`` per table, every column).

For each page the table prints: the median time, the number of SQL queries, the median time of
the page's *SQL floor* (one query reading the rows the page shows), the ratio of the two, and
whether the time grew from 1 to N organizations (more than 1.5× and more than 20 ms).

Pages are measured with production settings, as a deployment runs them (``JALON_DEBUG=0``: no
template debug, no debug cursor; a throw-away ``JALON_SECRET_KEY``; the static files collected
once into ``JALON_VAR_DIR``, by default a folder of the system's temporary directory; requests
arrive as HTTPS through a proxy, ``X-Forwarded-Proto: https``).  The query count is taken from one
more request than the timed ones, so that timing runs without the debug cursor.  ``--debug``
measures with the settings' default ``DEBUG=True`` instead (the figures before this switch).

Run: .venv/bin/python benchmarks/region.py [--orgs 600] [--items 260] [--months 48] [--debug]
The default (``--orgs 5``) builds fresh test databases (SQLite, then ``JALON_BENCH_POSTGRES``;
``JALON_BENCH_ONLY=postgres`` skips SQLite).  With ``--db postgres://…/region600`` the region
is kept in that database and its 1-organization twin ``region600_one``: built when absent (or
with ``--rebuild``), otherwise only migrated and measured.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import per_database  # noqa: E402

REPEAT = 5
# the node page built anew each time (the cache emptied before every request): the first
# request after a write to the plan
# pages also measured cold: the cache emptied before every request (the first request after
# a write to the plan, or on a server just started)
COLD = ("plan tree", "dashboard", "explorer", "timeline", "action sheet", "public plan page",
        "API nodes (page of 100)")
NOT_CACHED = ", not cached"


def with_cold(table: dict) -> dict:
    """``table`` with a «…, not cached» entry after each page of COLD (same URL, same floor)."""
    out = {}
    for name, value in table.items():
        out[name] = value
        if name in COLD:
            out[name + NOT_CACHED] = value
    return out


# -- building ----------------------------------------------------------------------------------

def build_org(i: int, items: int, months: int, *, user=None):
    """One organization with its published plan, in bulk, through the ORM (the template that
    :func:`clone_orgs` copies).  Returns the plan."""
    import datetime as dt

    from django.utils import timezone

    from jalon.plans.changes import touch_plan
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
             level="Action", position=k // n_obj, progress=(k * 7) % 100, tags=["social"],
             sdgs=[1, 3],
             title=f"Action {k} : rénover l'accueil et former le réseau des partenaires",
             description="Améliorer l'accueil des usagers et réduire les délais d'attente.",
             start_date=today - dt.timedelta(days=400 + k % 50),
             end_date=today + dt.timedelta(days=(k % 120) - 60),
             status=Node.Status.DONE if k % 9 == 0 else Node.Status.IN_PROGRESS)
        for k in range(items - n_obj))
    # the creation of every item in its history, as the importer leaves it (the sheet shows it)
    Node.history.bulk_history_create([*tops, *kids], default_user=user)
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
    touch_plan(plan.pk)  # a revision and a last modification, as every write path leaves
    plan.refresh_from_db()
    return plan


def _cloned():
    """What an organization owns, parents first: (model, lookup from it to the organization)."""
    from jalon.plans.models import Department, Node, Organization, Person, Plan
    from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target

    return [(Organization, "pk"), (Department, "organization"), (Person, "organization"),
            (Plan, "organization"), (Node, "plan__organization"),
            (Node.history.model, None), (Node.owners.through, "node__plan__organization"),
            (Node.departments.through, "node__plan__organization"),
            (ProgressUpdate, "node__plan__organization"),
            (Indicator, "node__plan__organization"), (Target, "indicator__node__plan__organization"),
            (Measurement, "indicator__node__plan__organization"),
            (BudgetLine, "node__plan__organization")]


def clone_orgs(template, first: int, last: int, *, chunk: int = 25, say=print) -> None:
    """Copy the organization ``template`` (its plan, items, people, link tables, journal,
    indicators, measurements, budget lines, item history) as organizations ``first``..``last``
    with set-based ``INSERT … SELECT`` (every column of every row copied, so a column another
    branch adds is copied too; ids shifted by a constant per copy; names and slugs numbered;
    links to accounts left empty).  ``chunk`` organizations per transaction."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max, Min

    qn = connection.ops.quote_name
    pg = connection.vendor == "postgresql"
    number = "lpad(ks.k::text, 3, '0')" if pg else "printf('%%03d', ks.k)"
    renamed = {("plans_organization", "name"), ("plans_organization", "slug"),
               ("plans_plan", "title")}
    plan = {}  # model → (template filter sql, params, shift a, span) for id = id + a + k * span
    for model, lookup in _cloned():
        if lookup is None:  # the history of the model named by history's instance_type
            base = model.instance_type
            rows = model.objects.filter(id__in=base.objects.filter(
                **{plan_lookup(base): template.pk}).values("pk"))
        else:
            rows = model.objects.filter(**{lookup: template.pk})
        bounds = rows.aggregate(lo=Min("pk"), hi=Max("pk"))
        if bounds["lo"] is None:
            continue
        top = model.objects.aggregate(top=Max("pk"))["top"]
        span = bounds["hi"] - bounds["lo"] + 1
        # copy k gets ids from top + 1 + (k - first) * span on
        shift = top + 1 - bounds["lo"] - first * span
        sql, params = rows.values("pk").query.sql_with_params()
        plan[model] = (sql, params, shift, span)

    def target_of(model, field):
        if field.primary_key:
            return model
        if field.is_relation and field.many_to_one:
            return field.related_model
        if getattr(model, "instance_type", None) and field.attname == "id":
            return model.instance_type  # a history row's object
        return None

    t0 = time.perf_counter()
    for lo in range(first, last + 1, chunk):
        hi = min(last, lo + chunk - 1)
        with transaction.atomic():
            for model, (where, params, _shift, _span) in plan.items():
                table = model._meta.db_table
                cols, exprs = [], []
                for field in model._meta.concrete_fields:
                    col = field.column
                    cols.append(qn(col))
                    target = target_of(model, field)
                    if target in plan:
                        shift, span = plan[target][2], plan[target][3]
                        exprs.append(f"t.{qn(col)} + {shift} + ks.k * {span}")
                    elif target is not None and field.null:
                        exprs.append("NULL")  # accounts and batches stay with the template
                    elif (table, col) in renamed:
                        exprs.append(f"replace(t.{qn(col)}, '000', {number})")
                    else:
                        exprs.append(f"t.{qn(col)}")
                pk = qn(model._meta.pk.column)
                with connection.cursor() as cur:
                    cur.execute(
                        f"WITH RECURSIVE ks(k) AS (SELECT {lo} UNION ALL SELECT k + 1 FROM ks "
                        f"WHERE k < {hi}) INSERT INTO {qn(table)} ({', '.join(cols)}) "
                        f"SELECT {', '.join(exprs)} FROM {qn(table)} t CROSS JOIN ks "
                        f"WHERE t.{pk} IN ({where}) ORDER BY ks.k, t.{pk}", params)
        say(f"  organizations {lo}–{hi} copied ({time.perf_counter() - t0:.0f} s)")
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(plan)):
            cur.execute(sql)


def plan_lookup(model) -> str:
    """The lookup from ``model`` (one of the cloned ones) to its organization."""
    return dict(_cloned())[model]


# -- measuring ---------------------------------------------------------------------------------

def floors(plan, node, user) -> dict[str, tuple[str, list]]:
    """For each page, one SQL query reading the rows the page shows."""
    node_cols = ("n.id, n.parent_id, n.code, n.title, n.status, n.progress, n.start_date, "
                 "n.end_date, n.depth, n.position")
    nodes = (f"SELECT {node_cols}, pe.name FROM plans_node n "
             f"LEFT JOIN plans_node_owners o ON o.node_id = n.id "
             f"LEFT JOIN plans_person pe ON pe.id = o.person_id "
             f"WHERE n.plan_id = %s ORDER BY n.depth, n.position")
    # the tree also prints each item's departments
    tree = (f"SELECT {node_cols}, pe.name, d.name FROM plans_node n "
            f"LEFT JOIN plans_node_owners o ON o.node_id = n.id "
            f"LEFT JOIN plans_person pe ON pe.id = o.person_id "
            f"LEFT JOIN plans_node_departments nd ON nd.node_id = n.id "
            f"LEFT JOIN plans_department d ON d.id = nd.department_id "
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
    # the sheet prints the item, its people and departments, its journal, its budget lines and
    # its indicators' values and targets: one statement reading them all
    sheet = ("SELECT n.id, n.title, n.progress FROM plans_node n WHERE n.id = %s "
             "UNION ALL SELECT pe.id, pe.name, NULL FROM plans_node_owners o "
             "JOIN plans_person pe ON pe.id = o.person_id WHERE o.node_id = %s "
             "UNION ALL SELECT d.id, d.name, NULL FROM plans_node_departments nd "
             "JOIN plans_department d ON d.id = nd.department_id WHERE nd.node_id = %s "
             "UNION ALL SELECT u.id, u.text, u.progress FROM tracking_progressupdate u "
             "WHERE u.node_id = %s "
             "UNION ALL SELECT b.id, NULL, b.planned FROM tracking_budgetline b "
             "WHERE b.node_id = %s "
             "UNION ALL SELECT m.id, m.period, m.value FROM tracking_indicator i "
             "JOIN tracking_measurement m ON m.indicator_id = i.id WHERE i.node_id = %s "
             "UNION ALL SELECT t.id, t.period, t.value FROM tracking_indicator i "
             "JOIN tracking_target t ON t.indicator_id = i.id WHERE i.node_id = %s")
    out = {
        "home": (mine, [user.pk]),
        "plan tree": (tree, [plan.pk]),
        "dashboard": (dashboard, [plan.pk]),
        "explorer": (with_journal, [plan.pk]),
        "explorer search": (with_journal, [plan.pk]),
        "timeline": (nodes, [plan.pk]),
        "action sheet": (sheet, [node.pk] * 7),
        "public plan page": (public, [plan.pk]),
        "open data JSON": (public, [plan.pk]),
        "open data CSV": (public, [plan.pk]),
        "/public/catalog.json": (
            "SELECT p.id, p.title, p.last_modified, o.name FROM plans_plan p JOIN "
            "plans_organization o ON o.id = p.organization_id WHERE p.published "
            "ORDER BY o.name, p.title", []),
        # the rows the API pages show: every column of the plans the user sees (their
        # organizations' and the published ones) in the route's order; the user's organizations
        "API /plans (page)": (
            "SELECT p.*, o.name FROM plans_plan p JOIN plans_organization o ON "
            "o.id = p.organization_id WHERE p.published OR p.organization_id IN (SELECT "
            "organization_id FROM accounts_membership WHERE user_id = %s) "
            "ORDER BY o.name, p.title, p.id LIMIT 100", [user.pk]),
        "API /organizations (page)": (
            "SELECT id, name, slug, kind, languages FROM plans_organization WHERE id IN "
            "(SELECT organization_id FROM accounts_membership WHERE user_id = %s) "
            "ORDER BY name, id LIMIT 100", [user.pk]),
        "API plan (one row: a request's fixed cost)": (
            "SELECT * FROM plans_plan WHERE id = %s", [plan.pk]),
        # every column of the page's nodes with the names of their three relations
        "API nodes (page of 100)": (
            "SELECT n.*, pe.name, d.name, ma.name FROM (SELECT * FROM plans_node WHERE "
            "plan_id = %s ORDER BY depth, position, id LIMIT 100) n "
            "LEFT JOIN plans_node_owners o ON o.node_id = n.id "
            "LEFT JOIN plans_person pe ON pe.id = o.person_id "
            "LEFT JOIN plans_node_departments nd ON nd.node_id = n.id "
            "LEFT JOIN plans_department d ON d.id = nd.department_id "
            "LEFT JOIN plans_node_mandataires nm ON nm.node_id = n.id "
            "LEFT JOIN plans_person ma ON ma.id = nm.person_id", [plan.pk]),
    }
    return with_cold(out)


def pages(plan, node) -> dict[str, str]:
    from django.urls import reverse

    org = plan.organization.slug
    return with_cold({
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
        "API plan (one row: a request's fixed cost)": f"/api/v1/plans/{plan.pk}",
        "API nodes (page of 100)": f"/api/v1/plans/{plan.pk}/nodes?page_size=100",
    })


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
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in urls.items():
        client.get(url)  # warm: the first request of a kind fills caches, as in production
        times = []
        for _ in range(REPEAT):
            if name.endswith(NOT_CACHED):
                cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (name, url, response.status_code)
        # counted on one more request: the timed ones run without the debug cursor
        if name.endswith(NOT_CACHED):
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, (name, url, response.status_code)
        out[name] = (statistics.median(times), len(ctx.captured_queries),
                     time_floor(*sql[name]))
    return out


def setting_up(items: int, months: int):
    """The measured user, plan and node (organization 0, the template); built if absent."""
    from django.contrib.auth.models import User

    from jalon.accounts.models import Membership
    from jalon.plans.models import Plan

    user = User.objects.filter(username="coordinatrice").first()
    if user is None:
        user = User.objects.create_user("coordinatrice", password="bench-pw-123")
    plan = Plan.objects.filter(organization__slug="cpas-000").first()
    if plan is None:
        plan = build_org(0, items, months, user=user)
        Membership.objects.create(user=user, organization=plan.organization, role="plan_editor")
    node = plan.nodes.filter(depth=1, indicators__isnull=False).first()
    return user, plan, node


def production_settings(debug: bool) -> None:
    """Before ``django.setup()``: the settings of a deployment (``JALON_DEBUG=0``), unless
    ``debug``; the same in the child processes, which inherit the environment."""
    if debug:
        os.environ["JALON_DEBUG"] = "1"
        return
    os.environ["JALON_DEBUG"] = "0"
    os.environ.setdefault("JALON_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["JALON_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("JALON_VAR_DIR", str(Path(tempfile.gettempdir()) / "jalon-region-var"))


def collect_static() -> None:
    """With production settings the pages name the hashed static files: collect them (skipped
    when nothing changed, as ``jalon serve`` does)."""
    from django.conf import settings

    if not settings.DEBUG:
        from jalon.plans.management.commands.jalon_serve import collect_static as collect

        collect()


def measure_plan(user, plan, node) -> dict[str, tuple[float, int, float]]:
    from django.test import Client

    # behind the deployment's proxy: HTTPS (no redirect, secure cookies, HSTS as in production)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    return measure(client, pages(plan, node), floors(plan, node, user))


def grow(orgs: int, template) -> float:
    """Copy the template organization until ``orgs`` exist; ANALYZE.  Returns the seconds."""
    from django.db import connection

    from jalon.plans.models import Organization

    t0 = time.perf_counter()
    have = Organization.objects.count()
    if have < orgs:
        clone_orgs(template.organization, have, orgs - 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return time.perf_counter() - t0


def census() -> str:
    from jalon.plans.models import Node, Organization
    from jalon.tracking.models import Measurement, ProgressUpdate

    return (f"{Organization.objects.count():,} organizations, {Node.objects.count():,} items, "
            f"{Measurement.objects.count():,} measurements, "
            f"{ProgressUpdate.objects.count():,} journal entries")


def print_table(title: str, orgs: int, one: dict, many: dict) -> None:
    mode = "DEBUG=True (--debug)" if os.environ.get("JALON_DEBUG") == "1" else \
        "production settings (JALON_DEBUG=0)"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{title}; {mode}; load average at the end {load}")
    print(f"| page | 1 org: ms | queries | {orgs} orgs: ms | queries | SQL floor ms | "
          f"× floor | grew with N |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name in many:
        t1, q1, _ = one[name]
        tn, qn, floor = many[name]
        grew = tn > 1.5 * t1 and tn - t1 > 0.020
        print(f"| {name} | {t1 * 1000:.0f} | {q1} | {tn * 1000:.0f} | {qn} | "
              f"{floor * 1000:.1f} | {tn / floor:.1f} | {'**yes**' if grew else 'no'} |")


def run_one(orgs: int, items: int, months: int) -> None:
    """A fresh test database: build organization 0, measure, copy it, measure again."""
    from django.db import connection

    collect_static()
    t0 = time.perf_counter()
    user, plan, node = setting_up(items, months)
    first = time.perf_counter() - t0
    one = measure_plan(user, plan, node)
    copies = grow(orgs, plan)
    many = measure_plan(user, plan, node)
    print_table(f"{connection.vendor}: {census()} (built in {first + copies:.0f} s: "
                f"the first organization {first:.1f} s, the {orgs - 1} others {copies:.1f} s); "
                f"one plan measured, median of {REPEAT}", orgs, one, many)


# -- a kept region: build once, measure after every change --------------------------------------

def _admin(url: str):
    """A connection to the server's maintenance database (autocommit, for CREATE DATABASE)."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _named(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def _exists(url: str) -> bool:
    with _admin(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [urlsplit(url).path.lstrip("/")]).fetchone() is not None


def _child(url: str, step: str, args) -> dict:
    env = dict(os.environ, JALON_DATABASE_URL=url)
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, "--orgs", str(args.orgs), "--items",
         str(args.items), "--months", str(args.months), *(["--debug"] if args.debug else [])],
        env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    result = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(line, flush=True)
    return result


def step(name: str, args) -> None:
    """In a child process, on JALON_DATABASE_URL: migrate, then ``name``."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    collect_static()
    t0 = time.perf_counter()
    user, plan, node = setting_up(args.items, args.months)
    result = {"first": time.perf_counter() - t0}
    if name == "grow":
        result["copies"] = grow(args.orgs, plan)
    elif name == "measure":
        result["pages"] = measure_plan(user, plan, node)
        result["census"] = census()
        from jalon.plans.models import Organization

        result["orgs"] = Organization.objects.count()
    print("RESULT " + json.dumps(result), flush=True)


def kept(args) -> None:
    """``--db URL``: the region lives in that database (and its 1-organization twin
    ``<name>_one``); built when absent or with ``--rebuild``, then only measured."""
    url, one_url = args.db, _named(args.db, "_one")
    name, one_name = urlsplit(url).path.lstrip("/"), urlsplit(one_url).path.lstrip("/")
    if args.rebuild or not _exists(url) or not _exists(one_url):
        t0 = time.perf_counter()
        with _admin(url) as conn:
            for db in (name, one_name):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
            conn.execute(f'CREATE DATABASE "{one_name}"')
        first = _child(one_url, "build", args)["first"]
        with _admin(url) as conn:  # the big one starts as a copy of the small one
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{one_name}"')
        copies = _child(url, "grow", args)["copies"]
        print(f"built {name} in {time.perf_counter() - t0:.0f} s (the first organization "
              f"{first:.1f} s, the {args.orgs - 1} others {copies:.1f} s)", flush=True)
    one = _child(one_url, "measure", args)
    many = _child(url, "measure", args)
    print_table(f"PostgreSQL {name}: {many['census']}; the 1-organization column is measured "
                f"in {one_name}; one plan measured, median of {REPEAT}",
                many["orgs"], one["pages"], many["pages"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--items", type=int, default=260)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--db", help="keep the region in this PostgreSQL database (URL); "
                        "built if absent, then every run only measures")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --db: drop and build the region again")
    parser.add_argument("--debug", action="store_true",
                        help="measure with DEBUG=True (the settings' default) instead of the "
                        "production settings")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    production_settings(args.debug)
    if args.step:
        step(args.step, args)
    elif args.db:
        kept(args)
    else:
        per_database(__file__, sys.argv[1:], lambda: run_one(args.orgs, args.items, args.months))


if __name__ == "__main__":
    main()
