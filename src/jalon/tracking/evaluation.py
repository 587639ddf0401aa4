"""Indicator status against its target or norm, and staleness — pure functions.

Status: ``met`` / ``close`` / ``missed`` / ``no_data`` (and ``no_norm`` when the norm is still
to be defined or the indicator is for monitoring only).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jalon.core.values import Norm

MET, CLOSE, MISSED, NO_DATA, NO_NORM = "met", "close", "missed", "no_data", "no_norm"
FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "semester": 183, "yearly": 366}
GRACE_DAYS = 15
CLOSE_TOLERANCE = Decimal("0.05")  # within 5 % of the target (relative) counts as close


def evaluate_value(value: Decimal | float | None, target: Decimal | float | None,
                   direction: str = "up", *, low=None, high=None,
                   tolerance: Decimal = CLOSE_TOLERANCE) -> str:
    if value is None:
        return NO_DATA
    v = Decimal(str(value))
    if direction == "band":
        if low is None or high is None:
            return NO_NORM
        lo, hi = Decimal(str(low)), Decimal(str(high))
        if lo <= v <= hi:
            return MET
        span = max(abs(hi - lo), abs(hi), Decimal(1)) * tolerance
        return CLOSE if lo - span <= v <= hi + span else MISSED
    if target is None:
        return NO_NORM
    t = Decimal(str(target))
    margin = abs(t) * tolerance if t else tolerance
    if direction == "down":
        return MET if v <= t else (CLOSE if v <= t + margin else MISSED)
    return MET if v >= t else (CLOSE if v >= t - margin else MISSED)


def evaluate_norm(norm: Norm, values: list[Decimal | float | None], direction: str = "up") -> str:
    """A (possibly multi-tier) norm against the measured value of each tier, in order.

    «80 % dans les 5 jours ouvrables / 100 % dans le mois» is met only when both tiers are;
    missed as soon as one tier is missed; close otherwise.
    """
    if norm.state in {"to_define", "monitoring"}:
        return NO_NORM
    tiers = [t for t in norm.tiers if t.value is not None]
    if not tiers:
        return NO_NORM
    results = [evaluate_value(values[i] if i < len(values) else None, t.value, direction)
               for i, t in enumerate(tiers)]
    if NO_DATA in results:
        return NO_DATA if all(r == NO_DATA for r in results) else MISSED if MISSED in results \
            else NO_DATA
    if MISSED in results:
        return MISSED
    return CLOSE if CLOSE in results else MET


def is_stale(frequency: str, last_period_end: dt.date | None, today: dt.date,
             since: dt.date | None = None) -> bool:
    """No value within its frequency (plus a grace period for data entry).

    ``since``: when the indicator started being followed (no value yet: stale once a whole
    period has passed since then).  Irregular indicators are never stale.
    """
    days = FREQUENCY_DAYS.get(frequency)
    if days is None:
        return False
    reference = last_period_end or since
    if reference is None:
        return True
    return (today - reference).days > days + GRACE_DAYS
