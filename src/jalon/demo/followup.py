"""Follow-up data for the demo plans.

First the figures the documents themselves print: progress as printed becomes a journal entry
(dated at the end of the plan, or today for a running one), dated figures («Evolution des DEI –
déc-21: 14669») become measurements of one indicator, norms and printed targets become targets
per year of the plan.  Then invented data so that charts, statuses and reminders have something
to show — always labelled as invented: journal entries (``demo.life``: the plan's life, spread
over its years) carry ``demo=True`` and measurements the source «démonstration (valeurs
inventées)».
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jalon.core.values import parse_norm, parse_number
from jalon.plans.models import Plan
from jalon.tracking.models import Indicator, Measurement, Target
from jalon.tracking.periods import PeriodError, parse_period
from jalon.tracking.services import post_update, record_measurement

from .life import live

INVENTED = "démonstration (valeurs inventées)"
_SEPARATOR = re.compile(r"\s[–—-]\s")  # «Name – Scope – déc-21»: the last part is the period


@transaction.atomic
def add_followup(plan: Plan, *, invent: bool = True,
                 today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = defaultdict(int)
    counts["series"] = _dated_figures_to_measurements(plan)
    counts["targets"] = _targets_from_norms(plan)
    counts["journal"] = _progress_as_printed(plan, today)
    if invent:
        counts["invented"] = _invent(plan, today)
    return dict(counts)


def horizon(plan: Plan, today: dt.date) -> dt.date:
    """The last day the plan's follow-up covers: today, or the end of an ended plan."""
    if plan.period_end:
        return min(today, dt.date(plan.period_end, 12, 31))
    return today


def _dated_figures_to_measurements(plan: Plan) -> int:
    made = 0
    dated = [i for i in Indicator.objects.filter(node__plan=plan).select_related("node")
             if i.extra.get("period")]
    groups: dict[tuple[int, str], list[Indicator]] = defaultdict(list)
    for ind in dated:
        groups[(ind.node_id, _base_name(ind.name))].append(ind)
    for (node_id, base), members in groups.items():
        periods = []
        for ind in members:
            try:
                periods.append((ind, parse_period(ind.extra["period"])))
            except PeriodError:
                continue
        if not periods:
            continue
        monthly = any("-" in key and "Q" not in key for _, (key, _end) in periods)
        series, _ = Indicator.objects.get_or_create(
            node_id=node_id, name=base,
            defaults={"kind": Indicator.Kind.MONITORING, "unit": members[0].unit,
                      "frequency": "monthly" if monthly else "yearly",
                      "source_line": members[0].source_line,
                      "data_source": "document source"})
        for ind, (key, _end) in periods:
            value = parse_number(ind.target_text)
            if value is None:
                continue
            record_measurement(series, key, Decimal(str(value)),
                               source=f"document, ligne {ind.source_line}")
            ind.delete()
            made += 1
    return made


def _base_name(name: str) -> str:
    parts = _SEPARATOR.split(name)
    return " – ".join(p.strip() for p in parts[:-1]) if len(parts) > 1 else name.strip()


def _targets_from_norms(plan: Plan) -> int:
    if not plan.period_start:
        return 0
    years = range(plan.period_start, (plan.period_end or plan.period_start) + 1)
    made = 0
    for ind in Indicator.objects.filter(node__plan=plan).exclude(extra__has_key="period"):
        norm = parse_norm(ind.norm_text or ind.target_text)
        if norm.state != ind.norm_state:
            ind.norm_state = norm.state if norm.state in Indicator.NormState.values else ""
            if norm.tiers and not ind.unit:
                ind.unit = norm.tiers[0].unit[:40]
            ind.save()
        value = norm.tiers[0].value if norm.tiers else parse_number(ind.target_text)
        if value is None or norm.state == "to_define":
            continue
        for year in years:
            Target.objects.update_or_create(indicator=ind, period=str(year),
                                            defaults={"value": Decimal(str(value))})
            made += 1
    return made


def _progress_as_printed(plan: Plan, today: dt.date) -> int:
    made = 0
    for node in plan.nodes.filter(progress__isnull=False, updates__isnull=True):
        post_update(node, progress=node.progress, date=horizon(plan, today),
                    text="Avancement tel qu'imprimé dans le document source "
                         f"(ligne {node.extra.get('field_lines', {}).get('progress', node.source_line)}).")
        made += 1
    return made


def _invent(plan: Plan, today: dt.date) -> int:
    """Invented values, reproducible (seeded by the plan's title): yearly measurements of a few
    indicators with targets for the years that have ended, then the plan's life in its
    journal (``demo.life``)."""
    rng = random.Random(plan.title)
    made = 0
    start = plan.period_start or today.year
    end = min(plan.period_end or start, today.year - 1)
    for ind in (Indicator.objects.filter(node__plan=plan, targets__isnull=False).distinct()
                .prefetch_related("targets")[:15]):
        if Measurement.objects.filter(indicator=ind).exclude(source=INVENTED).exists():
            continue
        target = ind.targets.first().value
        for year in range(start, end + 1):
            value = target * Decimal(str(rng.uniform(0.85, 1.05)))
            record_measurement(ind, str(year), value.quantize(Decimal("0.1")), source=INVENTED)
            made += 1
    if not plan.nodes.filter(updates__demo=True).exists():
        made += live(plan, today, rng=rng)
    return made
