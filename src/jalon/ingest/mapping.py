"""Column and label mapping: headers → contract fields, by vocabulary, then by content.

The synonyms live in ``vocabulary.json`` (data, not code): ``fields`` (field key → headers and
labels in French, Dutch and English), ``levels`` (level name → the words plans use for it) and
``plan`` (labels of the plan's own metadata).  Matching ignores case, accents, punctuation and a
unit in parentheses (:func:`normalise_header`).

:func:`propose_columns` gives, for a header row and the rows under it, one dict per column::

    {"index": 3, "header": "Pilote", "field": "owners", "source": "vocabulary",
     "samples": ["M. Dupont", "A. Peeters"]}

``source`` is ``vocabulary``, ``content`` (the cells look like dates, amounts, percentages,
people or codes), ``user`` / ``profile`` (an explicit override) or ``unknown`` (``field`` None:
the column is kept on each item as ``fields["extra"][header]``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from jalon.core.values import fold_accents

from .document import Line, Typed

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.json")

STRUCTURE_FIELDS = ("code", "parent", "level", "title", "level_title")
INDICATOR_PARTS = ("indicator_target", "indicator_baseline", "indicator_unit")
FIELDS = STRUCTURE_FIELDS + (
    "start", "end", "deadline", "departments", "owners", "team", "mandataire", "partners",
    "steering", "budget_eur", "fte", "funding", "progress", "status", "indicators",
    *INDICATOR_PARTS, "risks", "deliverables", "comment", "description", "domain", "timing",
    "enablers", "context", "objective", "tags")


# a ``mapping=`` value: keep the column as an extra field (no guess from its content)
EXTRA = "extra"


@lru_cache(maxsize=65536)
def normalise_header(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a header or label; a unit in
    parentheses is dropped (``«Budget (€)»`` → ``budget``, ``«T.AVANCEMENT»`` → ``t avancement``)."""
    text = re.sub(r"\([^)]*\)", " ", fold_accents(text))
    text = text.replace("’", "'").replace("_", " ")
    text = re.sub(r"[^\w%€']+", " ", text)
    return " ".join(text.split()).strip(" '")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    return json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _field_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, names in vocabulary()["fields"].items():
        for name in (key, *names):
            out.setdefault(normalise_header(name), key)
    return out


@lru_cache(maxsize=1)
def _level_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for level, names in vocabulary()["levels"].items():
        for name in (level, *names):
            out.setdefault(normalise_header(name), level)
    return out


@lru_cache(maxsize=1)
def _plan_index() -> dict[str, str]:
    return {normalise_header(n): k for k, names in vocabulary()["plan"].items()
            for n in (k, *names)}


# a case's own words (jalon.ingest.cases), added to the vocabulary while that case reads
_CASE_WORDS: ContextVar[tuple[dict[str, str], dict[str, str]] | None] = ContextVar(
    "jalon_case_words", default=None)


@contextmanager
def case_vocabulary(words: dict[str, Any] | None) -> Iterator[None]:
    """``{"fields": {field: [labels]}, "levels": {level: [words]}}`` understood, on top of
    vocabulary.json, inside the ``with`` block (the case's own words win)."""
    fields = {normalise_header(n): k for k, names in (words or {}).get("fields", {}).items()
              for n in (k, *names)}
    levels = {normalise_header(n): k for k, names in (words or {}).get("levels", {}).items()
              for n in (k, *names)}
    token = _CASE_WORDS.set((fields, levels) if fields or levels else None)
    try:
        yield
    finally:
        _CASE_WORDS.reset(token)


def _case_word(label: str, which: int) -> str | None:
    """What the case being read says ``label`` names: its fields (0) or levels (1)."""
    extra = _CASE_WORDS.get()
    if extra is not None and extra[which]:
        return extra[which].get(normalise_header(label))
    return None


def field_for(label: str) -> str | None:
    """The field a header or label names (exactly, after normalisation), else None."""
    return _case_word(label, 0) or _field_for(label)


@lru_cache(maxsize=65536)
def _field_for(label: str) -> str | None:
    key = normalise_header(label)
    if not key or key in _plan_index():  # «Titre du plan», «Organisation»: the plan's own
        return None
    if key in _field_index():
        return _field_index()[key]
    return _contained(key)


def _contained(key: str) -> str | None:
    """A longer header that starts or ends with a synonym of two words or more
    («Date de fin prévue» → end, «Budget total estimé» → budget_eur)."""
    words = key.split()
    if len(words) < 2 or len(words) > 5 or len(key) > 45:
        return None
    for n in range(len(words) - 1, 0, -1):
        for part, ok in ((" ".join(words[:n]), n >= 2 or len(words[0]) >= 5),
                         (" ".join(words[-n:]), n >= 2)):
            field = _field_index().get(part)
            if field and ok:
                return field
    return None


def level_for(label: str) -> str | None:
    """The level name a header or word names («Objectifs opérationnels» → Objectif
    opérationnel), else None."""
    return _case_word(label, 1) or _level_for(label)


@lru_cache(maxsize=65536)
def _level_for(label: str) -> str | None:
    return _level_index().get(normalise_header(label))


def printed_level(word: str, level: str) -> str:
    """The level's name as the document writes it («Operationele doelstelling», «Actie»);
    the vocabulary's name for an abbreviation (OO → Objectif opérationnel, BD →
    Beleidsdoelstelling)."""
    word = " ".join(word.split()).strip(" .:")
    if len(word) <= 3 or word.isupper() and len(word) <= 5:
        return level
    return word[0].upper() + word[1:]


def plan_key_for(label: str) -> str | None:
    return _plan_index().get(normalise_header(label))


def is_empty_value(text: str) -> bool:
    return normalise_header(text) == "" or text.strip().lower() in vocabulary()["values"]["empty"]


# -- content ----------------------------------------------------------------------------------
_DATE_TEXT = re.compile(
    r"^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}(?: 00:00)?|\d{1,2}/\d{4}|"
    r"(?:t|q|s)[1-4] ?\d{4}|\d{4})$", re.I)
_PERCENT_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)? ?%$")
_MONEY_TEXT = re.compile(r"(?:€|\beur\b|\beuros?\b|\bk€|\bm€)", re.I)
_NUMBER_TEXT = re.compile(r"^-?\d{1,3}(?:[ .\u202f\u00a0]\d{3})*(?:,\d+)?$|^-?\d+(?:[.,]\d+)?$")
_CODE_TEXT = re.compile(r"^(?:[A-Z]{1,4}[ -]?)?\d{1,3}(?:[.\-]\d{1,3}){0,5}\.?$|^[IVXL]{1,5}\.?$|"
                        r"^[A-Z]{1,4}\d{0,3}(?:\.\d{1,3}){0,5}$")
_PERSON = re.compile(r"^(?:(?:m\.|mme|mlle|mr|mevr\.?|dhr\.?|dr\.?)\s+)?[A-ZÀ-Ý][\w'’-]+"
                     r"(?:\s+(?:de|van|der|den|le|la|du|d')?\s*[A-ZÀ-Ý][\w'’.-]+){1,3}$")


def kind_of(text: str, typed: Typed | None) -> str:
    """What a cell looks like: date, percent, money, number, code, person, text or empty."""
    if typed is not None:
        return {"currency": "money"}.get(typed.kind, typed.kind)
    t = " ".join(text.split())
    if not t or is_empty_value(t):
        return "empty"
    if _DATE_TEXT.match(t):
        return "date" if not re.fullmatch(r"\d{4}", t) else "year"
    if _PERCENT_TEXT.match(t):
        return "percent"
    if _MONEY_TEXT.search(t) and re.search(r"\d", t):
        return "money"
    if _NUMBER_TEXT.match(t):
        return "number"
    if _CODE_TEXT.match(t):
        return "code"
    if _PERSON.match(t) and len(t) <= 40:
        return "person"
    return "text"


def content_field(cells: Sequence[tuple[str, Typed | None]], position: int,
                  taken: set[str]) -> str | None:
    """The field a column's cells suggest when its header says nothing."""
    kinds = [kind_of(t, v) for t, v in cells]
    kinds = [k for k in kinds if k != "empty"]
    if len(kinds) < 1:
        return None
    share = {k: kinds.count(k) / len(kinds) for k in set(kinds)}

    def first_free(*fields: str) -> str | None:
        return next((f for f in fields if f not in taken), None)

    if share.get("date", 0) >= 0.6:
        return first_free("end", "start", "deadline") if "start" in taken else \
            first_free("end", "start")
    if share.get("percent", 0) >= 0.6:
        return first_free("progress")
    if share.get("money", 0) >= 0.6:
        return first_free("budget_eur")
    if share.get("code", 0) >= 0.8 and position <= 1:
        return first_free("code")
    if share.get("person", 0) >= 0.6:
        return first_free("owners", "team")
    if share.get("text", 0) >= 0.5 and "title" not in taken:
        lengths = [len(t) for t, _ in cells if t.strip()]
        if lengths and sum(lengths) / len(lengths) >= 12:
            return "title"
    return None


def propose_columns(header: Sequence[str], rows: Sequence[Line],
                    mapping: dict[str, str] | None = None,
                    mapping_source: str = "user") -> list[dict[str, Any]]:
    """One dict per header cell: index, header, field (or None), source, samples
    (and ``level`` for a ``level_title`` column).  See the module docstring."""
    mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}
    columns: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index, raw in enumerate(header):
        name = " ".join(str(raw).split())
        cells = [(ln.cells[index] if ln.cells and index < len(ln.cells) else "",
                  ln.values[index] if ln.values and index < len(ln.values) else None)
                 for ln in rows]
        samples = [" ".join(t.split()) for t, _ in cells if t.strip()][:3]
        col: dict[str, Any] = {"index": index, "header": name, "field": None,
                               "source": "unknown", "samples": samples}
        key = normalise_header(name)
        if key and key in mapping:
            col["field"] = None if mapping[key] == EXTRA else (mapping[key] or None)
            col["source"] = mapping_source
            if not mapping[key]:
                col["ignored"] = True
            elif mapping[key] == "level_title":
                col["level"] = printed_level(name, level_for(name) or name)
        elif name:
            field = field_for(name)
            level = level_for(name)
            if field and field not in taken:
                col["field"], col["source"] = field, "vocabulary"
            elif level:
                col["field"], col["source"] = "level_title", "vocabulary"
                col["level"] = printed_level(name, level)
        columns.append(col)
        if col["field"] and col["field"] != "level_title":
            taken.add(col["field"])
    # a single level column and no title column: it is the title column (a flat list of
    # «Actions»), its header names the level
    level_cols = [c for c in columns if c["field"] == "level_title"]
    if len(level_cols) == 1 and "title" not in taken and level_cols[0]["source"] == "vocabulary":
        level_cols[0]["field"] = "title"
        taken.add("title")
    # no title column: a description column holds the titles («Omschrijving»), else the
    # objective column
    if "title" not in taken:
        for candidate in ("description", "objective"):
            col = next((c for c in columns if c["field"] == candidate
                        and c["source"] == "vocabulary"), None)
            if col is not None:
                col["field"] = "title"
                taken.discard(candidate)
                taken.add("title")
                break
    for col in columns:
        if col["field"] is None and col["source"] == "unknown":
            index = col["index"]
            cells = [(ln.cells[index] if ln.cells and index < len(ln.cells) else "",
                      ln.values[index] if ln.values and index < len(ln.values) else None)
                     for ln in rows[:50]]
            field = content_field(cells, index, taken)
            if field:
                col["field"], col["source"] = field, "content"
                taken.add(field)
    return columns


def header_score(header: Sequence[str]) -> tuple[int, int]:
    """(cells the vocabulary knows, non-empty cells) of a candidate header row."""
    known = total = 0
    for cell in header:
        if not cell.strip():
            continue
        total += 1
        if field_for(cell) or level_for(cell):
            known += 1
    return known, total
