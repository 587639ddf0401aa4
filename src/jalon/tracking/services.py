"""Writes of the follow-up: journal entries, measurements (one or in bulk), budget lines."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.core.values import MeasureValueError, format_date, format_period, parse_measure
from jalon.plans.audit import attributed
from jalon.plans.changes import touch_plan
from jalon.plans.models import Node, Plan

from .models import (
    Indicator,
    Measurement,
    MeasurementBatch,
    MeasurementChange,
    Missing,
    ProgressUpdate,
    dimensions_key,
)
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
        raise ValueError(_("statut inconnu : %(status)s") % {"status": status})
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
        raise InvalidOperation(_("valeur hors limites : %(value)s") % {"value": value})
    return v.quantize(FOUR_PLACES)


@transaction.atomic
def record_measurement(indicator: Indicator, period: str, value, *, dimensions=None,
                       comment: str = "", source: str = "", by=None,
                       missing: str = "") -> tuple[Measurement, bool]:
    """Idempotent per indicator + period + dimensions: returns (measurement, created).

    ``value`` may be typed as people write it («81 %», «1.234,5»); «n.d.» / «nc» (or
    ``value=None`` with ``missing``) record a missing value with its reason."""
    key, period_end = parse_period(period)
    dims = {str(k): str(v) for k, v in (dimensions or {}).items()}
    if value is None:
        missing = missing or Missing.NOT_AVAILABLE
    else:
        value, missing = parse_measure(value) if isinstance(value, str) else (value, "")
    if missing and missing not in Missing.values:
        raise ValueError(_("raison de valeur manquante inconnue : %(reason)s") % {"reason": missing})
    value = None if value is None else clean_value(value)
    existing = Measurement.objects.filter(indicator=indicator, period=key,
                                          dimensions_key=dimensions_key(dims)).first()
    if existing is not None:
        if (existing.value, existing.missing, existing.comment, existing.source) == (
                value, missing, comment, source):
            return existing, False
        if existing.batch_id and not existing.history.exists():
            _history_baseline(existing)
        existing.value, existing.missing = value, missing
        existing.comment, existing.source = comment, source
        attributed(existing, by).save()
        return existing, False
    m = Measurement(indicator=indicator, period=key, period_end=period_end, dimensions=dims,
                    value=value, missing=missing, comment=comment, source=source,
                    entered_by=by)
    attributed(m, by).save()
    return m, True


def _history_baseline(measurement: Measurement) -> None:
    """A measurement written in bulk has no history row: before its first single write, record
    the value it holds as a «+» row dated and attributed like the bulk write that set it, so
    the single write's row has a former value to be compared with."""
    last = measurement.changes.select_related("batch").order_by("-batch_id").first()
    batch = last.batch if last else MeasurementBatch.objects.filter(
        pk=measurement.batch_id).first()
    Measurement.history.bulk_history_create(
        [measurement], default_user=batch.user if batch else None,
        default_date=batch.at if batch else measurement.entered_at)


# -- bulk upload -------------------------------------------------------------------------

MEASUREMENT_COLUMNS = ("indicator_id", "code", "indicator", "period", "value", "comment",
                       "source")


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("ligne %(row)s : %(message)s") % {"row": self.row, "message": self.message}


@dataclass(slots=True)
class CheckedRow:
    row: int
    indicator: Indicator
    period: str
    value: Decimal | None
    dimensions: dict
    comment: str = ""
    source: str = ""
    period_end: dt.date | None = None
    missing: str = ""  # with value None: why the value is missing («n.d.», «nc»)
    dims_key: str = ""


@dataclass
class BulkResult:
    valid: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    batch: MeasurementBatch | None = None


class BulkRejected(Exception):
    def __init__(self, result: BulkResult):
        self.result = result
        super().__init__("; ".join(str(e) for e in result.errors[:20]))


def _cell(row: dict, name: str) -> str:
    v = row.get(name)
    if v is None or v == "":
        return ""
    return v.strip() if type(v) is str else str(v).strip()


_ALIASES = {"indicateur": "indicator", "periode": "period", "période": "period",
            "valeur": "value", "waarde": "value", "commentaire": "comment"}


def _canonical(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        k = _ALIASES.get(k, k)
        if v not in (None, "") or k not in out:
            out[k] = v
    return out


def check_measurement_rows(plan: Plan, rows: list[tuple[int, dict]]) -> BulkResult:
    """Validate every row (all errors at once, with their row numbers); writes nothing.

    A row names its indicator by ``indicator_id``, or by the node ``code`` and the
    ``indicator`` name; other columns named ``dim:NAME`` are breakdown dimensions.  Periods,
    values and dimensions repeat across rows: each distinct text is parsed once, and what the
    headers say (French or Dutch names, which columns are dimensions) is worked out once per
    set of headers (a file's rows all share theirs).
    """
    result = BulkResult()
    indicators = list(Indicator.objects.filter(node__plan=plan).select_related("node"))
    by_id = {str(i.pk): i for i in indicators}
    by_name = {(i.node.code, i.name.strip().lower()): i for i in indicators}
    seen: dict[tuple, int] = {}
    periods: dict[str, tuple] = {}  # raw text → (period, end) or the error message
    values: dict[str, tuple] = {}  # raw text → (value, missing) or the error message
    dims_keys: dict[tuple, tuple] = {}  # dimension values → (dict, key)
    layouts: dict[tuple, tuple] = {}  # headers → (French/Dutch names?, dimension columns)
    first, last = plan.period_start, plan.period_end
    valid, errors = result.valid, result.errors
    for number, row in rows:
        headers = tuple(row)
        layout = layouts.get(headers)
        if layout is None:
            localised = not _ALIASES.keys().isdisjoint(headers)
            names = _canonical(row) if localised else row
            layout = layouts[headers] = (localised, tuple(
                (k, k[4:].strip()) for k in names if k[:4] == "dim:"))
        if layout[0]:  # French or Dutch column names
            row = _canonical(row)
        ind_id = row.get("indicator_id")
        ind_id = "" if ind_id is None else (ind_id.strip() if type(ind_id) is str
                                            else str(ind_id).strip())
        if ind_id:
            indicator = by_id.get(ind_id)
        else:
            code, name = _cell(row, "code"), _cell(row, "indicator")
            indicator = by_name.get((code, name.lower())) if code and name else None
        if indicator is None:
            label = ind_id or f"{code} / {name}".strip(" /")
            errors.append(RowError(number, _("indicateur inconnu dans ce plan : « %(name)s »")
                                    % {"name": label}))
            continue
        raw_period = row.get("period")
        parsed = periods.get(raw_period)
        if parsed is None:
            text = _cell(row, "period")
            try:
                parsed = parse_period(text)
                year = parsed[1].year
                if (first and year < first) or (last and year > last):
                    parsed = _("période %(period)s hors du plan (%(first)s–%(last)s)") % {
                        "period": format_period(parsed[0]), "first": first, "last": last}
            except PeriodError as exc:
                parsed = str(exc)
            if type(raw_period) is str:
                periods[raw_period] = parsed
        if type(parsed) is str:
            errors.append(RowError(number, parsed))
            continue
        period, period_end = parsed
        raw_value = row.get("value")
        typed = values.get(raw_value) if type(raw_value) is str else None
        if typed is None:
            text = _cell(row, "value")
            try:
                typed = parse_measure(text)
                if typed[0] is not None:
                    typed = (clean_value(typed[0]), typed[1])
            except MeasureValueError:
                typed = _("valeur non numérique : « %(value)s » (exemples : 81, 81,5, 81 %%, "
                          "1.234,5, n.d., nc)") % {"value": text}
            except (InvalidOperation, ValueError) as exc:
                typed = str(exc)
            if type(raw_value) is str:
                values[raw_value] = typed
        if type(typed) is str:
            errors.append(RowError(number, typed))
            continue
        if layout[1]:
            raw_dims = tuple([row.get(k) for k, _name in layout[1]])
            known = dims_keys.get(raw_dims)
            if known is None:
                dims = {name: str(v).strip() for (_k, name), v in zip(layout[1], raw_dims,
                                                                      strict=True)
                        if v not in (None, "")}
                known = dims_keys[raw_dims] = (dims, dimensions_key(dims))
            dims, dkey = known
        else:
            dims, dkey = {}, ""
        key = (indicator.pk, period, dkey)
        if key in seen:
            errors.append(RowError(number, _("doublon de la ligne %(row)s") % {"row": seen[key]}))
            continue
        seen[key] = number
        valid.append(CheckedRow(number, indicator, period, typed[0], dims,
                                _cell(row, "comment"), _cell(row, "source"),
                                period_end, typed[1], dkey))
    return result


_COLUMNS = ("indicator_id", "period", "period_end", "dimensions", "dimensions_key", "value",
            "missing", "comment", "source", "entered_by_id", "entered_at", "batch_id")
_UPDATED = ("value", "missing", "comment", "source")  # batch_id stays the creating batch


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def import_measurements(plan: Plan, rows: list[tuple[int, dict]], *, accept_valid: bool = False,
                        by=None, filename: str = "",
                        channel: str = MeasurementBatch.Channel.OTHER) -> BulkResult:
    """Write the rows, all or nothing; with errors, write the valid rows only if the user
    explicitly accepted them (``accept_valid``).

    At database speed: the existing values are read once as tuples, then the new rows are
    COPied and the changed ones updated by primary key (see :func:`_write`).  The audit is one
    :class:`MeasurementBatch` per call (user, file, counts) with one
    :class:`MeasurementChange` per replaced value (former and new value), not one history row
    per measurement; each measurement points to the batch that created it.
    """
    result = check_measurement_rows(plan, rows)
    if result.errors and not accept_valid:
        raise BulkRejected(result)
    if connection.vendor == "postgresql":  # one bulk write per plan at a time
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_MEASUREMENTS, plan.pk])
    indicator_ids = {r.indicator.pk for r in result.valid}
    existing_qs = Measurement.objects.filter(indicator__node__plan=plan)
    if len(indicator_ids) <= 500:
        existing_qs = existing_qs.filter(indicator_id__in=indicator_ids)
    existing = {(i, p, k): (pk, (v, miss, c, s)) for pk, i, p, k, v, miss, c, s
                in existing_qs.order_by().values_list(
                    "pk", "indicator_id", "period", "dimensions_key", "value", "missing",
                    "comment", "source")}
    user = by if getattr(by, "is_authenticated", False) else None
    batch = MeasurementBatch.objects.create(plan=plan, user=user, channel=channel,
                                            filename=filename[:255], rows=len(rows),
                                            errors=len(result.errors))
    now, user_id, batch_id = timezone.now(), (user.pk if user else None), batch.pk
    new, changed = [], []
    as_json: dict[str, str] = {"": "{}"}
    for r in result.valid:
        key = (r.indicator.pk, r.period, r.dims_key)
        found = existing.get(key)
        if found is not None:
            pk, old = found
            if old == (r.value, r.missing, r.comment, r.source):
                continue
            changed.append((pk, r.value, r.missing, r.comment, r.source, *old))
            continue
        dims = as_json.get(r.dims_key)
        if dims is None:
            dims = as_json[r.dims_key] = json.dumps(r.dimensions, ensure_ascii=False)
        new.append((key[0], key[1], r.period_end, dims, key[2], r.value, r.missing, r.comment,
                    r.source, user_id, now, batch_id))
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(result.valid) - len(new) - len(changed)
    if new or changed:
        _write(new, changed, batch_id)
        touch_plan(plan.pk)
    batch.created, batch.updated, batch.unchanged = (result.created, result.updated,
                                                     result.unchanged)
    batch.save(update_fields=["created", "updated", "unchanged"])
    result.batch = batch
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
            attributed(line, by).save(update_fields=["money_line"])
            continue
        if line is None:
            attributed(BudgetLine(node=m.node, money_line=m, year=year, planned=m.amount,
                           funding_source=(m.funding_source or m.node.funding)[:200],
                           budget_type=_budget_type(m.budget_type)), by).save()
            written += 1
        elif line.planned != m.amount:
            line.planned = m.amount
            attributed(line, by).save(update_fields=["planned"])
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
            raise ValueError(_("montant hors limites : %(value)s") % {"value": value})
        if getattr(line, name) != v:
            setattr(line, name, v)
            changed.append(name)
    if changed:
        attributed(line, by).save(update_fields=changed)
    return line


LOCK_MEASUREMENTS = 7101  # pg_advisory_xact_lock class of the bulk measurement writes


def _write(new: list[tuple], changed: list[tuple], batch_id: int) -> None:
    """Write new rows (``_COLUMNS``), replace the values of changed ones (``id``,
    ``_UPDATED``, then the former values) and record what they replaced as
    :class:`MeasurementChange` rows of the batch.

    PostgreSQL: the new rows are COPied straight into the table (nobody else writes this
    plan's measurements in bulk meanwhile: advisory lock); the changed ones are COPied into a
    temporary table (not WAL-logged, dropped at commit), from which one ``INSERT … SELECT``
    records the former values and one ``UPDATE … FROM`` joined on the primary key applies the
    new ones (faster than ``INSERT … ON CONFLICT DO UPDATE``: no attempted insert, no probe of
    the unique index).  Should a single write have added one of the new rows in between, the
    new rows are merged with ``INSERT … ON CONFLICT DO UPDATE`` instead.
    SQLite: ``executemany`` of the same statements.
    """
    table = connection.ops.quote_name(Measurement._meta.db_table)
    audit = connection.ops.quote_name(MeasurementChange._meta.db_table)
    cols = ", ".join(_COLUMNS)
    conflict = ("ON CONFLICT (indicator_id, period, dimensions_key) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _UPDATED))
    audit_cols = ("batch_id, measurement_id, old_value, old_missing, old_comment, old_source, "
                  "new_value, new_missing")
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            ops = connection.ops
            if new:
                at = ops.adapt_datetimefield_value(new[0][10])
                adapted = [(r[0], r[1], ops.adapt_datefield_value(r[2]), *r[3:5], _plain(r[5]),
                            *r[6:10], at, r[11]) for r in new]
                marks = ", ".join(["%s"] * len(_COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks}) {conflict}",
                                   adapted)
            if changed:
                cursor.executemany(
                    f"INSERT INTO {audit} ({audit_cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [(batch_id, r[0], _plain(r[5]), r[6], r[7], r[8], _plain(r[1]), r[2])
                     for r in changed])
                sets = ", ".join(f"{c} = %s" for c in _UPDATED)
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s",
                                   [(_plain(r[1]), *r[2:5], r[0]) for r in changed])
            return
        if new:
            try:
                with transaction.atomic():
                    _copy(cursor, table, cols, new)
            except IntegrityError:
                cursor.execute("DROP TABLE IF EXISTS jalon_measure_new")
                cursor.execute(f"CREATE TEMPORARY TABLE jalon_measure_new ON COMMIT DROP AS "
                               f"SELECT {cols} FROM {table} WITH NO DATA")
                _copy(cursor, "jalon_measure_new", cols, new)
                cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} "
                               f"FROM jalon_measure_new {conflict}")
                cursor.execute("DROP TABLE jalon_measure_new")
        if changed:
            values = ", ".join(_UPDATED)
            cursor.execute("DROP TABLE IF EXISTS jalon_measure_in")
            cursor.execute(f"CREATE TEMPORARY TABLE jalon_measure_in ON COMMIT DROP AS "
                           f"SELECT id, {values} FROM {table} WITH NO DATA")
            _copy(cursor, "jalon_measure_in", f"id, {values}", [r[:5] for r in changed])
            cursor.execute("ANALYZE jalon_measure_in")  # its size, for the joins' plans
            cursor.execute(f"INSERT INTO {audit} ({audit_cols}) SELECT %s, m.id, m.value, "
                           f"m.missing, m.comment, m.source, t.value, t.missing FROM {table} "
                           f"AS m JOIN jalon_measure_in AS t ON m.id = t.id", [batch_id])
            cursor.execute(f"UPDATE {table} AS m SET "
                           + ", ".join(f"{c} = t.{c}" for c in _UPDATED)
                           + " FROM jalon_measure_in AS t WHERE m.id = t.id")
            cursor.execute("DROP TABLE jalon_measure_in")


def _copy(cursor, table: str, cols: str, rows: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def measurement_history(measurement: Measurement) -> list[dict]:
    """What happened to one measurement, oldest first: its single writes (history rows), the
    bulk write (batch) that created it and those that replaced its value, with the former
    value (three indexed queries)."""
    events = [{"at": h.history_date, "user": h.history_user, "kind": h.history_type,
               "value": h.value, "missing": h.missing, "batch": None}
              for h in measurement.history.select_related("history_user")
              .order_by("history_date", "history_id")]
    if measurement.batch_id and not any(e["kind"] == "+" for e in events):
        batch = (MeasurementBatch.objects.select_related("user")
                 .filter(pk=measurement.batch_id).first())
        if batch is not None:
            first = (measurement.changes.order_by("batch_id")
                     .values_list("old_value", "old_missing").first())
            value, missing = first or (measurement.value, measurement.missing)
            events.append({"at": batch.at, "user": batch.user, "kind": "+", "value": value,
                           "missing": missing, "batch": batch})
    for change in measurement.changes.select_related("batch__user").order_by("batch_id"):
        events.append({"at": change.batch.at, "user": change.batch.user, "kind": "~",
                       "value": change.new_value, "missing": change.new_missing,
                       "old": change.old_value, "old_missing": change.old_missing,
                       "batch": change.batch})
    events.sort(key=lambda e: e["at"])
    return events


def value_changes(indicator_ids, limit: int = 50) -> dict[int, list[dict]]:
    """The latest replaced values of these indicators' measurements, newest first, per
    indicator: by bulk writes (their :class:`MeasurementChange` rows, with the batch's file
    and user) and by single writes (history rows, the former value being the previous row of
    the same measurement).  Two queries, whatever the number of indicators."""
    events: list[dict] = []
    for c in (MeasurementChange.objects.filter(measurement__indicator_id__in=indicator_ids)
              .select_related("batch__user", "measurement").order_by("-batch_id", "-id")[:limit]):
        m = c.measurement
        events.append({"at": c.batch.at, "user": c.batch.user, "indicator": m.indicator_id,
                       "period": m.period, "dimensions": m.dimensions,
                       "old": c.old_value, "old_missing": c.old_missing,
                       "new": c.new_value, "new_missing": c.new_missing,
                       "file": c.batch.filename, "channel": c.batch.get_channel_display()})
    previous: dict[int, object] = {}
    for h in (Measurement.history.filter(indicator_id__in=indicator_ids)
              .select_related("history_user").order_by("history_date", "history_id")):
        before = previous.get(h.id)
        previous[h.id] = h
        if h.history_type != "~" or before is None or (before.value, before.missing) == (
                h.value, h.missing):
            continue
        events.append({"at": h.history_date, "user": h.history_user,
                       "indicator": h.indicator_id, "period": h.period,
                       "dimensions": h.dimensions, "old": before.value,
                       "old_missing": before.missing, "new": h.value,
                       "new_missing": h.missing, "file": "", "channel": ""})
    labels = dict(Missing.choices)
    for e in events:
        e["old_missing"] = labels.get(e["old_missing"], e["old_missing"]) if e["old_missing"] else ""
        e["new_missing"] = labels.get(e["new_missing"], e["new_missing"]) if e["new_missing"] else ""
    events.sort(key=lambda e: e["at"], reverse=True)
    out: dict[int, list[dict]] = {}
    for e in events[:limit]:
        out.setdefault(e["indicator"], []).append(e)
    return out


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
