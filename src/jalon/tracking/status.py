"""The status of every indicator of a plan (latest value against target/norm, staleness), in a
fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from jalon.core.values import parse_norm

from .evaluation import NO_DATA, NO_NORM, evaluate_norm, evaluate_value, is_stale
from .models import Indicator, Measurement, Target


@dataclass
class IndicatorStatus:
    indicator: Indicator
    status: str  # met, close, missed, no_data, no_norm
    stale: bool
    last_period: str | None
    last_value: Decimal | None
    target: Decimal | None


# up to this many ids, a plan's rows are found through a list of ids (SQLite accepts 32,766
# parameters per statement)
MAX_IDS = 10_000


def plan_indicator_statuses(plan, today: dt.date,
                            node_ids: list[int] | None = None) -> list[IndicatorStatus]:
    """Two queries: indicators with their latest overall value, then their targets.

    ``node_ids``: the plan's node ids, when the caller has them.  PostgreSQL then reads the
    indicators through their node index; joined to the nodes by plan, it scans every
    organization's indicators (a hash join the planner prefers for a plan's few hundred
    nodes), which grew with the installation."""
    if node_ids is not None and len(node_ids) <= MAX_IDS:
        scope = Q(node_id__in=node_ids)
    else:
        scope = Q(node__plan=plan)
    latest = (Measurement.objects.filter(indicator=OuterRef("pk"), dimensions_key="",
                                         value__isnull=False)
              .order_by("-period_end"))
    indicators = list(
        Indicator.objects.filter(scope).select_related("node")
        .annotate(last_value=Subquery(latest.values("value")[:1]),
                  last_period=Subquery(latest.values("period")[:1]),
                  last_end=Subquery(latest.values("period_end")[:1]))
        .order_by("node__depth", "node__position", "position", "id"))
    ids = [ind.pk for ind in indicators]
    targets = targets_by_indicator(ids if len(ids) <= MAX_IDS else
                                   Target.objects.filter(indicator__node__plan=plan))
    out = []
    for ind in indicators:
        target = _target_for(targets.get(ind.pk, {}), ind.last_period)
        status = indicator_status(ind, ind.last_value, target)
        since = ind.created.date() if ind.created else None
        out.append(IndicatorStatus(ind, status, is_stale(ind.frequency, ind.last_end, today, since),
                                   ind.last_period, ind.last_value, target))
    return out


def targets_by_indicator(targets) -> dict[int, dict[str, Decimal]]:
    """Indicator id → {period: target value}, from a Target queryset or a list of indicator ids
    (one query)."""
    if isinstance(targets, list):
        targets = Target.objects.filter(indicator_id__in=targets)
    out: dict[int, dict[str, Decimal]] = {}
    for indicator_id, period, value in targets.values_list("indicator_id", "period", "value"):
        if value is not None:
            out.setdefault(indicator_id, {})[period] = value
    return out


def indicator_status(ind: Indicator, value, target: Decimal | None = None) -> str:
    """The one rule for an indicator's status: monitoring-only indicators have no norm; a
    target for the period wins; otherwise the printed norm (possibly two-tier) decides."""
    if ind.kind == Indicator.Kind.MONITORING:
        return NO_NORM if value is not None else NO_DATA
    if target is not None:
        return evaluate_value(value, target, ind.direction)
    return evaluate_norm(parse_norm(ind.norm_text or ind.target_text), [value], ind.direction)


def _target_for(by_period: dict[str, Decimal], period: str | None) -> Decimal | None:
    """The target of the measured period, else of its year, else the latest target."""
    if not by_period:
        return None
    if period:
        if period in by_period:
            return by_period[period]
        if period[:4] in by_period:
            return by_period[period[:4]]
    return by_period[max(by_period)]
