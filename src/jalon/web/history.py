"""The change history of an object, field by field, for display."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Change:
    when: object
    who: str
    kind: str  # +, ~, -
    fields: list[tuple[str, object, object]]  # (field label, before, after)


def _m2m_target(obj, field_name: str):
    """(related model, through-row key) of a many-to-many field, or None."""
    try:
        f = obj._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - removed field
        return None
    if not f.many_to_many:
        return None
    return f.related_model, f.m2m_reverse_field_name()


def history_for(obj, user, limit: int = 50) -> list[Change]:
    """The latest changes, newest first.  Many-to-many changes (owners, departments…) are
    shown by name: one query per related model for the whole page, not one per change."""
    if not user.has_perm("plans.view_history", obj):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date",
                                                                          "-history_id")[:limit + 1])
    raw = []
    wanted: dict[object, set] = {}
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            for c in rec.diff_against(prev).changes:
                target = _m2m_target(obj, c.field)
                if target is not None:
                    model, key = target
                    for rows in (c.old, c.new):
                        wanted.setdefault(model, set()).update(
                            r.get(key) for r in rows or [] if isinstance(r, dict))
                changes.append((c.field, target, c.old, c.new))
        raw.append((rec, changes))
    names = {model: {o.pk: str(o) for o in model._default_manager.filter(pk__in=ids)}
             for model, ids in wanted.items() if ids}
    out = []
    for rec, changes in raw:
        fields = []
        for field, target, old, new in changes:
            try:
                label = str(obj._meta.get_field(field).verbose_name)
            except Exception:  # noqa: BLE001 - removed field
                label = field
            if target is not None:
                model, key = target

                def show(rows, model=model, key=key):
                    return ", ".join(sorted(names.get(model, {}).get(r.get(key), "?")
                                            for r in rows or [] if isinstance(r, dict)))

                old, new = show(old), show(new)
            fields.append((label, old, new))
        who = rec.history_user.get_username() if rec.history_user else "système"
        out.append(Change(rec.history_date, who, rec.history_type, fields))
    return out
