"""Cases of the structure engine: a known kind of document as data plus a few small hooks.

A case is ``cases/<name>.json`` and, optionally, ``cases/<name>.py``.  ``<name>`` is the layout
name the draft records (``draft.layout``) and that ``jalon import --layout NAME`` forces.
The engine reads the document as it reads any other (:mod:`jalon.ingest.engine`); the case only
tells it the words, patterns and exceptions of one kind of document::

    from jalon.ingest.cases import load_case
    from jalon.ingest import engine
    draft = engine.parse(doc, case=load_case("service_codes"))

**The JSON file** (every key optional except ``name``):

``name``
    the layout name.
``levels``
    the level names by depth (``["Direction", "Service", "Projet"]``): the draft's ``levels``,
    and the level of a node that the engine found without a level word.
``vocabulary``
    ``{"fields": {field: [labels]}, "levels": {level name: [words]}}``, added to
    ``vocabulary.json`` while this case reads (a label only this kind of document uses).
``numbering``
    patterns of this document's numbers, tried before :mod:`jalon.ingest.numbering`, each
    ``{"pattern": regex with groups code and title, "level": name, "upper": bool,
    "join": "-"}``: ``code`` is the item's code (upper-cased, its separators and spaces made
    ``join`` when given, each ``"replace": [[old, new]]`` applied; the printed form is kept),
    ``title`` its title, ``level`` its level name.  Its parts come from the code (:func:`jalon.ingest.numbering.code_parts`).
``features``
    ``[{"pattern": regex, "weight": w, "min": n}]``: the case scores the sum of the weights of
    the patterns that match at least ``n`` lines (capped at 1.0).  Scores are on *features*
    (code shapes, labels), never on a file name or a phrase only one document has.
``drop``
    regexes of lines the engine must not read (running headers, footers of this kind of
    document).  Tables of contents and page furniture are dropped by the engine itself.
``toc``
    ``true``: drop a table of contents (lines ending in dot leaders and a page number, and the
    numbered lines of the block they form).
``outline``
    a running text (a note, a report) whose headings are found among its paragraphs: the
    engine reads it with :mod:`jalon.ingest.outline` — ``headings``, the numbering schemes
    (``[{"kind", "pattern" with groups code and title (and sub: ``III.a``), "rank": 0 for the
    top, "leaf", "letters", "title_below"}]``), ``running`` (the kind whose single numbers
    that run through the document are top-level), ``kind`` (the plan's kind) and
    ``metadata`` (the regexes of :func:`jalon.ingest.pagetext.running_metadata`); the
    outline also scores the case (:func:`jalon.ingest.outline.score`); ``cases/prose.json``.
``sheets``
    words added to the sheet reader's defaults (``vocabulary.json`` → ``sheets``, same keys:
    sheet labels, the words that open a sheet, level words, resources sub-labels…) for a
    document made of labelled sheets under a numbered tree: the engine reads it with its sheet
    reader, which also scores it (:mod:`jalon.ingest.sheets`).  Without a case the reader is
    the layout ``sheets`` with the default words.
``unit_rows``
    the words of a document whose items are table rows opened by a unit code (``DS-S-2``)
    under numbered unit headings: the engine reads it with the hooks of
    :mod:`jalon.ingest.unitrows`, which also score it (``cases/service_codes.json``).
``articles``
    words added to the article reader's defaults (``vocabulary.json`` → ``articles``) for a
    document of parts, objectives, chapters, sections and articles (``Art. 8.1.6``) whose
    quantified articles carry objective | indicator | norm tables (:mod:`jalon.ingest.articles`;
    without a case, the layout ``articles``).

**The hooks** in ``cases/<name>.py`` (plain functions, every one optional):

``score(doc, case) -> float``
    replaces ``features`` when the shape of the document is easier to say in code.
``prepare(doc, case) -> Document``
    after ``drop``/``toc``: a Document with lines removed or rewritten (line numbers kept).
``line(engine, ln, text) -> bool``
    called for every line (blank lines and table rows too: ``ln.cells`` is set) before the
    engine classes it, ``text`` being the line with its spaces collapsed; ``True`` means the
    hook handled it (added a node with ``engine.add_node``, a field with ``set_field``, a
    warning with ``engine.draft.warn``), ``False`` lets the engine read it as usual.
    ``engine.state`` is a dict the hooks may keep their own memory in.
``finish(engine) -> None``
    after the whole document is read, before the tree is finished (plan title, warnings,
    codes made from a parent's).

Keep the hooks small: what is true of many documents belongs in the engine
(:mod:`jalon.ingest.engine`, :mod:`jalon.ingest.numbering`, :mod:`jalon.ingest.tables`) or in
``vocabulary.json``.  See docs/importing.md («Cases»).
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ..document import Document, Line
from ..numbering import TOC_LINE, Number, code_parts
from ..pagetext import PAGE_NUMBER

CASES_DIR = Path(__file__).parent


@dataclass
class Case:
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    hooks: ModuleType | None = None
    _features: tuple[tuple[re.Pattern[str], float, int], ...] = field(default=(), repr=False)
    _numbering: tuple[tuple[re.Pattern[str], dict[str, Any]], ...] = field(default=(),
                                                                       repr=False)
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._features = tuple((re.compile(f["pattern"]), float(f.get("weight", 0.5)),
                                int(f.get("min", 1))) for f in self.data.get("features", []))
        self._numbering = tuple((re.compile(s["pattern"]), s)
                                for s in self.data.get("numbering", []))
        if self.hooks is None and "unit_rows" in self.data:  # items as rows coded by unit
            self.hooks = importlib.import_module("jalon.ingest.unitrows")

    # -- what the engine asks ---------------------------------------------------------------
    @property
    def levels(self) -> list[str]:
        return list(self.data.get("levels") or [])

    @property
    def vocabulary(self) -> dict[str, Any]:
        return self.data.get("vocabulary") or {}

    def compiled(self, key: str, build):
        """``build(case)`` made once per case: the compiled words of a reader (sheets, articles)."""
        if key not in self._compiled:
            self._compiled[key] = build(self)
        return self._compiled[key]

    def hook(self, name: str):
        return getattr(self.hooks, name, None) if self.hooks is not None else None

    def score(self, doc: Document) -> float:
        fn = self.hook("score")
        if fn is not None:
            return float(fn(doc, self))
        if "sheets" in self.data:  # a case of label/value sheets: the sheet reader scores
            from .. import sheets

            return sheets.score(doc, sheets.vocabulary_of(self))
        if "articles" in self.data:  # a case of numbered articles: the article reader scores
            from .. import articles

            return articles.score(doc, articles.vocabulary_of(self))
        if "outline" in self.data:  # a running text: scored on the headings of its outline
            from .. import outline

            return outline.score(doc, self)
        total = 0.0
        for feat in self._features:
            pattern, weight, least = feat
            n = 0
            for ln in doc.lines:
                if pattern.search(ln.text):
                    n += 1
                    if n >= least:
                        total += weight
                        break
        return round(min(1.0, total), 3)

    def prepare(self, doc: Document) -> Document:
        drops = [re.compile(p) for p in self.data.get("drop", [])]
        lines = [ln for ln in doc.lines if not any(p.search(ln.text) for p in drops)]
        if self.data.get("toc"):
            lines = drop_toc(lines)
        if len(lines) != len(doc.lines):
            doc = Document(doc.name, lines, doc.kind, doc.sheets)
        fn = self.hook("prepare")
        return fn(doc, self) if fn is not None else doc

    def number(self, text: str) -> Number | None:
        for pattern, spec in self._numbering:
            m = pattern.match(text)
            if not m:
                continue
            printed = " ".join(m.group("code").split())
            code = printed
            if spec.get("join") is not None:
                code = re.sub(r"\s*[-–]\s*|\s+", spec["join"], code)
            for old, new in spec.get("replace", []):
                code = code.replace(old, new)
            if spec.get("upper"):
                code = code.upper()
            title = (m.groupdict().get("title") or "").strip()
            level = spec.get("level", "")
            return Number(("case", level), code, printed, code_parts(code), title, level)
        return None


def drop_toc(lines: list[Line]) -> list[Line]:
    """Lines of a table of contents removed: those ending in dot leaders and a page number,
    and the lines between two of them (a title wrapped over two lines)."""
    marks = [i for i, ln in enumerate(lines) if ln.cells is None and TOC_LINE.search(ln.text)]
    if len(marks) < 3:
        return lines
    gone = set(marks)
    for a, b in zip(marks, marks[1:], strict=False):
        if b - a <= 4:
            gone.update(range(a + 1, b))
    return [ln for i, ln in enumerate(lines) if i not in gone]


_TRAILING_PAGE = re.compile(r"\s+\d{1,3}\.?\s*$")


def drop_running(lines: list[Line], keep=lambda text: False) -> list[Line]:
    """Lines without running headers (the same text, page number aside, printed 5 times or
    more) and page numbers, for text extractions of paged documents; ``keep(text)`` spares
    lines that only look repeated (an item's code)."""
    from collections import Counter

    counts = Counter(_TRAILING_PAGE.sub("", ln.text.strip()) for ln in lines if ln.text.strip())
    out = []
    for ln in lines:
        key = _TRAILING_PAGE.sub("", ln.text.strip())
        if key and counts[key] >= 5 and len(key) >= 15 and not keep(ln.text):
            continue
        if PAGE_NUMBER.match(ln.text):
            continue
        out.append(ln)
    return out


@cache
def case_data(name: str) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def load_case(name: str) -> Case:
    data = case_data(name)
    hooks = None
    if (CASES_DIR / f"{name}.py").exists():
        hooks = importlib.import_module(f"{__name__}.{name}")
    return Case(data.get("name", name), data, hooks)


def case_names() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.json"))


class CaseParser:
    """A case seen as a layout by :func:`jalon.ingest.parse_document` (``NAME``, ``score``,
    ``parse``): the engine reading with the case."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.NAME = case.name

    def score(self, doc: Document) -> float:
        try:
            return self.case.score(doc)
        except Exception:  # noqa: BLE001 - a score never fails: the case just does not apply
            return 0.0

    def parse(self, doc: Document):
        from .. import engine
        from ..errors import IngestError
        from ..i18n import _

        try:
            return engine.parse(doc, case=self.case)
        except IngestError:
            raise
        except Exception as exc:  # noqa: BLE001 - bad input surfaces as IngestError only
            raise IngestError(_("mise en page %(layout)s : lecture impossible (%(error)s)")
                              % {"layout": self.NAME, "error": exc},
                              file=getattr(doc, "name", "")) from exc


def case_parsers() -> list[CaseParser]:
    return [CaseParser(load_case(n)) for n in case_names()]


__all__ = ["Case", "CaseParser", "case_data", "case_names", "case_parsers", "drop_running", "drop_toc",
           "load_case"]
