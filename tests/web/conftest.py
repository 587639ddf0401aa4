"""Follow-up data on top of the shared `world`, and a plan generator for query-count tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jalon.plans.models import Department, Node, Organization, Person, Plan
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def followed(world):
    """`world` with dates, a journal, an indicator with targets and values, budget lines.

    - 1.1 «Rénover l'accueil» (Service social): 40 %, due in 10 days, at risk.
    - 1.2 «Former le personnel» (RH, owned by `owner`): 80 %, overdue by 20 days.
    """
    w = world
    w.action.progress, w.action.start_date, w.action.end_date = Decimal(40), days(-200), days(10)
    w.action.end_text = "dans 10 jours"
    w.action.save()
    w.hr_action.progress, w.hr_action.start_date = Decimal(80), days(-300)
    w.hr_action.end_date, w.hr_action.status = days(-20), Node.Status.IN_PROGRESS
    w.hr_action.save()
    ProgressUpdate.objects.create(node=w.action, date=days(-30), author=w.editor,
                                  health="at_risk", progress=40,
                                  text="Le réseau informatique du guichet est en panne.")
    ProgressUpdate.objects.create(node=w.hr_action, date=days(-100), author=w.owner,
                                  health="on_track", progress=80, text="Trois formations données.")
    w.indicator = Indicator.objects.create(node=w.action, name="Délai moyen d'attente",
                                           unit="min", direction="down", norm_text="15 minutes",
                                           frequency="yearly")
    Target.objects.create(indicator=w.indicator, period="2023", value=20)
    Target.objects.create(indicator=w.indicator, period="2024", value=15)
    for period, value in (("2023", 25), ("2024", 18)):
        Measurement.objects.create(indicator=w.indicator, period=period,
                                   period_end=dt.date(int(period), 12, 31), value=value)
    BudgetLine.objects.create(node=w.action, year=2023, planned=10000, committed=8000,
                              spent=6000)
    BudgetLine.objects.create(node=w.hr_action, year=2023, planned=5000, spent=5000)
    BudgetLine.objects.create(node=w.action, year=2024, planned=12000, spent=1500.5)
    return w


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
