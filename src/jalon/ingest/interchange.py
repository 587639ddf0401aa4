"""The JSON interchange format: ``{"plan": {...}, "nodes": [...], "warnings": [...]}``.

It is what ``jalon import FILE --dry-run --json`` prints and what ``jalon import plan.json``
reads back (round trip).  :data:`SCHEMA` is its JSON Schema (draft 2020-12), also published as
``docs/interchange.schema.json`` (a test keeps the two equal); ``docs/interchange.md`` explains
it for people.  :func:`load_json` checks the schema and the rules a schema cannot say (codes
unique, parents exist, no cycles) and reports the first problem on one line with its JSON path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from jalon.ingest.draft import LIST_FIELDS, TEXT_FIELDS, PlanDraft
from jalon.ingest.errors import IngestError
from jalon.ingest.i18n import _

JSON_SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "interchange.schema.json"

PLAN_KINDS = ["pst", "strategic", "contract", "policy_note", "sector", "other"]

_NULLABLE_INT = {"type": ["integer", "null"]}
_LINE = {"type": ["integer", "null"], "minimum": 1}
_STRINGS = {"type": "array", "items": {"type": "string"}}

_FIELD_TYPES: dict[str, Any] = {
    **{key: {"type": "string"} for key in TEXT_FIELDS},
    **{key: _STRINGS for key in LIST_FIELDS},
    "budget_eur": {"type": "array", "items": {"type": "number"},
                   "description": "amounts in euros, in the order printed"},
    "fte": {"type": "number", "minimum": 0, "description": "full-time equivalents"},
    "progress": {"type": "number", "minimum": 0, "maximum": 100,
                 "description": "progress in percent"},
    "extra": {"type": "object", "additionalProperties": {"type": "string"},
              "description": "columns or labels the importer could not map: header → value"},
    "indicators": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "target": {"type": ["string", "null"]},
                "line": _LINE,
            },
            "additionalProperties": True,
        },
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://jalon.invalid/schemas/interchange.schema.json",
    "title": "Jalon plan interchange",
    "description": "A strategic plan as a tree of nodes: what `jalon import --dry-run --json` "
                   "prints and `jalon import plan.json` reads. See docs/interchange.md.",
    "type": "object",
    "required": ["plan", "nodes"],
    "properties": {
        "$schema": {"type": "string"},
        "plan": {
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "kind": {"enum": PLAN_KINDS},
                "organization": {"type": "string"},
                "period_start": _NULLABLE_INT,
                "period_end": _NULLABLE_INT,
                "levels": _STRINGS,
                "language": {"type": "string"},
                "source": {"type": "string"},
                "layout": {"type": "string"},
                "status": {"type": "string"},
                "adopted_by": {"type": "string"},
                "adopted_on": {"type": "string", "format": "date",
                               "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "published": {"type": "boolean"},
                "rollup_rule": {"type": "string"},
                "amendments": {"type": "array", "items": {"type": "object"}},
                "extra": {"type": "object"},
            },
            "additionalProperties": False,
        },
        "nodes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title", "parent"],
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "title": {"type": "string"},
                    "parent": {"type": ["string", "null"]},
                    "depth": {"type": "integer", "minimum": 0},
                    "line": _LINE,
                    "level": {"type": "string"},
                    "derived_code": {"type": "boolean"},
                    "fields": {
                        "type": "object",
                        "properties": _FIELD_TYPES,
                        "additionalProperties": True,
                    },
                    "field_lines": {
                        "type": "object",
                        "additionalProperties": {"type": "integer", "minimum": 1},
                    },
                },
                "additionalProperties": False,
            },
        },
        "structure": {"type": "string",
                      "description": "the structure the importer recognised (read-only)"},
        "columns": {
            "type": "array",
            "description": "the column mapping the importer used (read-only, see "
                           "docs/importing.md)",
            "items": {
                "type": "object",
                "required": ["index", "header", "field", "source"],
                "properties": {
                    "index": {"type": "integer", "minimum": 0},
                    "header": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "source": {"enum": ["vocabulary", "content", "profile", "user",
                                        "unknown"]},
                    "samples": {"type": "array", "items": {"type": "string"}},
                    "level": {"type": "string"},
                    "table": {"type": "integer", "minimum": 0},
                },
                "additionalProperties": True,
            },
        },
        "warnings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {"type": "string"},
                    "line": _LINE,
                    "code": {"type": ["string", "null"]},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

_VALIDATOR = Draft202012Validator(SCHEMA)


def schema_text() -> str:
    """The schema as written to ``docs/interchange.schema.json``."""
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _json_path(path: Any) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _order(error: ValidationError, data: Any) -> tuple[int, ...]:
    """Sort key: the error's place in the document (key order as written, arrays by index)."""
    key: list[int] = []
    here = data
    for part in error.absolute_path:
        if isinstance(here, dict) and part in here:
            key.append(list(here).index(part))
            here = here[part]
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            key.append(part)
            here = here[part]
        else:
            break
    return tuple(key)


def _first_schema_error(data: Any) -> ValidationError | None:
    errors = list(_VALIDATOR.iter_errors(data))
    if not errors:
        return None
    first = min(_order(e, data) for e in errors)
    return best_match([e for e in errors if _order(e, data) == first])


def _type_name(name: str) -> str:
    return {"object": _("objet"), "array": _("liste"), "string": _("texte"),
            "number": _("nombre"), "integer": _("nombre entier"),
            "boolean": _("booléen")}.get(name, name)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(error: ValidationError) -> str:
    """The schema error in the user's language (jsonschema's own text as a last resort)."""
    kind, arg, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = next((k for k in arg if not (isinstance(value, dict) and k in value)), "")
        message = _("propriété « %(name)s » obligatoire") % {"name": missing}
    elif kind == "type":
        wanted = arg if isinstance(arg, list) else [arg]
        message = _("%(value)s n'est pas du type attendu (%(type)s)") % {
            "value": _short(value), "type": " | ".join(_type_name(t) for t in wanted)}
    elif kind == "enum":
        message = _("%(value)s n'est pas une valeur permise (%(allowed)s)") % {
            "value": _short(value), "allowed": ", ".join(map(str, arg))}
    elif kind == "additionalProperties":
        extra = sorted(k for k in (value or {}) if k not in (error.schema.get("properties")
                                                              or {}))
        message = _("propriétés non prévues : %(names)s") % {"names": ", ".join(extra)}
    elif kind == "minimum":
        message = _("%(value)s est inférieur au minimum (%(limit)s)") % {
            "value": _short(value), "limit": arg}
    elif kind == "maximum":
        message = _("%(value)s est supérieur au maximum (%(limit)s)") % {
            "value": _short(value), "limit": arg}
    elif kind == "minLength":
        message = _("%(value)s est trop court (au moins %(limit)s caractères)") % {
            "value": _short(value), "limit": arg}
    elif kind == "pattern":
        message = _("%(value)s n'a pas la forme attendue") % {"value": _short(value)}
    else:
        message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return message


def validate(data: Any, name: str = "plan.json") -> None:
    """Raise :class:`IngestError` naming the first problem of ``data`` (already decoded JSON)."""
    error = _first_schema_error(data)
    if error is not None:
        raise IngestError(_describe(error), file=name, field=_json_path(error.absolute_path))
    _check_tree(data["nodes"], name)


def _check_tree(nodes: list[dict[str, Any]], name: str) -> None:
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        code = node["code"]
        if code in index:
            raise IngestError(_("« %(code)s » est déjà le code de nodes[%(index)s] ; les codes "
                                "sont uniques dans un plan") % {"code": code,
                                                                 "index": index[code]},
                              file=name, field=f"nodes[{i}].code")
        index[code] = i
    for i, node in enumerate(nodes):
        parent = node["parent"]
        if parent is not None and parent not in index:
            raise IngestError(_("« %(code)s » n'est pas un code de ce plan") % {"code": parent},
                              file=name,
                              field=f"nodes[{i}].parent")
    parent_of = {node["code"]: node["parent"] for node in nodes}
    done: set[str] = set()
    for i, node in enumerate(nodes):
        chain: list[str] = []
        code: str | None = node["code"]
        while code is not None and code not in done:
            if code in chain:
                cycle = chain[chain.index(code):] + [code]
                raise IngestError(_("cycle de parents : %(cycle)s") % {"cycle": " → ".join(cycle)},
                                  file=name,
                                  field=f"nodes[{i}].parent")
            chain.append(code)
            code = parent_of[code]
        done.update(chain)


def _reject_constant(token: str) -> Any:
    raise ValueError(_("%(token)s n'est pas un nombre JSON") % {"token": token})


def _decode(data: bytes | str, name: str) -> Any:
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(_("texte qui n'est pas en UTF-8 (octet %(n)s)") % {"n": exc.start},
                              file=name) from None
    elif isinstance(data, str):
        text = data.lstrip("\ufeff")
    else:
        raise IngestError(_("texte JSON attendu, reçu %(type)s") % {"type": type(data).__name__},
                          file=name)
    if not text.strip():
        raise IngestError(_("fichier vide, objet JSON attendu"), file=name)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise IngestError(_("JSON invalide : %(error)s (colonne %(column)s)")
                          % {"error": exc.msg, "column": exc.colno}, file=name,
                          line=exc.lineno) from None
    except ValueError as exc:
        raise IngestError(_("JSON invalide : %(error)s") % {"error": exc}, file=name) from None
    except RecursionError:
        raise IngestError(_("JSON invalide : imbrication trop profonde"), file=name) from None


def load_json(data: bytes | str, name: str = "plan.json") -> PlanDraft:
    """Read the interchange JSON into a :class:`PlanDraft`; any problem → one-line IngestError."""
    decoded = _decode(data, name)
    try:
        validate(decoded, name)
    except RecursionError:
        raise IngestError(_("JSON invalide : imbrication trop profonde"), file=name) from None
    return PlanDraft.from_dict(decoded)


# ---------------------------------------------------------------------------------------------
# Dumping
# ---------------------------------------------------------------------------------------------


def _stable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in sorted(d)}


def to_data(draft: PlanDraft) -> dict[str, Any]:
    """``draft.to_dict()`` with the keys of ``fields`` and ``field_lines`` sorted."""
    data = draft.to_dict()
    for node in data["nodes"]:
        node["fields"] = _stable(node["fields"])
        if "field_lines" in node:
            node["field_lines"] = _stable(node["field_lines"])
    return data


def dump_json(draft: PlanDraft) -> str:
    """The interchange JSON of a draft: indent 2, UTF-8 kept, stable key order."""
    return json.dumps(to_data(draft), indent=2, ensure_ascii=False) + "\n"
