"""Follow-up data on top of the shared `world`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from web_samples import days

from jalon.plans.models import Node
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target


@pytest.fixture
def var_dir(settings, tmp_path):
    """The import work files (and other run files) in this test's own folder; a module that
    uploads plans says ``pytestmark = pytest.mark.usefixtures("var_dir")``."""
    settings.VAR_DIR = tmp_path
    return tmp_path


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
