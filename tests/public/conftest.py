"""A published plan with something in every field a plan may hide, and a validated
evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from public_markers import MARKERS, MONEY_PLANNED


@pytest.fixture
def published(world):
    from jalon.plans.models import Department, Person
    from jalon.reports import services
    from jalon.tracking.models import BudgetLine, Indicator
    from jalon.tracking.services import post_update, record_measurement

    w = world
    w.plan.published = True
    w.plan.save()
    a = w.action
    for attr in ("owners", "team", "mandataires"):
        getattr(a, attr).add(Person.objects.create(organization=w.org, name=MARKERS[attr]))
    a.departments.add(Department.objects.create(organization=w.org, name=MARKERS["departments"]))
    for attr in ("partners", "steering", "risks", "deliverables"):
        setattr(a, attr, [MARKERS[attr]])
    for attr in ("description", "comment", "funding", "start_text", "end_text"):
        setattr(a, attr, MARKERS[attr])
    a.fte = Decimal("3.75")
    a.save()
    post_update(a, date=dt.date(2023, 6, 30), progress=40, status="in_progress")
    ind = Indicator.objects.create(node=a, name=MARKERS["indicators"], unit="%")
    record_measurement(ind, "2023", 71)
    BudgetLine.objects.create(node=a, year=2023, planned=MONEY_PLANNED, spent=Decimal("1000"))
    e = services.create_evaluation(w.plan, kind="mid_term", as_of=dt.date(2023, 12, 31),
                                   overall="Le plan avance comme prévu.")
    services.set_assessment(e, MARKERS["assessments"], code="1")
    services.submit(e)
    w.evaluation = services.publish(services.validate(e, by=w.org_admin), by=w.org_admin)
    return w
