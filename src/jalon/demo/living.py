"""The invented current plan of the demo: a CPAS PST 2025–2031 built on the structure of a seed
(Mont-à-Leux's 2019–2025 PST, deadlines moved five years on), followed up to today.

Everything in it is invented and says so: the organization is «(organisation fictive)», the plan
title says «plan inventé», journal entries are ``demo=True``, measurements come from
«démonstration (valeurs inventées)».  The demo account owns some of its actions, chosen so that
its home page shows one of each: done, late, due soon, at risk, blocked, on time, without a
recent update, not started; two indicators it owns give reminders (one stale, one off target).
Dates are computed from the day of loading so that the demo stays current.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

from jalon.accounts.models import Membership, Role
from jalon.ingest import parse_path
from jalon.plans.audit import attributed
from jalon.plans.loader import load_draft
from jalon.plans.models import Node, Organization, Person, Plan
from jalon.plans.services import update_node
from jalon.tracking.models import BudgetLine, Indicator, Target
from jalon.tracking.periods import parse_period
from jalon.tracking.services import record_measurement

from .followup import INVENTED
from .life import Fate, live

SEED = "001_c3f13c68925d32f5.txt"
SHIFT = 5  # years: the seed's actions ran 2020–2025, the invented ones run 2025–2030
START, END = 2025, 2031
ORGANIZATION = {"slug": "cpas-val-fleuri-fictif", "name": "CPAS de Val-Fleuri (organisation fictive)",
                "kind": "cpas"}
TITLE = "PST 2025–2031 du CPAS de Val-Fleuri (plan inventé pour la démonstration)"
SOURCE = f"inventé pour la démonstration, sur la structure de {SEED}"
DEMO_PERSON = "Dominique Demo (compte de démonstration)"
_YEAR = re.compile(r"\b(20[12]\d)\b")


def _shift(text: str) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + SHIFT), text)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def build(seeds_dir, user, writer, today: dt.date) -> Plan:
    """Create the invented plan (or return it when it exists) with its year of follow-up."""
    org, _created = Organization.objects.update_or_create(
        slug=ORGANIZATION["slug"], defaults={"name": ORGANIZATION["name"],
                                             "kind": ORGANIZATION["kind"], "languages": ["fr"]})
    Membership.objects.get_or_create(user=user, organization=org, role=Role.ORG_ADMIN)
    Membership.objects.get_or_create(user=writer, organization=org, role=Role.PLAN_EDITOR)
    plan = Plan.objects.filter(organization=org, source_document=SOURCE).first()
    if plan is not None:
        return plan
    draft = parse_path(seeds_dir / SEED)
    draft.title, draft.source = TITLE, SOURCE
    draft.period_start, draft.period_end = START, END
    draft.status, draft.published = Plan.Status.ADOPTED, True
    draft.adopted_by, draft.adopted_on = "Conseil de l'action sociale", f"{START}-03-26"
    for n in draft.nodes:
        for key in ("deadline", "start", "end"):
            if isinstance(n.fields.get(key), str):
                n.fields[key] = _shift(n.fields[key])
        for key in ("progress", "status"):
            n.fields.pop(key, None)
    plan = load_draft(draft, org)
    rng = random.Random(f"{TITLE}|{today.isoformat()}")
    fates = _demo_actions(plan, org, user, today)
    live(plan, today, rng=rng, fates=fates)
    _indicators(plan, org, user, today, rng)
    _budget(plan, today, rng)
    return plan


def _demo_actions(plan: Plan, org: Organization, user, today: dt.date) -> dict[int, Fate]:
    """Give the demo account actions in every state a user meets, with deadlines set from
    today; return their stories for ``life.live``."""
    person, _created = Person.objects.get_or_create(organization=org, name=DEMO_PERSON,
                                                    defaults={"user": user})
    d = dt.timedelta
    # (deadline, fate) — the last entry's date is set so that «no recent update» shows once
    wanted = [
        (today - d(days=75), Fate("done", 100, last=today - d(days=80))),
        (today - d(days=35), Fate("in_progress", 60, "on_track", last=today - d(days=20))),
        (today + d(days=10), Fate("in_progress", 85, "on_track", last=today - d(days=6))),
        (today + d(days=120), Fate("in_progress", 35, "at_risk", last=today - d(days=12))),
        (today + d(days=200), Fate("in_progress", 25, "blocked", last=today - d(days=25))),
        (today + d(days=400), Fate("in_progress", 30, "on_track", last=today - d(days=9))),
        (today + d(days=300), Fate("in_progress", 20, "on_track", last=today - d(days=95))),
        (today + d(days=540), Fate("not_started", 0)),
    ]
    leaves = list(plan.nodes.filter(children__isnull=True).order_by("depth", "position", "id"))
    # one action in each objective first, so that they spread over the plan
    chosen, seen = [], set()
    for n in leaves:
        if n.parent_id not in seen:
            seen.add(n.parent_id)
            chosen.append(n)
    chosen = (chosen + [n for n in leaves if n not in chosen])[:len(wanted)]
    fates: dict[int, Fate] = {}
    for node, (deadline, fate) in zip(chosen, wanted, strict=False):
        start = dt.date(START, 1, 1) if fate.status != "not_started" else deadline - d(days=200)
        update_node(node, {"start_text": _fmt(start), "deadline_text": _fmt(deadline),
                           "owners": [person, *node.owners.all()]})
        fates[node.pk] = fate
    return fates


def _quarters(first_year: int, today: dt.date) -> list[str]:
    """Quarters that have ended by today, from ``first_year``."""
    out = []
    for year in range(first_year, today.year + 1):
        for q in range(1, 5):
            key = f"{year}-Q{q}"
            if parse_period(key)[1] < today:
                out.append(key)
    return out


def _indicators(plan: Plan, org: Organization, user, today: dt.date,
                rng: random.Random) -> None:
    """Quarterly invented measurements against yearly targets for a few indicators; the demo
    account owns two (one without its latest values, one off target)."""
    demo = Person.objects.get(organization=org, name=DEMO_PERSON)
    quarters = _quarters(START, today)
    mine = list(plan.nodes.filter(owners=demo, status=Node.Status.IN_PROGRESS)
                .order_by("depth", "position", "id")[:2])
    names = ["Personnes accompagnées", "Dossiers traités dans le mois"]
    indicators = [Indicator.objects.create(node=n, name=name) for n, name in zip(
        mine, names, strict=False)]
    indicators += list(Indicator.objects.filter(node__plan=plan, node__start_date__year=START)
                       .exclude(pk__in=[i.pk for i in indicators])
                       .order_by("node__depth", "node__position", "id")[:4])
    for i, ind in enumerate(indicators):
        # followed since the plan's adoption (staleness counts from then)
        ind.created = dt.datetime(START, 3, 26, 12, tzinfo=dt.UTC)
        base = Decimal(rng.randrange(40, 400))
        ind.kind, ind.frequency, ind.direction = "result", "quarterly", "up"
        ind.unit, ind.baseline_value = "personnes", base
        ind.baseline_date = dt.date(START - 1, 12, 31)
        ind.data_source = INVENTED
        ind.owner = demo if i < 2 else None
        attributed(ind, None).save()
        for year in range(START, END + 1):
            Target.objects.update_or_create(
                indicator=ind, period=str(year),
                defaults={"value": (base * Decimal(1 + 0.05 * (year - START + 1))).quantize(
                    Decimal(1))})
        series = quarters[:-2] if i == 0 else quarters  # the first one: two quarters missing
        for k, period in enumerate(series):
            growth = 1 + 0.012 * k + rng.uniform(-0.03, 0.03)
            if i == 1:
                growth = 0.85 + rng.uniform(-0.03, 0.03)  # well below its target
            record_measurement(ind, period, (base * Decimal(str(growth))).quantize(
                Decimal("0.1")), source=INVENTED)


def _budget(plan: Plan, today: dt.date, rng: random.Random) -> None:
    """Planned amounts as the document states them, spread over the action's years; what
    was committed and spent so far (invented)."""
    for node in plan.nodes.filter(money_lines__isnull=False).distinct().prefetch_related(
            "money_lines", "budget_lines"):
        lines = list(node.budget_lines.all())
        if not lines:  # nothing read from the money lines: one line per year of the action
            first = (node.start_date or dt.date(START, 1, 1)).year
            last = max(first, (node.end_date or dt.date(first, 12, 31)).year)
            total = sum(m.amount for m in node.money_lines.all())
            years = range(first, last + 1)
            share = (total / len(years)).quantize(Decimal("0.01"))
            lines = [attributed(BudgetLine(node=node, year=y, planned=share,
                                           funding_source="Fonds propres"), None)
                     for y in years]
        for line in lines:
            year = line.year or today.year  # a line without year: spent over the plan's life
            if year < today.year:
                line.committed = (line.planned * Decimal(str(rng.uniform(0.85, 1)))).quantize(
                    Decimal(10))
                line.spent = (line.committed * Decimal(str(rng.uniform(0.8, 1)))).quantize(
                    Decimal(10))
            elif year == today.year:
                line.committed = (line.planned * Decimal(str(rng.uniform(0.4, 0.9)))).quantize(
                    Decimal(10))
                line.spent = (line.committed * Decimal(str(rng.uniform(0.3, 0.8)))).quantize(
                    Decimal(10))
            attributed(line, None).save()
