"""A plan with follow-up data: journal, indicators with targets and values, budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "src/jalon/demo/seeds"
SEED_003 = SEEDS / "003_cd862c1becbca89e.txt"


@pytest.fixture
def followed(world):
    """World's plan A with: progress in the journal, an indicator with a target and three
    yearly values, budget lines on two years, an owner and a risk on «1.1»."""
    from jalon.plans.models import Person
    from jalon.tracking.models import BudgetLine, Indicator, Target
    from jalon.tracking.services import post_update, record_measurement

    w = world
    w.action.risks = ["Retard du chantier"]
    w.action.comment = "Marché attribué"
    w.action.save()
    w.action.owners.add(Person.objects.create(organization=w.org, name="Anne Chef"))
    post_update(w.action, date=dt.date(2023, 6, 30), progress=40, status="in_progress")
    post_update(w.hr_action, date=dt.date(2023, 6, 30), progress=10, status="in_progress")
    w.indicator = Indicator.objects.create(node=w.action, name="Délai moyen d'accueil",
                                           unit="min", direction="down")
    Target.objects.create(indicator=w.indicator, period="2023", value=Decimal("15"))
    for period, value in (("2021", 30), ("2022", 22), ("2023", 14)):
        record_measurement(w.indicator, period, value)
    BudgetLine.objects.create(node=w.action, year=2023, planned=Decimal("12000"),
                              committed=Decimal("8000"), spent=Decimal("1234.56"))
    BudgetLine.objects.create(node=w.action, year=2024, planned=Decimal("5000"))
    BudgetLine.objects.create(node=w.hr_action, year=2023, planned=Decimal("3000"),
                              spent=Decimal("2500"))
    return w


@pytest.fixture
def seed_plan(db):
    """The CPAS de Binche plan (seed 003) through the importer."""
    from jalon.ingest import parse_path
    from jalon.plans.loader import load_draft

    return load_draft(parse_path(SEED_003))


@pytest.fixture(params=sorted(p.name for p in SEEDS.glob("*.txt")))
def demo_plan(request, db):
    """Each of the five demo plans through the importer."""
    from jalon.ingest import parse_path
    from jalon.plans.loader import load_draft

    return load_draft(parse_path(SEEDS / request.param))
