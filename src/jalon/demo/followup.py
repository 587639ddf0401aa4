"""Follow-up data for the demo plans.

First the figures the documents themselves print: progress as printed becomes a journal entry,
dated figures («Evolution des DEI – déc-21: 14669») become measurements of one indicator,
norms and printed targets become targets per year of the plan.  Then a little invented data so
that charts and reminders have something to show — always labelled as invented: journal entries
carry ``demo=True`` and measurements the source «démonstration (valeurs inventées)».
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jalon.core.values import parse_norm, parse_number
from jalon.plans.models import Node, Plan
from jalon.tracking.models import Indicator, Measurement, Target
from jalon.tracking.periods import PeriodError, parse_period
from jalon.tracking.services import post_update, record_measurement

INVENTED = "démonstration (valeurs inventées)"
_SEPARATOR = re.compile(r"\s[–—-]\s")  # «Name – Scope – déc-21»: the last part is the period


@transaction.atomic
def add_followup(plan: Plan, *, invent: bool = True) -> dict[str, int]:
    counts = defaultdict(int)
    counts["series"] = _dated_figures_to_measurements(plan)
    counts["targets"] = _targets_from_norms(plan)
    counts["journal"] = _progress_as_printed(plan)
    if invent:
        counts["invented"] = _invent(plan)
    return dict(counts)


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


def _progress_as_printed(plan: Plan) -> int:
    made = 0
    for node in plan.nodes.filter(progress__isnull=False, updates__isnull=True):
        post_update(node, progress=node.progress, date=timezone.localdate(),
                    text="Avancement tel qu'imprimé dans le document source "
                         f"(ligne {node.extra.get('field_lines', {}).get('progress', node.source_line)}).")
        made += 1
    return made


def _invent(plan: Plan) -> int:
    """A few invented values, reproducible (seeded by the plan's title)."""
    rng = random.Random(plan.title)
    made = 0
    start = plan.period_start or timezone.localdate().year
    end = min(plan.period_end or start, timezone.localdate().year)
    for ind in (Indicator.objects.filter(node__plan=plan, targets__isnull=False).distinct()
                .prefetch_related("targets")[:15]):
        if Measurement.objects.filter(indicator=ind).exclude(source=INVENTED).exists():
            continue
        target = ind.targets.first().value
        for year in range(start, end + 1):
            value = target * Decimal(str(rng.uniform(0.85, 1.05)))
            record_measurement(ind, str(year), value.quantize(Decimal("0.1")), source=INVENTED)
            made += 1
    leaves = list(plan.nodes.filter(children__isnull=True, updates__isnull=True)
                  .exclude(status__in=[Node.Status.DONE])[:12])
    for node in leaves:
        progress = rng.choice([10, 25, 40, 60, 80])
        post_update(node, progress=progress, status=Node.Status.IN_PROGRESS,
                    health=rng.choice(["on_track", "on_track", "at_risk", "blocked"]),
                    text="Mise à jour inventée pour la démonstration.", demo=True)
        made += 1
    return made
