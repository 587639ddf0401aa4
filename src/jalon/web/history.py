"""The change history of an object, field by field, for display."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Change:
    when: object
    who: str
    kind: str  # +, ~, -
    fields: list[tuple[str, object, object]]  # (field label, before, after)


def history_for(obj, user, limit: int = 50) -> list[Change]:
    if not user.has_perm("plans.view_history", obj):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date",
                                                                          "-history_id")[:limit + 1])
    out = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for c in delta.changes:
                try:
                    label = str(obj._meta.get_field(c.field).verbose_name)
                except Exception:  # noqa: BLE001 - m2m or removed field
                    label = c.field
                changes.append((label, c.old, c.new))
        who = rec.history_user.get_username() if rec.history_user else "système"
        out.append(Change(rec.history_date, who, rec.history_type, changes))
    return out
