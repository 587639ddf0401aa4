"""Belgian formats in templates: ``{{ x|money }}``, ``{{ x|num:1 }}``, ``{{ d|bedate }}``."""

from __future__ import annotations

from django import template

from jalon.core import values
from jalon.core.values import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_period,
)

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 → «1.234,50 €»; empty for None."""
    return "" if value is None or value == "" else format_money(float(value))


@register.filter
def num(value, decimals=0) -> str:
    """1234.5|num:1 → «1.234,5»; empty for None."""
    if value is None or value == "":
        return ""
    return format_number(float(value), int(decimals))


@register.filter
def pct(value) -> str:
    """A percentage without useless decimals: 42.00 → «42 %», 12.5 → «12,5 %», 69.98 → «70 %»;
    «—» for None."""
    if value is None or value == "":
        return "—"
    return format_percent(value)


@register.filter
def period(value) -> str:
    """«2026-Q1» → «T1 2026», «2026-03» → «mars 2026» (core.values.format_period)."""
    return format_period(value)


@register.filter
def bedate(value) -> str:
    """31/12/2024."""
    return format_date(value) if value else ""


@register.filter
def get(mapping, key):
    """``{{ d|get:key }}``: a dict lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def node_status(value) -> str:
    """The label of a node status code (journal entries store the bare code)."""
    from jalon.plans.models import Node

    return str(dict(Node.Status.choices).get(value, value or ""))


@register.filter
def health_label(value) -> str:
    from jalon.tracking.models import ProgressUpdate

    return str(dict(ProgressUpdate.Health.choices).get(value, value or ""))


@register.simple_tag
def colon(mark: str = ":") -> str:
    """A colon as the language writes it (:func:`jalon.core.values.colon`)."""
    return values.colon(mark)
