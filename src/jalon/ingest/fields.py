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

from typing import Any

from jalon.core.values import (
    parse_fte,
    parse_fuzzy_date,
    parse_money,
    parse_progress,
    split_items,
    split_names,
)
from jalon.ingest.draft import NodeDraft, PlanDraft

NAME_LIST_FIELDS = ("departments", "owners", "team", "mandataire", "partners", "steering",
                    "enablers", "tags")
ITEM_LIST_FIELDS = ("risks", "deliverables")
DATE_FIELDS = ("start", "end", "deadline")
# fields whose line breaks carry meaning until they are split
_MULTILINE = NAME_LIST_FIELDS + ITEM_LIST_FIELDS

_FIELD_LABELS = {"start": "début", "end": "fin", "deadline": "échéance"}


def _collapse(value: Any) -> Any:
    """Collapse whitespace in every string of a value (recursively); drop empty entries."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        out = [_collapse(v) for v in value]
        return [v for v in out if not _empty(v)]
    if isinstance(value, dict):
        out_d = {k: _collapse(v) for k, v in value.items()}
        return {k: v for k, v in out_d.items() if not _empty(v) or k in ("name", "target")}
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finalize_node(draft: PlanDraft, node: NodeDraft) -> None:
    f = node.fields
    line_of = node.field_lines.get

    for key in NAME_LIST_FIELDS:
        if key in f and (isinstance(f[key], str) or isinstance(f[key], list)):
            f[key] = split_names(f[key])
    for key in ITEM_LIST_FIELDS:
        if key in f and (isinstance(f[key], str) or isinstance(f[key], list)):
            f[key] = split_items(f[key])

    if "budget_eur" in f:
        _finalize_budget(draft, node)
    if "fte" in f and not _is_number(f["fte"]):
        printed = " ".join(str(f["fte"]).split())
        value = parse_fte(printed)
        _keep_printed(node, "fte", printed)
        if value is None:
            del f["fte"]
            node.field_lines.pop("fte", None)
        else:
            f["fte"] = value
    if "progress" in f and not _is_number(f["progress"]):
        printed = " ".join(str(f["progress"]).split())
        value = parse_progress(printed)
        _keep_printed(node, "progress", printed)
        if value is None:
            del f["progress"]
            draft.warn(f"avancement non reconnu: {printed!r}", line_of("progress", node.line),
                       node.code)
            node.field_lines.pop("progress", None)
        else:
            f["progress"] = value
    elif "progress" in f and not 0 <= f["progress"] <= 100:
        draft.warn(f"avancement hors de 0..100: {f['progress']!r}", line_of("progress", node.line),
                   node.code)
        _keep_printed(node, "progress", str(f["progress"]))
        del f["progress"]
        node.field_lines.pop("progress", None)

    for key in list(f):
        if key in _MULTILINE:
            continue
        f[key] = _collapse(f[key])
    for key in DATE_FIELDS:
        value = f.get(key)
        if isinstance(value, str) and value and not _already_warned(draft, node, key):
            parsed = parse_fuzzy_date(value, draft.period_start)
            if parsed is not None and not parsed.valid:
                draft.warn(f"{_FIELD_LABELS[key]}: date non reconnue: {value!r}",
                           line_of(key, node.line), node.code)
    for key in [k for k, v in f.items() if _empty(v)]:
        del f[key]
        node.field_lines.pop(key, None)
    node.title = " ".join(node.title.split())


def _finalize_budget(draft: PlanDraft, node: NodeDraft) -> None:
    f = node.fields
    value = f["budget_eur"]
    if isinstance(value, list) and all(_is_number(v) for v in value):
        f["budget_eur"] = [float(v) for v in value]
        return
    if _is_number(value):
        f["budget_eur"] = [float(value)]
        return
    if isinstance(value, list):
        printed = " / ".join(" ".join(str(v).split()) for v in value if not _empty(v))
    else:
        printed = " ".join(str(value).split())
    amounts = parse_money(printed)
    _keep_printed(node, "budget", printed, "budget_eur")
    if amounts:
        f["budget_eur"] = amounts
    else:
        del f["budget_eur"]
        draft.warn(f"budget sans montant reconnu: {printed!r}",
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
    prefix = f"{_FIELD_LABELS[key]}: date non reconnue:"
    return any(w.code == node.code and w.message.startswith(prefix) for w in draft.warnings)


def finalize(draft: PlanDraft) -> PlanDraft:
    """Normalise every node's fields in place (see the module docstring), then ``finish()``."""
    for node in draft.nodes:
        _finalize_node(draft, node)
    return draft.finish()
