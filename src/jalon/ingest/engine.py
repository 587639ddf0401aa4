"""The structure engine: any Document → PlanDraft, from features every plan has.

It walks the document once, in reading order, and keeps a stack of open headings:

* **paragraph lines** become headings when they carry a number of any scheme and depth
  (:mod:`.numbering`: ``1.2.3``, ``II.``, ``a)``, ``C1.1``, ``OS 2``, ``Objectif stratégique 2 :``,
  ``Art. 8.1.6``, ``BD1``/``AP1.1``/``AC1.1.1``), a heading style (DOCX ``heading N``), a larger
  or bold font (PDF) or are short ALL-CAPS lines.  Each heading gets a *kind* (its scheme and
  depth, its style, its font); a kind already open on the stack closes what is below it (a
  sibling), a new kind opens a level below the current heading (a child).  ``LABEL : value``
  lines whose label the vocabulary knows are fields of the current item; other text is its
  description.
* **table blocks** (consecutive rows with cells: a sheet, a DOCX or PDF table) are read by
  :mod:`.tables`: a header row anywhere (title rows above it give the plan's title), each row
  an item under the current heading, the hierarchy from the parent column, the codes, a level
  column, repeated ancestor columns or outline levels; two-column label/value tables are the
  fields of the item they follow (or a new item when they carry its code or title).

See docs/importing.md.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import mapping as vocab
from .document import Document, Line
from .draft import LIST_FIELDS, NodeDraft, PlanDraft
from .numbering import Number, parse_number

NAME = "engine"
MAX_HEADING_CHARS = 220
DEFAULT_SHEET_NAMES = re.compile(r"^(?:sheet|feuil|feuille|blad|tabelle|tableau|table)\s*\d*$",
                                 re.I)


@dataclass
class Open:
    """A heading open on the stack."""

    kind: tuple[Any, ...]
    code: str
    number: Number | None = None


@dataclass
class Engine:
    doc: Document
    mapping: dict[str, str] | None = None
    mapping_source: str = "user"
    draft: PlanDraft = field(default_factory=PlanDraft)
    stack: list[Open] = field(default_factory=list)
    current: NodeDraft | None = None  # the item fields and text attach to
    structures: list[str] = field(default_factory=list)
    title_candidates: list[tuple[int, str]] = field(default_factory=list)  # (priority, text)
    body_size: float | None = None
    repeated_labels: set[str] = field(default_factory=set)
    by_number: dict[tuple[str, ...], str] = field(default_factory=dict)
    last_heading: tuple[tuple[Any, ...], NodeDraft | None] | None = None
    last_header: Line | None = None  # the last data table's header (tables over pages)
    furniture: set[str] = field(default_factory=set)  # running headers and footers
    case: Any = None  # a jalon.ingest.cases.Case: the words and hooks of a known document
    state: dict[str, Any] = field(default_factory=dict)  # what a case's hooks remember
    _at: dict[int, int] | None = field(default=None, repr=False)  # line number → index

    # -- entry --------------------------------------------------------------------------------
    def run(self) -> PlanDraft:
        self.draft.source = Path(self.doc.name).name
        self.draft.layout = NAME
        if self.case is not None:
            self.draft.layout = self.case.name
            self.doc = self.case.prepare(self.doc)
            reader = _case_reader(self.case)
            if reader is not None:  # sheets or articles: the engine's reader for that shape
                self.draft = reader.parse(self.doc, reader.vocabulary_of(self.case))
                self.draft.source = Path(self.doc.name).name
                return self.draft
            with vocab.case_vocabulary(self.case.vocabulary):
                return self._read()
        return self._read()

    def _read(self) -> PlanDraft:
        self._prepare()
        lines = self.doc.lines
        if self.case is not None and "outline" in self.case.data:
            lines = []  # a running text: read by its case's outline when the walk ends
        hook = self.case.hook("line") if self.case is not None else None
        i = 0
        while i < len(lines):
            ln = lines[i]
            if hook is not None and hook(self, ln, " ".join(ln.text.split())):
                self.last_heading = None
                i += 1
                continue
            if ln.cells is not None and len([c for c in ln.cells if c.strip()]) >= 1:
                j = i
                while (j < len(lines) and lines[j].cells is not None
                       and lines[j].page == ln.page):
                    j += 1
                from .tables import read_table

                read_table(self, lines[i:j])
                i = j
                continue
            self.paragraph(ln)
            i += 1
        self._finish()
        return self.draft

    def _prepare(self) -> None:
        sizes = Counter(ln.size for ln in self.doc.lines if ln.size and ln.text.strip()
                        and ln.cells is None)
        if sizes:
            self.body_size = sizes.most_common(1)[0][0]
        starts: Counter[str] = Counter()
        for ln in self.doc.lines:
            if ln.cells is None and ln.text.strip():
                label = _prefix_label(ln.text)
                if label:
                    starts[label[0]] += 1
        self.repeated_labels = {k for k, n in starts.items() if n >= 2}
        self.furniture = _page_furniture(self.doc)
        for idx, name in enumerate(self.doc.sheets):
            if name and not DEFAULT_SHEET_NAMES.match(name.strip()):
                self.title_candidates.append((5 + idx, name.strip()))

    # -- paragraphs ---------------------------------------------------------------------------
    def paragraph(self, ln: Line) -> None:
        text = " ".join(ln.text.split())
        if not text:
            self.last_heading = None
            return
        if self.furniture and _furniture_key(text) in self.furniture:
            return
        if ln.style == "title":
            self.title_candidates.append((0, text))
            return
        heading = self.heading(ln, text)
        last, self.last_heading = self.last_heading, None
        if heading is not None:
            kind, number, title, level = heading
            if number is None and last is not None and last[0] == kind and \
                    kind[0] in ("size", "bold", "caps", "title"):
                # a heading wrapped over two lines (PDF): one heading
                if last[1] is None:
                    prio, old = self.title_candidates.pop()
                    self.title_candidates.append((prio, f"{old} {title}"))
                else:
                    last[1].title = f"{last[1].title} {title}"
                self.last_heading = last
                return
            if number is None and not self.draft.nodes and kind[0] != "style" and \
                    re.search(r"plan|programm|\b20\d\d\b", text, re.I):
                self.title_candidates.append((0, text))  # the document's title
                self.last_heading = (kind, None)
                return
            node = self.open_heading(kind, number, title, level, ln.number)
            self.last_heading = (kind, node)
            return
        if self.label_value(text, ln.number):
            return
        if self.current is not None:
            self.current.append("description", text, ln.number)
        elif not self.draft.nodes:
            self.title_candidates.append((3, text))

    def heading(self, ln: Line, text: str) -> tuple[tuple[Any, ...], Number | None, str,
                                                    str] | None:
        if len(text) > MAX_HEADING_CHARS and not ln.style:
            return None
        number = self.case.number(text) if self.case is not None else None
        if number is not None:
            return number.kind, number, number.title or text, number.level
        number = parse_number(text)
        if number is not None and not number.title and ln.style:
            number = None
        style = ln.style if ln.style.startswith("heading") else ""
        if number is not None:
            if _sentence(number.title) and not style and not number.level:
                number = None if len(number.title) > 160 else number
        if number is not None:
            kind = ("style", style) if style else number.kind
            title = number.title or text
            return kind, number, title, number.level
        if style:
            return ("style", style), None, text, ""
        if self.body_size and ln.size and ln.size >= self.body_size + 1.5 and len(text) <= 150:
            return ("size", ln.size, ln.bold), None, text, ""
        if _caps_heading(text):
            return ("caps",), None, text, ""
        if ln.bold and len(text) <= 120 and not text.endswith((".", ":", ";", ",")) and \
                self.doc.kind in ("docx", "pdf") and vocab.field_for(text) is None:
            return ("bold", ln.size), None, text, ""
        return None

    def open_heading(self, kind: tuple[Any, ...], number: Number | None, title: str,
                     level: str, line: int) -> NodeDraft:
        # a numbered heading whose number continues an open one's (1.2 under 1) goes there
        parent_idx = None
        if number is not None and number.parts and len(number.parts) > 1:
            for idx in range(len(self.stack) - 1, -1, -1):
                o = self.stack[idx]
                if o.number is not None and o.number.parts == number.parts[:-1]:
                    parent_idx = idx
                    break
        if parent_idx is not None:
            del self.stack[parent_idx + 1:]
        else:
            for idx, o in enumerate(self.stack):
                if o.kind == kind:
                    del self.stack[idx:]
                    break
        parent = self.stack[-1].code if self.stack else None
        if number is None and kind[0] in ("caps", "style", "size", "bold"):
            from .namedgroups import implied_number  # a heading named, its items lettered

            number = implied_number(self, line, kind, title, level)
        node = self.add_node(title, number, parent, line, level)
        self.stack.append(Open(kind, node.code, number))
        if "headings" not in self.structures:
            self.structures.append("headings")
        return node

    def line_at(self, number: int) -> int | None:
        """The index in ``doc.lines`` of the line numbered ``number``."""
        if self._at is None:
            self._at = {}
            for i, ln in enumerate(self.doc.lines):
                self._at.setdefault(ln.number, i)
        return self._at.get(number)

    def add_node(self, title: str, number: Number | None, parent: str | None, line: int,
                 level: str = "") -> NodeDraft:
        code = printed = None
        if number is not None and number.code:
            printed = number.printed
            code = number.code
            if parent and number.restarts and not code.startswith(parent):
                code = f"{parent}.{code}"
        if not title.strip():
            title = printed or ""
        node = self.draft.add(title or "—", code=code, parent=parent, line=line, level=level,
                              printed=printed)
        if number is not None and number.parts:
            from .tables import register

            register(self, number.parts, node.code)
        self.current = node
        return node

    def label_value(self, text: str, line: int) -> bool:
        m = re.match(r"^([^:]{1,60}?)\s*:\s*(.*)$", text)
        label = value = None
        if m and (vocab.field_for(m.group(1)) or vocab.plan_key_for(m.group(1))):
            label, value = m.group(1), m.group(2)
        else:
            pre = _prefix_label(text)
            if pre and pre[0] in self.repeated_labels:
                label, value = pre[1], pre[2]
        if label is None:
            return False
        return self.set_label(label, value or "", line)

    def set_label(self, label: str, value: str, line: int) -> bool:
        key = vocab.field_for(label)
        plan_key = vocab.plan_key_for(label)
        if (key is None or self.current is None) and plan_key:
            self.set_plan(plan_key, value, line)
            return True
        if key is None:
            return False
        if key in ("code", "title", "level", "parent", "level_title"):
            if self.current is None:
                return key == "title" and self.set_plan("title", value, line)
            if key == "title" and value.strip():
                if self.current.derived_code or self.current.title in ("—", ""):
                    self.current.title = " ".join(value.split())
                else:
                    self.current.set("objective", value, line)
            return True
        if self.current is None:
            return False
        set_field(self.current, key, value, line)
        return True

    def set_plan(self, key: str, value: str, line: int | None) -> bool:
        value = " ".join(value.split())
        if not value:
            return False
        if key == "title":
            self.title_candidates.append((1, value))
        elif key == "organization":
            self.draft.organization = self.draft.organization or value
        elif key == "kind":
            from .interchange import PLAN_KINDS

            if value in PLAN_KINDS:
                self.draft.kind = value
        else:
            from .parsers.tabular import apply_plan_info

            apply_plan_info(self.draft, key, value, line)
        return True

    # -- end ----------------------------------------------------------------------------------
    def _finish(self) -> None:
        d = self.draft
        if self.title_candidates:
            d.title = sorted(self.title_candidates, key=lambda c: c[0])[0][1]
        if not d.title:
            d.title = Path(self.doc.name).stem.replace("_", " ")
        if not d.period_start:
            years = [int(y) for y in re.findall(r"\b(20\d\d)\b", d.title)]
            if years:
                d.period_start, d.period_end = years[0], years[-1]
        if self.case is not None and "outline" in self.case.data:
            from .outline import read

            read(self)
        hook = self.case.hook("finish") if self.case is not None else None
        if hook is not None:
            hook(self)
        d.finish()
        levels: dict[int, Counter[str]] = {}
        for n in d.nodes:
            if n.level:
                levels.setdefault(n.depth, Counter())[n.level] += 1
        if levels and set(levels) == set(range(len(levels))):
            d.levels = [levels[k].most_common(1)[0][0] for k in range(len(levels))]
        if self.case is not None and self.case.levels:
            d.levels = self.case.levels
            for n in d.nodes:
                if not n.level and n.depth < len(d.levels):
                    n.level = d.levels[n.depth]
        d.structure = " + ".join(self.structures)
        if any(re.search(r"\b(?:het|de|van|en|voor|een)\b", n.title) for n in d.nodes[:40]) \
                and sum(bool(re.search(r"\b(?:het|van|voor|een)\b", n.title))
                        for n in d.nodes[:40]) >= max(2, len(d.nodes[:40]) // 5):
            d.language = "nl"


def _case_reader(case: Any):
    """The reader a case's data asks for: labelled sheets (``sheets``, :mod:`.sheets`) or
    numbered articles with norm tables (``articles``, :mod:`.articles`); None: the walk above."""
    if "sheets" in case.data:
        from . import sheets

        return sheets
    if "articles" in case.data:
        from . import articles

        return articles
    return None


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def _page_furniture(doc: Document) -> set[str]:
    """Lines printed at the top or bottom of most pages («Page 2», the plan's running title)."""
    pages: dict[int, list[str]] = {}
    for ln in doc.lines:
        if ln.page and ln.cells is None and ln.text.strip():
            text = "" if ":" in ln.text else _furniture_key(ln.text)  # a label line is content
            pages.setdefault(ln.page, []).append(text)
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for texts in pages.values():
        seen.update(set(texts[:2] + texts[-2:]))
    return {t for t, n in seen.items() if t and n >= max(2, len(pages) // 2)}


def set_field(node: NodeDraft, key: str, value: Any, line: int | None) -> None:
    """Set a field from a cell or label value (lists and text continue, numbers replace)."""
    if isinstance(value, str):
        value = value.strip()
        if not value or vocab.is_empty_value(value):
            return
    if key in ("status", "progress") and isinstance(value, str):
        # «État d'avancement : 80 %» is a progress, «Voortgang : lopend» a status
        key = "progress" if re.fullmatch(r"[±+/-]*\s*\d+(?:[.,]\d+)?\s*%?", value) \
            else "status"
    if key == "indicators":
        inds = node.fields.get("indicators") or []
        if inds and isinstance(inds[-1], dict) and not inds[-1].get("name"):
            inds[-1]["name"] = str(value)  # the target's column came first
            return
        node.add_indicator(str(value), None, line)
        return
    if key in vocab.INDICATOR_PARTS:
        part = key.removeprefix("indicator_")
        inds = node.fields.setdefault("indicators", [])
        if not inds or inds[-1].get(part) not in (None, ""):
            inds.append({"name": "", "target": None})
        inds[-1][part] = str(value)
        if line is not None:
            inds[-1].setdefault("line", line)
        return
    old = node.fields.get(key)
    if key in LIST_FIELDS and old:
        node.fields[key] = ([*old] if isinstance(old, list) else [old]) + [value]
        return
    if key in ("description", "comment", "context") and isinstance(old, str) and old:
        node.append(key, str(value), line)
        return
    node.set(key, value, line)


_LABEL_PREFIX = re.compile(r"^([A-Za-zÀ-ÿ'’.%]+(?:[ .][A-Za-zÀ-ÿ'’.%]+){0,3})\s+(\S.*)$")


def _prefix_label(text: str) -> tuple[str, str, str] | None:
    """``CHEF DE PROJET Mme X`` → (normalised label, label, value) when a prefix of the line's
    first words is a field label (the engine only trusts it when the label repeats)."""
    words = text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        label = " ".join(words[:n]).rstrip(":")
        if vocab.field_for(label) and vocab.normalise_header(label) in _exact_labels():
            return vocab.normalise_header(label), label, " ".join(words[n:])
    return None


def _exact_labels() -> set[str]:
    from .mapping import _field_index

    return set(_field_index())


def _sentence(title: str) -> bool:
    return len(title) > 120 or title.endswith((".", ";")) and len(title) > 80


def _caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or len(text) > 100:
        return False
    if any(c.islower() for c in letters):
        return False
    return len(text.split()) <= 14 and vocab.field_for(text) is None and \
        not re.search(r"[:|]\s*\S", text)


def parse(doc: Document, mapping: dict[str, str] | None = None,
          mapping_source: str = "user", case: Any = None) -> PlanDraft:
    """The plan in ``doc``; ``case`` (:func:`jalon.ingest.cases.load_case`) adds the words,
    patterns and hooks of a known kind of document."""
    engine = Engine(doc, mapping, mapping_source, case=case)
    return engine.run()


_CACHE: dict[int, tuple[Document, PlanDraft]] = {}


def cached_parse(doc: Document) -> PlanDraft:
    hit = _CACHE.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    draft = parse(doc)
    _CACHE.clear()
    _CACHE[id(doc)] = (doc, draft)
    return draft


def plan_like(draft: PlanDraft) -> bool:
    """Two items or more, or one item with a field of the contract (not only extra columns)."""
    if len(draft.nodes) >= 2:
        return True
    return any(k not in ("extra", "description") for n in draft.nodes for k in n.fields)


def forget(doc: Document) -> None:
    _CACHE.pop(id(doc), None)


def score(doc: Document) -> float:
    """The engine reads anything with structure; it scores at most 0.45 so that a known layout
    recognised clearly (≥ 0.8) keeps its own parser (see parse_document)."""
    if doc.kind == "json":
        return 0.0
    try:
        draft = cached_parse(doc)
    except Exception:
        return 0.0
    n = len(draft.nodes)
    if n == 0 or not plan_like(draft):
        return 0.0
    return round(min(0.45, 0.15 + 0.03 * n), 3)


__all__ = ["NAME", "Engine", "parse", "score", "set_field"]
