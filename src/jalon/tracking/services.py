"""Writes of the follow-up: journal entries, measurements (one or in bulk), budget lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from jalon.plans.audit import attributed
from jalon.plans.models import Node, Plan

from .models import Indicator, Measurement, ProgressUpdate, dimensions_key
from .periods import PeriodError, parse_period


@transaction.atomic
def post_update(node: Node, *, by=None, date: dt.date | None = None, status: str = "",
                health: str = "", progress=None, text: str = "", attachment=None,
                demo: bool = False) -> ProgressUpdate:
    """Add a journal entry; the latest entry sets the node's current status and progress."""
    if status and status not in Node.Status.values:
        raise ValueError(f"statut inconnu : {status}")
    update = attributed(ProgressUpdate(node=node, date=date or timezone.localdate(), author=by,
                                status=status, health=health, text=text, demo=demo,
                                progress=None if progress is None else Decimal(str(progress))), by)
    if attachment is not None:
        update.attachment = attachment
    update.save()
    latest = node.updates.order_by("-date", "-created", "-id").first()
    if latest.pk == update.pk:
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


# -- indicators, targets and budget lines (web, API and CLI share these) ------------------
# Indicators and budget lines carry a ``version`` (optimistic locking, like nodes): every
# change bumps it, and an update that names the version it read is refused with
# ``ConflictError`` when somebody saved in between.  A target belongs to its indicator:
# replacing the targets bumps the indicator's version.

@transaction.atomic
def create_record(obj, *, by=None):
    """Save a new indicator or budget line with its audit record."""
    attributed(obj, by).save()
    return obj


def _locked(obj, expected_version: int | None):
    from jalon.plans.services import ConflictError

    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


@transaction.atomic
def update_record(obj, changes: dict, *, expected_version: int | None = None, by=None):
    """Save the changed fields only (one audit record, none when nothing changed)."""
    current = _locked(obj, expected_version)
    changed = [k for k, v in changes.items() if getattr(current, k) != v]
    for k in changed:
        setattr(current, k, changes[k])
    if changed:
        current.version += 1
        attributed(current, by).save(update_fields=[*changed, "version"])
    return current


@transaction.atomic
def delete_record(obj, *, by=None) -> None:
    attributed(obj, by).delete()


@transaction.atomic
def replace_targets(indicator: Indicator, wanted: list[dict], *,
                    expected_version: int | None = None, by=None) -> list:
    """Make the indicator's targets exactly ``wanted`` (one per period): changed ones saved,
    missing ones created, the others deleted, each with its audit record."""
    from .models import Target

    current = _locked(indicator, expected_version)
    existing = {t.period: t for t in Target.objects.select_for_update().filter(
        indicator=current)}
    touched = False
    for w in wanted:
        t = existing.pop(w["period"], None)
        if t is None:
            attributed(Target(indicator=current, **w), by).save()
            touched = True
            continue
        changed = [k for k in ("value", "low", "high") if getattr(t, k) != w[k]]
        for k in changed:
            setattr(t, k, w[k])
        if changed:
            attributed(t, by).save(update_fields=changed)
            touched = True
    for t in existing.values():
        attributed(t, by).delete()
        touched = True
    if touched:
        Indicator.objects.filter(pk=current.pk).update(version=current.version + 1)
    return list(current.targets.order_by("period"))
