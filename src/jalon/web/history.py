"""The change history of an object, field by field, in the words of the interface.

Labels are the fields' names as the forms show them; values as the pages print them: the
label of a choice («En cours», not ``in_progress``), Belgian dates (31/12/2026) and numbers
(«40 %», «2,5», «1.234,56 €»), people, departments and parents by name.  Bookkeeping fields
(``version``, ``depth``, ``position``, provenance) are left out, and a change that touched
only those is not listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.core.values import format_date, format_money, format_number

# fields people never typed nor see on a page
INTERNAL = {"id", "version", "depth", "position", "extra", "source_line", "derived_code",
            "date_kind", "open_ended", "dimensions_key", "created", "entered_at", "demo",
            "snapshot", "key_hash", "prefix"}
MONEY = {"amount", "planned", "committed", "spent"}
PERCENT = {"progress"}
EMPTY = "—"


def _labels() -> dict[str, str]:
    """Fields whose model name is not what a page calls them."""
    return {"parent": _("élément parent")}


@dataclass
class Change:
    when: object
    who: str
    kind: str  # +, ~, -
    fields: list[tuple[str, str, str]]  # (field label, before, after) as the interface shows


def _field(obj, name: str):
    try:
        return obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since
        return None


def _number(value: Any) -> str:
    """``Decimal("40.00")`` → «40», ``2.50`` → «2,5», ``1234.5`` → «1.234,5»."""
    d = Decimal(str(value))
    places = max(0, -d.normalize().as_tuple().exponent)
    return format_number(d, min(places, 4))


def show_value(field, value: Any, related: dict | None = None) -> str:
    """One stored value as the interface prints it (``related``: pk → name for a foreign
    key)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    name = getattr(field, "name", "")
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if isinstance(value, list):
        return ", ".join(show_value(None, v) for v in value) or EMPTY
    if choices and value in choices:
        return str(choices[value])
    if isinstance(field, models.ForeignKey):
        return (related or {}).get(value, EMPTY)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(
            value) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return format_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, (Decimal, float)) or (isinstance(value, int) and name in MONEY):
        if name in MONEY:
            return format_money(value)
        if name in PERCENT:
            return f"{_number(value)} %"
        return _number(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {show_value(None, v)}" for k, v in value.items())
    return str(value)


def _short(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"


def _m2m_target(field):
    """(related model, through-row key) of a many-to-many field, or None."""
    if field is None or not field.many_to_many:
        return None
    return field.related_model, field.m2m_reverse_field_name()


def _who_names(users) -> dict[int, str]:
    """User pk → the name people know them by: full name, else their person record's name,
    else the login (one query)."""
    from jalon.plans.models import Person

    out = {u.pk: u.get_full_name() or u.get_username() for u in users}
    plain = [u.pk for u in users if not u.get_full_name()]
    if plain:
        for user_id, name in (Person.objects.filter(user_id__in=plain)
                              .order_by("pk").values_list("user_id", "name")):
            out[user_id] = name
    return out


def history_for(obj, user, limit: int = 50) -> list[Change]:
    """The latest changes, newest first.  Names (people, departments, parents…) are read with
    one query per related model for the whole page, not one per change."""
    if not user.has_perm("plans.view_history", obj):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date",
                                                                          "-history_id")[:limit + 1])
    raw = []
    wanted: dict[Any, set] = {}
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            for c in rec.diff_against(prev).changes:
                if c.field in INTERNAL:
                    continue
                field = _field(obj, c.field)
                target = _m2m_target(field)
                if target is not None:
                    model, key = target
                    for rows in (c.old, c.new):
                        wanted.setdefault(model, set()).update(
                            r.get(key) for r in rows or [] if isinstance(r, dict))
                elif isinstance(field, models.ForeignKey):
                    wanted.setdefault(field.related_model, set()).update(
                        v for v in (c.old, c.new) if v is not None)
                changes.append((c.field, field, target, c.old, c.new))
            if not changes:
                continue  # only bookkeeping changed (a reorder, a version bump)
        raw.append((rec, changes))
    names = {model: {o.pk: str(o) for o in model._default_manager.filter(pk__in=ids)}
             for model, ids in wanted.items() if ids}
    who = _who_names({rec.history_user for rec, _c in raw if rec.history_user})
    out = []
    for rec, changes in raw:
        fields = []
        for name, field, target, old, new in changes:
            label = _labels().get(name) or (str(field.verbose_name) if field is not None
                                            else name)
            label = label[:1].upper() + label[1:]
            if target is not None:
                model, key = target

                def show(rows, model=model, key=key):
                    return ", ".join(sorted(names.get(model, {}).get(r.get(key), "?")
                                            for r in rows or [] if isinstance(r, dict))) or EMPTY

                before, after = show(old), show(new)
            else:
                related = names.get(field.related_model) if isinstance(
                    field, models.ForeignKey) else None
                before, after = show_value(field, old, related), show_value(field, new, related)
            fields.append((label, _short(before), _short(after)))
        author = who.get(rec.history_user_id, _("système")) if rec.history_user_id else _(
            "système")
        out.append(Change(rec.history_date, author, rec.history_type, fields))
    return out
