"""Writes of the follow-up: journal entries, measurements (one or in bulk), budget lines."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.core.values import format_date
from jalon.plans.audit import attributed
from jalon.plans.models import Node, Plan

from .models import Indicator, Measurement, ProgressUpdate, dimensions_key
from .periods import PeriodError, parse_period

JOURNAL_HORIZON_DAYS = 0


class FutureDate(ValueError):
    """A journal entry dated after today (the journal says what happened, not what will)."""


def check_journal_date(date: dt.date | None) -> None:
    """Journal dates go up to today (``JOURNAL_HORIZON_DAYS`` = 0, docs/tracking.md): a date
    in the future is refused."""
    today = timezone.localdate()
    if date is not None and date > today + dt.timedelta(days=JOURNAL_HORIZON_DAYS):
        raise FutureDate(_("La date %(date)s est dans le futur : le journal s'arrête "
                           "aujourd'hui (%(today)s).") % {"date": format_date(date),
                                                          "today": format_date(today)})


@transaction.atomic
def post_update(node: Node, *, by=None, date: dt.date | None = None, status: str = "",
                health: str = "", progress=None, text: str = "", attachment=None,
                demo: bool = False) -> ProgressUpdate:
    """Add a journal entry; the latest entry up to today sets the node's current status and
    progress (a future date is refused: ``check_journal_date``)."""
    if status and status not in Node.Status.values:
        raise ValueError(f"statut inconnu : {status}")
    check_journal_date(date)
    update = attributed(ProgressUpdate(node=node, date=date or timezone.localdate(), author=by,
                                status=status, health=health, text=text, demo=demo,
                                progress=None if progress is None else Decimal(str(progress))), by)
    if attachment is not None:
        update.attachment = attachment
    update.save()
    latest = (node.updates.filter(date__lte=timezone.localdate())
              .order_by("-date", "-created", "-id").first())
    if latest is not None and latest.pk == update.pk:
        current = attributed(Node.objects.select_for_update().get(pk=node.pk), by)
        changed = []
        if status and current.status != status:
            current.status = status
            changed.append("status")
        if update.progress is not None and current.progress != update.progress:
            current.progress = update.progress
            changed.append("progress")
        if changed:
            current.version += 1
            current.save(update_fields=[*changed, "version"])
    return update


MAX_VALUE = Decimal("1e12")  # Measurement.value: 16 digits, 4 decimals
FOUR_PLACES = Decimal("0.0001")


def clean_value(value) -> Decimal:
    """A measured value as the database stores it (4 decimals), refusing what it cannot hold."""
    v = Decimal(str(value))
    if not v.is_finite() or abs(v) >= MAX_VALUE:
        raise InvalidOperation(f"valeur hors limites : {value}")
    return v.quantize(FOUR_PLACES)


@transaction.atomic
def record_measurement(indicator: Indicator, period: str, value, *, dimensions=None,
                       comment: str = "", source: str = "", by=None) -> tuple[Measurement, bool]:
    """Idempotent per indicator + period + dimensions: returns (measurement, created)."""
    key, period_end = parse_period(period)
    dims = {str(k): str(v) for k, v in (dimensions or {}).items()}
    existing = Measurement.objects.filter(indicator=indicator, period=key,
                                          dimensions_key=dimensions_key(dims)).first()
    value = clean_value(value)
    if existing is not None:
        if existing.value == value and existing.comment == comment and existing.source == source:
            return existing, False
        existing.value, existing.comment, existing.source = value, comment, source
        attributed(existing, by).save()
        return existing, False
    m = Measurement(indicator=indicator, period=key, period_end=period_end, dimensions=dims,
                    value=value, comment=comment, source=source, entered_by=by)
    attributed(m, by).save()
    return m, True


# -- bulk upload -------------------------------------------------------------------------

MEASUREMENT_COLUMNS = ("indicator_id", "code", "indicator", "period", "value", "comment",
                       "source")


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"ligne {self.row} : {self.message}"


@dataclass
class CheckedRow:
    row: int
    indicator: Indicator
    period: str
    value: Decimal
    dimensions: dict
    comment: str = ""
    source: str = ""


@dataclass
class BulkResult:
    valid: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False


class BulkRejected(Exception):
    def __init__(self, result: BulkResult):
        self.result = result
        super().__init__("; ".join(str(e) for e in result.errors[:20]))


def _cell(row: dict, *names: str) -> str:
    for n in names:
        v = row.get(n)
        if v not in (None, ""):
            return str(v).strip()
    return ""


def check_measurement_rows(plan: Plan, rows: list[tuple[int, dict]]) -> BulkResult:
    """Validate every row (all errors at once, with their row numbers); writes nothing.

    A row names its indicator by ``indicator_id``, or by the node ``code`` and the
    ``indicator`` name; other columns named ``dim:NAME`` are breakdown dimensions.
    """
    result = BulkResult()
    indicators = list(Indicator.objects.filter(node__plan=plan).select_related("node"))
    by_id = {i.pk: i for i in indicators}
    by_name = {(i.node.code, i.name.strip().lower()): i for i in indicators}
    seen: dict[tuple, int] = {}
    for number, row in rows:
        ind_id, code, name = (_cell(row, "indicator_id"), _cell(row, "code"),
                              _cell(row, "indicator", "indicateur"))
        indicator = None
        if ind_id:
            indicator = by_id.get(int(ind_id)) if ind_id.isdigit() else None
        elif code and name:
            indicator = by_name.get((code, name.lower()))
        if indicator is None:
            label = ind_id or f"{code} / {name}".strip(" /")
            result.errors.append(RowError(number, f"indicateur inconnu dans ce plan : {label!r}"))
            continue
        raw_period = _cell(row, "period", "periode", "période")
        try:
            period, period_end = parse_period(raw_period)
        except PeriodError as exc:
            result.errors.append(RowError(number, str(exc)))
            continue
        if (plan.period_start and period_end.year < plan.period_start) or (
                plan.period_end and period_end.year > plan.period_end):
            result.errors.append(RowError(number, f"période {period} hors du plan "
                                          f"({plan.period_start}–{plan.period_end})"))
            continue
        raw_value = _cell(row, "value", "valeur", "waarde")
        try:
            value = clean_value(raw_value.replace("\u202f", "").replace(" ", "")
                                .replace(",", "."))
        except (InvalidOperation, ValueError):
            result.errors.append(RowError(number, f"valeur non numérique : {raw_value!r}"))
            continue
        dims = {k[4:].strip(): str(v).strip() for k, v in row.items()
                if k and k.startswith("dim:") and v not in (None, "")}
        key = (indicator.pk, period, dimensions_key(dims))
        if key in seen:
            result.errors.append(RowError(number, f"doublon de la ligne {seen[key]}"))
            continue
        seen[key] = number
        result.valid.append(CheckedRow(number, indicator, period, value, dims,
                                       _cell(row, "comment", "commentaire"), _cell(row, "source")))
    return result


@transaction.atomic
def import_measurements(plan: Plan, rows: list[tuple[int, dict]], *, accept_valid: bool = False,
                        by=None) -> BulkResult:
    """Write the rows, all or nothing; with errors, write the valid rows only if the user
    explicitly accepted them (``accept_valid``)."""
    result = check_measurement_rows(plan, rows)
    if result.errors and not accept_valid:
        raise BulkRejected(result)
    existing = {(m.indicator_id, m.period, m.dimensions_key): m for m in Measurement.objects.filter(
        indicator__node__plan=plan, indicator__in={r.indicator.pk for r in result.valid})}
    new = []
    for r in result.valid:
        key = (r.indicator.pk, r.period, dimensions_key(r.dimensions))
        m = existing.get(key)
        if m is None:
            new.append(Measurement(indicator=r.indicator, period=r.period,
                                   period_end=parse_period(r.period)[1], dimensions=r.dimensions,
                                   dimensions_key=key[2], value=r.value, comment=r.comment,
                                   source=r.source, entered_by=by))
        elif (m.value, m.comment, m.source) != (r.value, r.comment, r.source):
            m.value, m.comment, m.source = r.value, r.comment, r.source
            attributed(m, by).save()
            result.updated += 1
        else:
            result.unchanged += 1
    if new:
        # bulk insert with one history row each (bulk_create skips the signals)
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(new, Measurement, batch_size=1000, default_user=by)
    result.created = len(new)
    result.written = True
    return result


# -- budget lines from the plan's own amounts ----------------------------------------------

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def money_line_year(line, node, amounts: int = 1) -> int | None:
    """The year of a plan amount: the line's own; else the one year the printed budget names
    when it states a single amount («2.500 € en 2024»); else the node's dates when they fall
    in one year; else none (a line without year)."""
    if line.year:
        return line.year
    printed = str(((node.extra or {}).get("fields") or {}).get("budget_as_printed") or "")
    named = set(_YEAR.findall(printed))
    if amounts == 1 and len(named) == 1:
        return int(named.pop())
    years = {d.year for d in (node.start_date, node.end_date) if d}
    return years.pop() if len(years) == 1 else None


def _budget_type(text: str) -> str:
    from .models import BudgetLine

    t = (text or "").strip().casefold()
    return t if t in BudgetLine.Type.values else BudgetLine.Type.ORDINARY


@transaction.atomic
def budget_from_plan(plan: Plan, *, by=None) -> int:
    """Make a planned budget line of every amount the plan states (``MoneyLine``) that has
    none yet, by year and funding source where the document says so; a line already made
    keeps its recorded spending and follows a changed amount.  Returns the lines created or
    changed.  Queries: 2 + one per line written."""
    from jalon.plans.models import MoneyLine

    from .models import BudgetLine

    money = list(MoneyLine.objects.filter(node__plan=plan).select_related("node")
                 .order_by("node_id", "position", "id"))
    made: dict[int, BudgetLine] = {}
    orphans: dict[tuple, list[BudgetLine]] = {}  # lines whose amount a re-import replaced
    for b in BudgetLine.objects.filter(node__plan=plan).filter(
            models.Q(money_line__isnull=True) | models.Q(money_line__in=money)):
        if b.money_line_id:
            made[b.money_line_id] = b
        else:
            orphans.setdefault((b.node_id, b.year, b.planned), []).append(b)
    written = 0
    per_node: dict[int, int] = {}
    for m in money:
        per_node[m.node_id] = per_node.get(m.node_id, 0) + 1
    for m in money:
        year = money_line_year(m, m.node, per_node[m.node_id])
        line = made.get(m.pk)
        if line is None and orphans.get((m.node_id, year, m.amount)):
            line = orphans[(m.node_id, year, m.amount)].pop(0)
            line.money_line = m
            _as(line, by).save(update_fields=["money_line"])
            continue
        if line is None:
            _as(BudgetLine(node=m.node, money_line=m, year=year, planned=m.amount,
                           funding_source=(m.funding_source or m.node.funding)[:200],
                           budget_type=_budget_type(m.budget_type)), by).save()
            written += 1
        elif line.planned != m.amount:
            line.planned = m.amount
            _as(line, by).save(update_fields=["planned"])
            written += 1
    return written


@transaction.atomic
def record_spending(line, *, committed=None, spent=None, by=None):
    """Record what was committed and spent against a budget line (changed fields only)."""
    changed = []
    for name, value in (("committed", committed), ("spent", spent)):
        if value is None:
            continue
        v = Decimal(str(value)).quantize(Decimal("0.01"))
        if v < 0 or abs(v) >= Decimal("1e12"):
            raise ValueError(f"montant hors limites : {value}")
        if getattr(line, name) != v:
            setattr(line, name, v)
            changed.append(name)
    if changed:
        _as(line, by).save(update_fields=changed)
    return line
