"""Field finalisation: turn the printed strings parsers set into the contract's value shapes.

Parsers set what the document prints (``node.set("budget_eur", "5 M€", line)``); :func:`finalize`
runs once after ``parse()`` and normalises every node in place:

- list fields (departments, owners, team, mandataire, partners, steering, enablers, tags) given
  as text → :func:`split_names`; risks and deliverables given as text → :func:`split_items`;
- ``budget_eur`` as text → list of amounts (:func:`parse_money`), the text kept in
  ``budget_as_printed``; no amount found → the text only, and a warning;
- ``fte`` / ``progress`` as text → number (the text kept in ``fte_as_printed`` /
  ``progress_as_printed``); a progress that is not a percentage → warning;
- ``start`` / ``end`` / ``deadline`` stay text; a warning when the date is not understood;
- whitespace collapsed in every string, empty fields dropped.

It is idempotent: finalising a finalised draft changes nothing and adds no warning.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from jalon.core.values import (
    parse_fte,
    parse_fuzzy_date,
    parse_money,
    parse_progress,
    split_items,
    split_names,
)
from jalon.ingest.draft import TEXT_FIELDS, NodeDraft, PlanDraft
from jalon.ingest.i18n import _

NAME_LIST_FIELDS = ("departments", "owners", "team", "mandataire", "partners", "steering",
                    "enablers", "tags")
ITEM_LIST_FIELDS = ("risks", "deliverables")
DATE_FIELDS = ("start", "end", "deadline")


def _field_label(key: str) -> str:
    return {"start": _("début"), "end": _("fin"), "deadline": _("échéance")}[key]


def _bad_date(key: str, value: Any) -> str:
    return _("%(field)s : date non reconnue : « %(value)s »") % {"field": _field_label(key),
                                                                   "value": value}


def _collapse(value: Any) -> Any:
    """Collapse whitespace in every string of a value (recursively), drop empty entries and
    make the value JSON-safe (tuples and sets → lists, dates → ISO text, NaN → dropped)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        out = [_collapse(v) for v in items]
        return [v for v in out if not _empty(v)]
    if isinstance(value, dict):
        out_d = {str(k): _collapse(v) for k, v in value.items()}
        return {k: v for k, v in out_d.items() if not _empty(v) or k in ("name", "target")}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _text(value: Any) -> str:
    """A value as one line of text (lists joined by " / ")."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " / ".join(_text(v) for v in value if not _empty(v))
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values() if not _empty(v))
    return " ".join(str(value).split())


def _finalize_node(draft: PlanDraft, node: NodeDraft) -> None:
    f = node.fields
    node.field_lines = {k: v for k, v in node.field_lines.items()
                        if isinstance(v, int) and not isinstance(v, bool) and v >= 1}
    for key in NAME_LIST_FIELDS:
        if key in f:
            f[key] = split_names(_strings(f[key]))
    for key in ITEM_LIST_FIELDS:
        if key in f:
            f[key] = split_items(_strings(f[key]))
    if "budget_eur" in f:
        _finalize_budget(draft, node)
    if "fte" in f:
        _finalize_fte(node)
    if "progress" in f:
        _finalize_progress(draft, node)
    if "indicators" in f:
        f["indicators"] = _indicators(f["indicators"])
    for key in TEXT_FIELDS:
        if key in f and not isinstance(f[key], str):
            f[key] = _text(f[key])
    for key in list(f):
        f[key] = _collapse(f[key])
    _check_dates(draft, node)
    for key in [k for k, v in f.items() if _empty(v)]:
        del f[key]
    node.field_lines = {k: v for k, v in node.field_lines.items() if k in f}
    node.title = " ".join(str(node.title).split())


def _strings(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return [_text(v) if not isinstance(v, str) else v for v in value if not _empty(v)]
    return _text(value)


def _finalize_fte(node: NodeDraft) -> None:
    f = node.fields
    value = f["fte"]
    if _is_number(value) and value >= 0:
        return
    printed = _text(value)
    parsed = parse_fte(printed)
    _keep_printed(node, "fte", printed)
    if parsed is None:
        del f["fte"]
        node.field_lines.pop("fte", None)
    else:
        f["fte"] = parsed


def _finalize_progress(draft: PlanDraft, node: NodeDraft) -> None:
    f = node.fields
    value = f["progress"]
    if _is_number(value) and 0 <= value <= 100:
        return
    printed = _text(value)
    parsed = parse_progress(value if _is_number(value) else printed)
    _keep_printed(node, "progress", printed)
    if parsed is None:
        del f["progress"]
        draft.warn(_("avancement non reconnu : « %(value)s »") % {"value": printed},
                   node.field_lines.pop("progress", node.line), node.code)
    else:
        f["progress"] = parsed


def _indicators(value: Any) -> list[dict[str, Any]]:
    """Indicators as ``{"name", "target", ...}`` dicts (a bare string is a name)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            ind = dict(item)
            ind["name"] = _text(ind.get("name", ""))
            target = ind.get("target")
            ind["target"] = None if _empty(target) else _text(target)
            if "line" in ind and not (isinstance(ind["line"], int) and ind["line"] >= 1):
                del ind["line"]
        elif not _empty(item):
            ind = {"name": _text(item), "target": None}
        else:
            continue
        if ind["name"] or ind["target"]:
            out.append(ind)
    return out


def _check_dates(draft: PlanDraft, node: NodeDraft) -> None:
    for key in DATE_FIELDS:
        value = node.fields.get(key)
        if not value or _already_warned(draft, node, key):
            continue
        parsed = parse_fuzzy_date(value, draft.period_start)
        if parsed is not None and not parsed.valid:
            draft.warn(_bad_date(key, value),
                       node.field_lines.get(key, node.line), node.code)


def _finalize_budget(draft: PlanDraft, node: NodeDraft) -> None:
    f = node.fields
    value = f["budget_eur"]
    if isinstance(value, list) and all(_is_number(v) for v in value):
        f["budget_eur"] = [float(v) for v in value]
        return
    if _is_number(value):
        f["budget_eur"] = [float(value)]
        return
    printed = _text(value)
    amounts = parse_money(printed)
    _keep_printed(node, "budget", printed, "budget_eur")
    if amounts:
        f["budget_eur"] = amounts
    else:
        del f["budget_eur"]
        draft.warn(_("budget sans montant reconnu : « %(value)s »") % {"value": printed},
                   node.field_lines.pop("budget_eur", node.line), node.code)


def _keep_printed(node: NodeDraft, stem: str, printed: str, key: str | None = None) -> None:
    """Keep the printed text in ``<stem>_as_printed``, with the line of the field it came from."""
    key = key or stem
    target = f"{stem}_as_printed"
    if target not in node.fields:
        node.fields[target] = printed
        if key in node.field_lines:
            node.field_lines[target] = node.field_lines[key]


def _already_warned(draft: PlanDraft, node: NodeDraft, key: str) -> bool:
    message = _bad_date(key, node.fields.get(key))
    return any(w.code == node.code and w.message == message for w in draft.warnings)


def finalize(draft: PlanDraft) -> PlanDraft:
    """Normalise every node's fields in place (see the module docstring), then ``finish()``."""
    for node in draft.nodes:
        _finalize_node(draft, node)
    return draft.finish()
