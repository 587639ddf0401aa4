"""The engine's sheet reader: labelled sheets under a numbered tree (e.g. a CPAS PST).

A layout of its own (``sheets``): it scores every document and reads those that clearly show
labelled sheets.  Every word below — labels, level words, what opens a sheet, the resources'
sub-labels, the metadata patterns — comes from ``vocabulary.json`` → ``sheets``, one set per
language (French, Dutch, English: :class:`Vocabulary`); the best-scoring language reads.  A
case's ``sheets`` key adds words over them (:func:`vocabulary_of`).  The examples are the
French words.  What it reads (and :func:`score` looks for):

- **Numbered headings** ``1. AXE``, ``1.1. Objectif``, ``1.1.2. Objectif`` (optionally behind a
  level word: ``Axe 2 :``, ``OS 1.1``, ``Objectif opérationnel 1.1.2 -``).  A heading's title
  may wrap: following lines that open in lower case (or stay in capitals after a capital
  heading) continue it.
- **Unnumbered project headings**: a short line (often indented, the bullet glyph lost in the
  PDF extraction) between an objective and the first sheet of a project.  It gets the code its
  sheets imply (``1.1.2.2.1`` → project ``1.1.2.2``, ``derived_code``).
- **Action sheets**: ``TITRE`` then a code with an arrow (``1.1.2.2.1 → Intitulé``; the label
  and the code may share a line or not), followed by labelled fields: DÉBUT, FIN, DÉPARTEMENT
  (/SERVICE), OBJECTIF STRATÉGIQUE / OPÉRATIONNEL, DESCRIPTION (DE L'ACTION), CONTEXTE,
  RISQUE(S), CHEF DE PROJET, EQUIPE PROJET, MANDATAIRE, PARTENAIRE(S), LIVRABLES (ATTENDUS),
  RESSOURCES (NÉCESSAIRES) with "Humaine(s) (ETP) :" / "Budgétaires (€) :" parts,
  COMMENTAIRE(S) and T.AVANCEMENT.  A label may stand alone (its value on the next lines), share
  its line with the value, or be split over two lines ("COMMEN-" / "TAIRE(S)", "OBJECTIF" /
  "STRATÉGIQUE").  Capital labels are recognised anywhere at the start of a line; labels in
  other cases only alone on their line or followed by a colon.
- Page numbers alone on a line, bare URLs (footnotes) and an introduction or table of contents
  before the tree are skipped: nothing before the first numbered heading or sheet makes a node,
  and a heading that starts the numbering again before any sheet was seen discards what came
  before it (a summary).

The code of an action tells its ancestors; ancestors the document does not print are created
with a warning.  Field values are kept as printed; :func:`jalon.ingest.fields.finalize` turns
them into the contract's shapes (lists, numbers).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from jalon.core.values import fold_accents

from .document import Document
from .draft import NodeDraft, PlanDraft
from .errors import IngestError
from .i18n import _
from .pagetext import PAGE_NUMBER
from .readerwords import vocabularies

NAME = "sheets"
LABELS_CLEAR = 4  # kinds of label that come back from sheet to sheet: clearly labelled sheets

# What every sheet document shares (not words of one language): arrows, codes, bullets, page
# numbers, footnote URLs, table-of-contents leaders, year ranges.
_ARROW = r"(?:→|->|⇒|➔|➜|=>)"
_CODE = r"\d{1,2}(?:\.\d{1,2})+"
_BULLET = re.compile(r"^\s*(?:[•·◦▪▫■□●○‣⁃➢➤►▶→✓✔*\-–]|o\s)")
_ARROW_CODE = re.compile(rf"^\s*(?P<code>{_CODE})\s*\.?\s*{_ARROW}\s*(?P<rest>.*)$")
_BARE_CODE = re.compile(rf"^\s*(?P<code>{_CODE})\s*\.?\s*(?:[-–:]\s*)?(?P<rest>\S.*)?$")
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_DOT_LEADER = re.compile(r"(?:\.{3,}|…{2,}|\s{3,})\s*\d{1,3}\s*$")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[-–/à]+\s*((?:19|20)?\d\d)\b")
# Fields whose value is one short line: dates and progress; once the progress is set, the sheet
# does not wait for more text.
_ONE_LINE_FIELDS = ("start", "end", "deadline", "progress")
_CLOSING_FIELDS = ("progress",)
_DATE_FIELDS = ("start", "end", "deadline")
# Keys the writer composes itself (the others are written as printed, in the labels' order).
_COMPOSED = ("title", "description", "resources")


class Vocabulary:
    """One language's ``sheets`` words for the sheet reader, compiled (vocabulary.json)."""

    def __init__(self, name: str, levels: list[str], data: dict[str, Any],
                 language: str = "fr") -> None:
        self.name = name
        self.language = language  # the draft's language
        self.levels: list[str] = list(levels)
        self.action_level = self.levels[-1]
        self.level_words = [(re.compile(rf"^(?:{p})$", re.I), name)
                            for p, name in data["level_words"]]
        words = "|".join(p for p, _name in data["level_words"])
        self.heading = re.compile(
            rf"^\s*(?:(?P<word>{words})\s*(?:n[°o]\s*)?)?"
            r"(?P<code>\d{1,2}(?:\.\d{1,2})*)(?P<end>\s*[.):]|\s+[-–]|\s)\s*(?:[-–:]\s*)?"
            r"(?P<title>\S.*)$", re.I)
        self.word_code = re.compile(
            rf"^\s*(?:{data['sheet_words']})\s*(?:N[°O]\s*)?(?P<code>{_CODE})"
            rf"\s*\.?\s*(?:{_ARROW}|[-–:])?\s*(?P<rest>.*)$", re.I)
        self.title_label = re.compile(
            rf"^\s*(?P<label>{data['title_labels']})(?![\w])\s*:?\s*(?P<rest>.*)$", re.I)
        self.labels = [
            (key, re.compile(rf"^\s*(?P<label>{head})(?![\w(])\s*(?P<rest>.*)$", re.I),
             re.compile(rf"^\s*(?P<tail>{tail})(?![\w])\s*(?P<rest>.*)$", re.I) if tail else None)
            for key, head, tail in data["labels"]]
        dates = "|".join(head for key, head, _t in data["labels"] if key in _DATE_FIELDS)
        self.date_inside = re.compile(rf"\s(?=(?:{dates})(?![\w(]))") if dates else None
        self.tail_keys = {k: [(_fold(m).upper(), key) for m, key in v]
                          for k, v in data.get("tail_keys", {}).items()}
        keys = [key for key, _h, _t in data["labels"]]
        self.objective_parts = [tuple(p) for p in data.get("objective_parts", [])]
        parts = {k for k, _label in self.objective_parts}
        self.text_fields = [k for k in dict.fromkeys(keys)
                            if k not in _ONE_LINE_FIELDS and k not in _COMPOSED and k not in parts]
        self.progress_value = re.compile(
            rf"^\s*(?:{data['approximately']})?\s*\d{{1,3}}(?:[.,]\d+)?\s*%"
            rf"|^\s*(?:{data['progress_values']})\b", re.I)
        self.connector_end = re.compile(rf"(?:\b(?:{data['connectors']})|[,\-–/(])\s*$", re.I)
        self.abbreviations = set(data.get("abbreviations", ()))
        res = data["resources"]
        self.sub_fte = re.compile(res["fte_label"], re.I)
        self.sub_budget = re.compile(res["budget_label"], re.I)
        self.money_words = re.compile(res["money_words"], re.I)
        self.funding_words = re.compile(res["funding_words"], re.I)
        self.people_words = re.compile(res["people_words"], re.I)
        self.and_end = re.compile(rf"\s+{res['and_word']}\s*$")
        self.plan_title_words = re.compile(rf"\b(?:{data['plan_title_words']})\b", re.I)
        self.organization = re.compile(data["organization"])
        self.organization_short = data.get("organization_short", {})
        self.kinds = [(re.compile(p), kind) for p, kind in data.get("kinds", [])]

    def level_for(self, word: str) -> str:
        word = " ".join(word.split())
        for pattern, name in self.level_words:
            if pattern.match(word):
                return name
        return word


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _sheet_code(v: Vocabulary, text: str) -> re.Match[str] | None:
    """A line opening a sheet by its code: ``1.1.2.2.1 → …`` or ``FICHE ACTION 1.2.3 : …``."""
    return _ARROW_CODE.match(text) or v.word_code.match(text)


_fold = fold_accents


def _norm_title(text: str) -> str:
    """A title reduced for comparison: no accents, case, punctuation or URLs."""
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", _fold(text)).split())


def _same_title(a: str, b: str) -> bool:
    """Equal but for case, accents, punctuation, a truncation or a typo or two."""
    na, nb = _norm_title(a), _norm_title(b)
    if not na or not nb:
        return False
    if na == nb or (min(len(na), len(nb)) >= 20 and (na.startswith(nb) or nb.startswith(na))):
        return True
    if min(len(na), len(nb)) < 20:
        return False
    sm = SequenceMatcher(None, na, nb, autojunk=False)
    return sm.real_quick_ratio() >= 0.92 and sm.quick_ratio() >= 0.92 and sm.ratio() >= 0.92


def _code_tuple(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _code_str(code: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in code)


def _indented(text: str) -> bool:
    return bool(re.match(r"^[ \t\u00a0]+\S", text))


def _starts_lower(text: str) -> bool:
    s = text.lstrip(" \t\u00a0«\"'(")
    return bool(s) and s[0].islower()


def _starts_upper(text: str) -> bool:
    s = text.lstrip(" \t\u00a0«\"'(")
    return bool(s) and s[0].isupper()


def _is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _clean_value(text: str) -> str:
    return text.strip().lstrip("|:").strip()


def _join(lines: list[str]) -> str:
    """Join a field's lines: wrapped lines with a space, bullets on their own line."""
    out: list[str] = []
    for raw in lines:
        text = " ".join(raw.split())
        if not text:
            continue
        if not out or _is_bullet(text):
            out.append(text)
        elif out[-1].endswith("-") and not out[-1].endswith(" -"):
            out[-1] += text
        else:
            out[-1] += " " + text
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


@dataclass
class _Label:
    key: str
    value: str
    consumed: int | None = None  # index of a following line that held the label's tail


def _label_accepted(line: str, m: re.Match[str]) -> bool:
    """Capital labels anywhere at the start; other cases only alone or before a colon."""
    label = m.group("label")
    if label == label.upper() and any(c.isalpha() for c in label):
        return True
    rest = m.group("rest")
    return not rest.strip() or rest.lstrip().startswith(":")


def _next_content(texts: list[str], i: int, limit: int = 4) -> int | None:
    """Index of the next non-blank line after i (skipping page numbers), within limit lines."""
    j, seen = i + 1, 0
    while j < len(texts) and seen <= limit:
        t = texts[j]
        if t.strip() and not PAGE_NUMBER.match(t):
            return j
        j += 1
        seen += 1
    return None


def match_label(v: Vocabulary, texts: list[str], i: int) -> _Label | None:
    """The sheet label opening line i, if any (with its value and a consumed tail line)."""
    line = texts[i]
    for key, head, tail in v.labels:
        m = head.match(line)
        if not m or not _label_accepted(line, m):
            continue
        rest = _clean_value(m.group("rest"))
        if tail is None:
            return _Label(key, rest)
        tm = tail.match(rest) if rest else None
        if tm and tm.group("tail") == tm.group("tail").upper():
            return _Label(_tail_key(v, key, tm.group("tail")), _clean_value(tm.group("rest")))
        if rest:
            if m.group("label").endswith("-"):
                continue  # "COMMEN-" followed by text is a hyphenated word, not a label
            return _Label(key, rest)
        j = _next_content(texts, i)
        if j is not None:
            tm = tail.match(texts[j])
            if tm and (tm.group("tail") == tm.group("tail").upper()
                       or not tm.group("rest").strip()):
                return _Label(_tail_key(v, key, tm.group("tail")), _clean_value(tm.group("rest")), j)
        return _Label(key, "")
    return None


def _expand_lines(doc: Document) -> tuple[list[str], list[int]]:
    """The document's texts with their line numbers; a table row (cells) gives one text per
    cell, so that "DÉBUT | 2019 | FIN | 2024" reads like labels and values on their lines."""
    texts: list[str] = []
    numbers: list[int] = []
    for ln in doc.lines:
        cells = [c for c in (ln.cells or ()) if c and c.strip()]
        for text in (cells if len(cells) > 1 else [ln.text]):
            for part in str(text).replace("\t", "    ").splitlines() or [""]:
                texts.append(part)
                numbers.append(ln.number)
    return texts, numbers


def _start_code(v: Vocabulary, texts: list[str], i: int) -> tuple[int, ...] | None:
    """The code of the sheet that line i opens (``code →``, or TITRE with the code on its line
    or the next)."""
    m = _sheet_code(v, texts[i])
    if not m:
        t = v.title_label.match(texts[i])
        rest = _clean_value(t.group("rest")) if t else ""
        if not rest:
            j = _next_content(texts, i)
            rest = texts[j] if j is not None else ""
        m = _sheet_code(v, rest) or _BARE_CODE.match(rest)
    return _code_tuple(m.group("code")) if m and m.group("code") else None


def sheet_starts(v: Vocabulary, texts: list[str]) -> list[int]:
    """Indexes of the lines that open a sheet: ``code →``, or a capital TITRE with a code."""
    out: list[int] = []
    for i, t in enumerate(texts):
        m = v.title_label.match(t)
        if m and m.group("label").isupper() and _start_code(v, texts, i) is not None:
            out.append(i)
        elif _sheet_code(v, t):
            j = out[-1] if out else None
            if j is None or not v.title_label.match(texts[j]) or _next_content(texts, j) != i:
                out.append(i)  # (not the code line of the TITRE just before)
    return out


def _split_dates(v: Vocabulary, label: _Label) -> list[_Label]:
    """``DÉBUT 2019 FIN 2024``: two date labels flattened onto one line."""
    if label.key not in ("start", "end", "deadline"):
        return [label]
    m = v.date_inside.search(label.value) if v.date_inside else None
    if not m:
        return [label]
    second = match_label(v, [label.value[m.end():]], 0)
    if second is None:
        return [label]
    return [_Label(label.key, label.value[: m.start()].strip()), *_split_dates(v, second)]


def _tail_key(v: Vocabulary, key: str, tail: str) -> str:
    """The key a label's tail decides («OBJECTIF» / «STRATÉGIQUE»)."""
    folded = _fold(tail).upper()
    for mark, tail_key in v.tail_keys.get(key, ()):
        if mark in folded:
            return tail_key
    return key


# ---------------------------------------------------------------------------------------------
# Sheets and headings being read
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    node: NodeDraft
    line: int
    fields: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    current: str = "title"
    closed: bool = False

    def add(self, key: str, number: int, text: str) -> None:
        self.fields.setdefault(key, []).append((number, text))

    def open_field(self, key: str, number: int, value: str) -> None:
        if key in self.labels and key != "title":
            self.add(key, number, "")  # a label printed twice: keep both values
        self.labels.setdefault(key, number)
        self.fields.setdefault(key, [])
        self.current = key
        if value:
            self.add(key, number, value)


@dataclass
class _Block:
    """An unnumbered heading candidate: a few lines of text."""

    lines: list[tuple[int, str]]
    in_sheet: bool  # seen inside a sheet (may be the sheet's text after all)

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return " ".join(" ".join(t.split()) for _, t in self.lines)

    @property
    def heading_like(self) -> bool:
        """Short, not a sentence: a heading rather than a stray paragraph."""
        text = self.text
        return (len(self.lines) <= 3 and len(text) <= 200 and not text.endswith((".", ";", ":"))
                and not _is_bullet(self.lines[0][1]))


@dataclass
class _Heading:
    code: tuple[int, ...]
    printed: str
    title: str
    word: str


# ---------------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, doc: Document, v: Vocabulary) -> None:
        self.v = v
        self.texts, self.numbers = _expand_lines(doc)
        self.draft = PlanDraft(kind="other", layout=v.name, levels=list(v.levels),
                               language=v.language)
        self.position: tuple[int, ...] | None = None
        self.sheet: _Sheet | None = None
        self.blocks: list[_Block] = []
        self.heading_node: NodeDraft | None = None  # last numbered heading (title may wrap)
        self.free_parent: str | None = None  # where the last sheet without a code went
        self.heading_gap = 0
        self.started = False
        self.sheets_seen = 0
        self.consumed: set[int] = set()
        self.level_words: dict[int, str] = {}
        # without any sheet, unnumbered lines are prose, never headings
        starts = sheet_starts(self.v, self.texts)
        self.has_sheets = bool(starts) or any(
            (m := self.v.title_label.match(t)) and m.group("label").isupper() for t in self.texts)
        self.sheet_codes = [(i, _start_code(self.v, self.texts, i)) for i in starts]

    # -- driving ------------------------------------------------------------------------
    def run(self) -> PlanDraft:
        for i, text in enumerate(self.texts):
            if i in self.consumed:
                continue
            self.step(i, text)
        self.close_sheet()
        self.flush_leftover(self.take_blocks(), None)
        self.finish_plan()
        return self.draft

    def step(self, i: int, text: str) -> None:
        n = self.numbers[i]
        if not text.strip():
            self.heading_gap += 1
            s = self.sheet
            if s is not None and not s.closed and not self.blocks:
                s.add(s.current, n, "")
            return
        if PAGE_NUMBER.match(text) and not self.wants_number():
            return
        if _URL.match(text):
            return
        if self.try_sheet(i, text):
            return
        heading = self.heading_at(i, text)
        if heading is not None:
            self.on_heading(heading, n)
            return
        if self.sheet is not None:
            label = match_label(self.v, self.texts, i)
            if label is not None:
                if label.consumed is not None:
                    self.consumed.add(label.consumed)
                for one in _split_dates(self.v, label):
                    self.on_label(one, n)
                return
        self.on_text(text, n)

    def wants_number(self) -> bool:
        s = self.sheet
        return bool(s and not s.closed and s.current == "progress"
                    and not any(t.strip() for _, t in s.fields.get(s.current, [])))

    # -- sheets -------------------------------------------------------------------------
    def try_sheet(self, i: int, text: str) -> bool:
        """A sheet opens with TITRE (code on this or the next line) or with ``code →``."""
        m = _sheet_code(self.v, text)
        if m:
            self.open_sheet(m.group("code"), m.group("rest"), self.numbers[i])
            return True
        t = self.v.title_label.match(text)
        if not t or not _label_accepted(text, t):
            return False
        rest = _clean_value(t.group("rest"))
        if rest:
            c = _sheet_code(self.v, rest) or _BARE_CODE.match(rest)
            if c and c.group("code"):
                self.open_sheet(c.group("code"), c.group("rest") or "", self.numbers[i])
            else:
                self.open_sheet(None, rest, self.numbers[i])
            return True
        j = _next_content(self.texts, i)
        if j is not None:
            c = _sheet_code(self.v, self.texts[j]) or _BARE_CODE.match(self.texts[j])
            if c and c.group("code") and not match_label(self.v, self.texts, j):
                self.consumed.add(j)
                self.open_sheet(c.group("code"), c.group("rest") or "", self.numbers[i])
                return True
        self.open_sheet(None, "", self.numbers[i])
        return True

    def open_sheet(self, printed: str | None, title: str, n: int) -> None:
        code = _code_tuple(printed) if printed else None
        self.steal_heading(code)
        self.close_sheet()
        self.started = True
        self.sheets_seen += 1
        if code is None:
            # a heading just before it is its project; else it goes under the current objective
            parent = (self.flush_leftover(self.take_blocks(), None) or self.free_parent
                      or self.container())
            self.free_parent = parent
            self.draft.warn(_("fiche sans code : code dérivé de sa position"), n)
            node = self.draft.add(title or "(fiche sans titre)", parent=parent, line=n,
                                  level=self.v.action_level)
        else:
            parent = self.ensure_ancestors(code, n)
            node = self.draft.add(title or "(fiche sans titre)", code=_code_str(code),
                                  parent=parent, line=n, level=self.v.action_level,
                                  printed=printed.strip())
            self.position = code
            self.free_parent = None
        self.sheet = _Sheet(node=node, line=n)
        self.sheet.open_field("title", n, title)
        self.heading_node = None

    def close_sheet(self) -> None:
        s = self.sheet
        if s is None:
            return
        # a paragraph that does not read like a heading stays the sheet's text
        stray = [b for b in self.blocks if b.in_sheet and not b.heading_like]
        if stray:
            self.blocks = [b for b in self.blocks if b not in stray]
            self.restore_blocks(stray)
        self.sheet = None
        _SheetWriter(self.v, self.draft, s).write()

    def on_label(self, label: _Label, n: int) -> None:
        s = self.sheet
        assert s is not None
        if self.blocks:
            self.restore_blocks(self.blocks)
            self.blocks = []
        s.closed = False
        s.open_field(label.key, n, label.value)
        if label.key in _CLOSING_FIELDS and label.value:
            s.closed = True

    def restore_blocks(self, blocks: list[_Block]) -> None:
        """Heading candidates that were the sheet's own text after all go back into it."""
        s = self.sheet
        assert s is not None
        key = s.current if s.current not in ("progress", "start", "end", "title") else "comment"
        s.labels.setdefault(key, blocks[0].line if blocks else s.line)
        for b in blocks:
            for num, t in b.lines:
                s.add(key, num, t)

    def on_text(self, text: str, n: int) -> None:
        s = self.sheet
        if s is not None and not s.closed and self.blocks and self.blocks[-1].in_sheet:
            if self.continues_block(text) or self.heading_like_in_sheet(text):
                self.add_block_line(text, n, in_sheet=True)
                return
            # more text after the candidate: it was the sheet's own text
            self.restore_blocks(self.blocks)
            self.blocks = []
        if s is not None and not s.closed and not self.blocks:
            if s.current == "progress" and not any(t for _, t in s.fields.get("progress", [])):
                if self.v.progress_value.match(text) or re.fullmatch(r"\s*\d{1,3}\s*", text):
                    s.add("progress", n, text)
                    s.closed = True
                    return
                s.closed = True  # no progress value: what follows is not the sheet's
            elif not self.heading_like_in_sheet(text):
                s.add(s.current, n, text)
                return
        if not self.started:
            return  # introduction, summary: no nodes before the tree starts
        if self.continue_heading(text):
            return
        self.add_block_line(text, n, in_sheet=s is not None)

    def heading_like_in_sheet(self, text: str) -> bool:
        """Inside a sheet, an indented capitalised line (not a bullet) may open a heading."""
        s = self.sheet
        assert s is not None
        if s.current == "title":
            return False
        return _indented(text) and _starts_upper(text) and not _is_bullet(text)

    def continue_heading(self, text: str) -> bool:
        node = self.heading_node
        if node is None or self.blocks or self.heading_gap > 1:
            return False
        if _starts_lower(text) or (_all_caps(node.title) and _all_caps(text)
                                   and self.heading_gap == 0):
            node.title = " ".join((node.title + " " + text).split())
            self.heading_gap = 0
            return True
        return False

    def add_block_line(self, text: str, n: int, in_sheet: bool) -> None:
        self.heading_node = None
        if not self.has_sheets:
            return
        if self.continues_block(text):
            self.blocks[-1].lines.append((n, text))
            return
        self.blocks.append(_Block([(n, text)], in_sheet))

    def continues_block(self, text: str) -> bool:
        if not self.blocks or _is_bullet(text):
            return False
        prev = self.blocks[-1].lines[-1][1].rstrip()
        return _starts_lower(text) or bool(self.v.connector_end.search(prev))

    def steal_heading(self, code: tuple[int, ...] | None) -> None:
        """No heading seen before a sheet that opens a new project: the previous sheet's last
        paragraph may be that heading (texts without indentation)."""
        s = self.sheet
        if (s is None or self.blocks or code is None or len(code) < 3
                or _code_str(code[:-1]) in self.draft or s.current == "title"):
            return
        lines = s.fields.get(s.current, [])
        para = _last_paragraph(lines)
        if not para or len(para) > 3:
            return
        text = " ".join(t.strip() for _, t in para)
        first = para[0][1]
        had_before = any(t.strip() for _, t in lines[: len(lines) - len(para)])
        if (not _starts_upper(first) or _is_bullet(first) or len(text) > 200
                or text.endswith((".", ";", ":")) or ":" in text or not had_before):
            return
        del lines[len(lines) - len(para):]
        self.blocks.append(_Block(list(para), in_sheet=True))
        self.draft.warn(_("intitulé de projet déduit du dernier paragraphe de la fiche "
                          "%(code)s : « %(text)s »") % {"code": s.node.code, "text": text},
                        para[0][0])

    # -- numbered headings --------------------------------------------------------------
    def heading_at(self, i: int, text: str) -> _Heading | None:
        if _DOT_LEADER.search(text) and re.match(r"^\s*\d", text):
            return None  # a line of a table of contents
        m = self.v.heading.match(text)
        if not m:
            return None
        title = m.group("title").strip()
        word = m.group("word") or ""
        printed = m.group("code")
        code = _code_tuple(printed)
        end = m.group("end").strip()
        if len(code) == 1 and not word and not end:
            return None  # "2 véhicules": a number, not a heading
        if re.match(rf"^\s*{_ARROW}", title) or re.search(r"^[\d%€$]", title):
            return None
        if not (title[0].isalpha() or title[0] in "«\"'("):
            return None
        if any(p == 0 for p in code) or len(code) > 6:
            return None
        if self.confirmed_by_next_sheet(i, code):
            return _Heading(code, printed, title, word)
        in_sheet = self.sheet is not None
        if not self.plausible(code, strict=in_sheet):
            return None
        if in_sheet and not (title[0].isupper() or title[0] in "«\"'("):
            return None
        if in_sheet and len(code) == 1 and not (word or _all_caps(title)):
            return None  # "2. Réaliser …": an item of a numbered list in the sheet
        return _Heading(code, printed, title, word)

    def confirmed_by_next_sheet(self, i: int, code: tuple[int, ...]) -> bool:
        """A numbered line whose code prefixes the next sheet's code is that sheet's ancestor
        (even when the numbering skipped a number)."""
        if not self.started or _code_str(code) in self.draft:
            return False
        k = bisect.bisect_right(self.sheet_codes, i, key=lambda pair: pair[0])
        if k == len(self.sheet_codes):
            return False
        sheet_code = self.sheet_codes[k][1]
        return (sheet_code is not None and len(sheet_code) > len(code)
                and sheet_code[: len(code)] == code)

    def plausible(self, code: tuple[int, ...], strict: bool) -> bool:
        """Does ``code`` come next in the numbering (a later sibling, a first child)?"""
        pos = self.position
        if pos is None or not self.started:
            return all(p == 1 for p in code)
        if self.sheets_seen == 0 and all(p == 1 for p in code) and _code_str(code) in self.draft:
            return True  # the numbering starts again: what came before was a summary
        steps = (1,) if strict else (1, 2)
        if len(code) > len(pos) and code[: len(pos)] == pos:
            return all(p == 1 for p in code[len(pos):]) and not strict
        for j in range(min(len(code), len(pos))):
            if code[:j] != pos[:j]:
                return False
            if code[j] - pos[j] in steps and all(p == 1 for p in code[j + 1:]):
                return True
        return False

    def on_heading(self, h: _Heading, n: int) -> None:
        if self.sheets_seen == 0 and _code_str(h.code) in self.draft:
            self.restart(n)
        self.close_sheet()
        self.started = True
        if h.word:
            self.level_words[len(h.code) - 1] = self.v.level_for(h.word.strip())
        code = _code_str(h.code)
        parent = self.ensure_ancestors(h.code, n)
        level = self.level_name(len(h.code) - 1)
        node = self.draft.add(h.title, code=code, parent=parent, line=n, level=level,
                              printed=h.printed)
        if node.code != code:
            self.draft.warn(_("intitulé numéroté %(code)s répété") % {"code": code}, n,
                            node.code)
        self.position = h.code
        self.free_parent = None
        self.heading_node = node
        self.heading_gap = 0

    def restart(self, n: int) -> None:
        self.draft.warnings = [w for w in self.draft.warnings if w.line is None]
        self.draft.warn(_("la numérotation recommence : ce qui précède (sommaire, "
                          "introduction) est ignoré"), n)
        self.draft.nodes.clear()
        self.draft.__post_init__()
        self.blocks = []
        self.position = None
        self.level_words = {}

    def level_name(self, depth: int) -> str:
        levels = self.draft.levels
        return levels[min(depth, len(levels) - 2)]

    # -- ancestors and unnumbered headings ---------------------------------------------
    def ensure_ancestors(self, code: tuple[int, ...], n: int) -> str | None:
        """Create the ancestors of ``code`` the document lacks; pending headings name them."""
        missing = [code[:k] for k in range(1, len(code)) if _code_str(code[:k]) not in self.draft]
        blocks = [b for b in self.take_blocks() if b.heading_like]
        named: dict[tuple[int, ...], _Block] = {}
        # the deepest missing ancestors take the nearest headings
        for anc, block in zip(reversed(missing), reversed(blocks), strict=False):
            named[anc] = block
        leftover = blocks[: max(0, len(blocks) - len(missing))]
        if leftover:
            self.flush_leftover(leftover, reserved=_code_str(code))
        if missing and (len(blocks) != len(missing)):
            if blocks:
                self.draft.warn(_("intitulés non numérotés (%(headings)d) et niveaux "
                                  "manquants (%(missing)d) ne correspondent pas : attribution "
                                  "incertaine") % {"headings": len(blocks),
                                                   "missing": len(missing)},
                                n, _code_str(code))
        for anc in missing:
            anc_code = _code_str(anc)
            parent = _code_str(anc[:-1]) if len(anc) > 1 else None
            level = self.level_name(len(anc) - 1)
            block = named.get(anc)
            if block is not None:
                node = self.draft.add(block.text, code=anc_code, parent=parent, line=block.line,
                                      level=level)
            else:
                node = self.draft.add(f"{level} {anc_code}", code=anc_code, parent=parent,
                                      line=n, level=level)
                self.draft.warn(_("%(level)s %(code)s absent du document : créé d'après le "
                                  "code %(child)s") % {"level": level.lower(), "code": anc_code,
                                                       "child": _code_str(code)}, n, anc_code)
            node.derived_code = True
        return _code_str(code[:-1]) if len(code) > 1 else None

    def take_blocks(self) -> list[_Block]:
        blocks, self.blocks = self.blocks, []
        return blocks

    def container(self) -> str | None:
        """Where an unnumbered heading with no numbered child goes: under the deepest numbered
        heading of the current position."""
        pos = self.position
        if pos is None:
            return None
        for k in range(len(pos), 0, -1):
            node = self.draft.get(_code_str(pos[:k]))
            if node is not None and not node.derived_code and node.level != self.v.action_level:
                return node.code
        return None

    def flush_leftover(self, blocks: list[_Block], reserved: str | None) -> str | None:
        """Unnumbered headings that no numbered child claims become nodes of their own under
        the current objective, with a code that avoids ``reserved`` (the next sheet's)."""
        last = None
        if not self.started:
            return None
        for block in blocks:
            if not block.heading_like:
                continue
            parent = self.container()
            code = self.free_child_code(parent, reserved)
            level = self.level_name(len(code.split(".")) - 1)
            node = self.draft.add(block.text, code=code, parent=parent, line=block.line,
                                  level=level)
            node.derived_code = True
            self.draft.warn(_("intitulé non numéroté « %(text)s » : code %(code)s dérivé de sa "
                              "position") % {"text": block.text[:60], "code": code},
                            block.line, code)
            last = node.code
        return last

    def free_child_code(self, parent: str | None, reserved: str | None) -> str:
        k = len(self.draft.children(parent)) + 1
        while True:
            code = f"{parent}.{k}" if parent else str(k)
            if code not in self.draft and code != reserved:
                return code
            k += 1

    # -- plan metadata ------------------------------------------------------------------
    def finish_plan(self) -> None:
        d = self.draft
        for depth, name in self.level_words.items():
            if depth < len(d.levels) - 1:
                d.levels[depth] = name
        for node in d.nodes:
            if node.level != self.v.action_level:
                node.level = self.level_name(len(node.code.split(".")) - 1)
        _metadata(self.v, d, self.texts)
        d.finish()


def _last_paragraph(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The field's lines after its last blank line (blank entries are kept as "")."""
    out: list[tuple[int, str]] = []
    for num, t in reversed(lines):
        if not t.strip():
            if out:
                break
            continue
        out.append((num, t))
    return list(reversed(out))


# ---------------------------------------------------------------------------------------------
# Writing a sheet's fields
# ---------------------------------------------------------------------------------------------



class _SheetWriter:
    """Turns a sheet's collected lines into the node's fields (as printed)."""

    def __init__(self, v: Vocabulary, draft: PlanDraft, sheet: _Sheet) -> None:
        self.v = v
        self.draft = draft
        self.sheet = sheet
        self.node = sheet.node

    def lines(self, key: str) -> list[str]:
        return [t for _, t in self.sheet.fields.get(key, [])]

    def line(self, key: str) -> int | None:
        return self.sheet.labels.get(key)

    def write(self) -> None:
        title_rest = self.write_title()
        for key in (*_ONE_LINE_FIELDS, *self.v.text_fields):
            text = _join(self.lines(key))
            if key in _ONE_LINE_FIELDS:
                text = " ".join(text.split())
            if key == "progress" and text and not re.search(r"\d", text):
                self.node.set("status", text, self.line(key))  # «lopend», «en cours»
                continue
            self.node.set(key, text, self.line(key))
        description = _join(self.lines("description"))
        line = self.line("description")
        if title_rest:  # the title's second sentence or bullets open the description
            description = _join([t for _, t in title_rest]) + (
                "\n" + description if description else "")
            line = line or title_rest[0][0]
        self.node.set("description", description, line)
        self.write_objective()
        self.write_resources()

    def write_title(self) -> list[tuple[int, str]]:
        """Set the node's title; return the TITRE lines that are not part of it."""
        lines = [(n, t) for n, t in self.sheet.fields.get("title", []) if t.strip()]
        if not lines:
            return []
        title_lines, rest = _split_title(self.v, lines)
        title = " ".join(" ".join(t.split()) for _, t in title_lines)
        title, more = _first_sentence(self.v, title)
        if more:
            rest = [(title_lines[-1][0], more)] + rest
        title = re.sub(r"\s*:\s*$", "", title)
        if title:
            self.node.title = title
        return rest

    def write_objective(self) -> None:
        ancestors = []
        p = self.draft.get(self.node.parent)
        seen = set()
        while p is not None and p.code not in seen:
            seen.add(p.code)
            ancestors.append(p.title)
            p = self.draft.get(p.parent)
        parts = []
        for key, label in self.v.objective_parts:
            text = " ".join(_join([t for t in self.lines(key) if not _URL.match(t)]).split())
            if text and not any(_same_title(text, a) for a in ancestors):
                parts.append(f"{label} : {text}")
        if parts:
            line = min(self.line(k) or 10**9 for k, _label in self.v.objective_parts)
            self.node.set("objective", " ; ".join(parts), line)

    def write_resources(self) -> None:
        lines = self.lines("resources")
        text = _join(lines)
        if not text:
            return
        line = self.line("resources")
        fte, budget, funding = _split_resources(self.v, text)
        self.node.set("fte", fte, line)
        self.node.set("budget_eur", budget, line)
        self.node.set("funding", funding, line)


def _split_title(v: Vocabulary, lines: list[tuple[int, str]]) -> tuple[list, list]:
    """The title is the code line and the lines that continue its sentence; more text below
    it (a second sentence, bullets) belongs to the description."""
    out = [lines[0]]
    for k in range(1, len(lines)):
        prev = out[-1][1].rstrip()
        cur = lines[k][1]
        if _is_bullet(cur):
            return out, lines[k:]
        ends = prev.endswith((".", "!", "?", ":")) and not re.search(r"(?:\b[A-Z]\.){2,}$", prev)
        if ends:
            return out, lines[k:]
        if (_starts_lower(cur) or v.connector_end.search(prev) or re.match(r"\s*[«\"“(]", cur)
                or re.search(r"(?:\b[A-Z]\.){2,}$", prev) or not _starts_upper(cur)):
            out.append(lines[k])
            continue
        return out, lines[k:]
    return out, []


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÉÈÀÂÎÔ«\"])")


def _first_sentence(v: Vocabulary, title: str) -> tuple[str, str]:
    """A title of several sentences keeps its first (abbreviations like C.P.A.S. do not end
    one); the others go to the description."""
    for m in _SENTENCE_END.finditer(title):
        before = title[: m.start()]
        token = before.split()[-1].strip("(") if before.split() else ""
        if (len(token) <= 1 or re.fullmatch(r"(?:\w\.)+\w", token)
                or token.casefold() in v.abbreviations):
            continue  # "C.P.A.S.", "M.", "art."
        if m.start() < 15 or len(title) - m.end() < 15:
            continue
        return title[: m.start() + 1], title[m.end():]
    return title, ""


def _split_resources(v: Vocabulary, text: str) -> tuple[str, str, str]:
    """RESSOURCES → (fte text, budget text, funding text), by their printed sub-labels."""
    fte: list[str] = []
    budget: list[str] = []
    funding: list[str] = []
    marks = sorted([(m.start(), m.end(), "fte") for m in v.sub_fte.finditer(text)]
                   + [(m.start(), m.end(), "budget") for m in v.sub_budget.finditer(text)])
    pieces: list[tuple[str | None, str]] = []
    if not marks:
        pieces = [(None, ln) for ln in text.split("\n")]
    else:
        head = text[: marks[0][0]]
        pieces.extend((None, ln) for ln in head.split("\n"))
        for k, (_s, e, kind) in enumerate(marks):
            stop = marks[k + 1][0] if k + 1 < len(marks) else len(text)
            chunk = text[e:stop]
            first, *more = chunk.split("\n")
            pieces.append((kind, first))
            pieces.extend((None, ln) for ln in more)
    for kind, piece in pieces:
        piece = piece.strip()
        piece = re.sub(r"^[•·▪\-–*]\s*", "", piece)
        piece = v.and_end.sub("", piece).strip()
        if not piece:
            continue
        if kind is None:
            if v.funding_words.search(piece):
                kind = "funding"
            elif v.people_words.search(piece) and not v.money_words.search(piece):
                kind = "fte"
            else:
                kind = "budget"
        {"fte": fte, "budget": budget, "funding": funding}[kind].append(piece)
    return " ; ".join(fte), " ; ".join(budget), " ; ".join(funding)


# ---------------------------------------------------------------------------------------------
# Plan metadata
# ---------------------------------------------------------------------------------------------


def _metadata(v: Vocabulary, draft: PlanDraft, texts: list[str]) -> None:
    head = texts[: min(len(texts), 250)]
    title = _plan_title(v, head)
    if title:
        draft.title = title
    years = _YEARS.search(title) or _first_years(head)
    if years:
        start = int(years.group(1))
        end_raw = years.group(2)
        end = int(end_raw) if len(end_raw) == 4 else (start // 100) * 100 + int(end_raw)
        if start <= end <= start + 20:
            draft.period_start, draft.period_end = start, end
    org = _organization(v, texts)
    if org:
        draft.organization = org
    probe = _fold(" ".join(head))
    for pattern, kind in v.kinds:
        if pattern.search(probe):
            draft.kind = kind
            break


def _plan_title(v: Vocabulary, head: list[str]) -> str:
    for i, t in enumerate(head):
        s = " ".join(t.split())
        if not s or len(s) > 100 or _is_bullet(s):
            continue
        if v.plan_title_words.search(s) and (
                _all_caps(s) or s.istitle() or len(s.split()) <= 8):
            parts = [s]
            j = i + 1
            while j < len(head) and len(parts) < 4:
                nxt = " ".join(head[j].split())
                if not nxt:
                    j += 1
                    continue
                if _is_bullet(nxt) or len(nxt) > 60 or not (
                        _all_caps(nxt) or re.fullmatch(r"[\d\s\-–/]+", nxt)):
                    break
                parts.append(nxt)
                j += 1
            return " ".join(parts)
    return ""


def _first_years(head: list[str]) -> re.Match[str] | None:
    for t in head:
        m = _YEARS.search(t)
        if m:
            return m
    return None


def _organization(v: Vocabulary, texts: list[str]) -> str:
    counts: Counter[str] = Counter()
    for t in texts:
        for m in v.organization.finditer(t):
            body = m.group("body")
            body = v.organization_short.get(body.replace(".", "").upper(), body)
            prep = " ".join(m.group("prep").split())
            place = m.group("place").strip()
            sep = "" if prep.endswith(("'", "’")) else " "
            counts[f"{body} {prep}{sep}{place}"] += 1
    if not counts:
        return ""
    return counts.most_common(1)[0][0]


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def vocabulary_of(case: Any) -> list[Vocabulary]:
    """The compiled ``sheets`` words of a case (:class:`jalon.ingest.cases.Case`): every
    language's default words with the case's own over them."""
    return vocabularies("sheets", Vocabulary, NAME, case)


@cache
def defaults() -> tuple[Vocabulary, ...]:
    """The default words of ``vocabulary.json`` (``sheets``), one Vocabulary per language."""
    return vocabularies("sheets", Vocabulary, NAME)


def _vocabularies(v: Vocabulary | Sequence[Vocabulary] | None) -> Sequence[Vocabulary]:
    if v is None:
        return defaults()
    return (v,) if isinstance(v, Vocabulary) else v


def choose(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> tuple[
        float, Vocabulary]:
    """The language whose words fit ``doc`` best, and its score (the first on a tie)."""
    best: tuple[float, Vocabulary] | None = None
    for one in _vocabularies(v):
        value = _score(doc, one)
        if best is None or value > best[0]:
            best = (value, one)
    assert best is not None
    return best


def score(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> float:
    """How strongly the document shows labelled sheets with hierarchical codes, with the words
    of the language that fits it best (the defaults of ``vocabulary.json``, or ``v``).

    Sheets (``code →`` or TITRE with a code) must be there, and the labels that fill them must
    come back from sheet to sheet; numbered headings are not enough (other layouts have them).
    """
    return choose(doc, v)[0]


def _score(doc: Document, v: Vocabulary) -> float:
    try:
        texts = [ln.text for ln in doc.lines]
        starts = sheet_starts(v, texts)
        if not starts:
            return 0.0
        arrows = sum(1 for t in texts if _ARROW_CODE.match(t))
        kinds: Counter[str] = Counter()
        for i, t in enumerate(texts):
            if t[:1].isspace() or t[:1].isalpha():
                label = match_label(v, texts, i)
                if label is not None:
                    kinds[label.key.split("_")[0]] += 1
        needed = min(2, len(starts))
        repeated = [k for k, n in kinds.items() if n >= needed]
        label_share = min(1.0, len(repeated) / LABELS_CLEAR)
        sheet_share = min(1.0, len(starts) / 3)
        arrow_share = min(1.0, arrows / 3)
        return round(0.6 * label_share + 0.25 * sheet_share * label_share
                     + 0.15 * arrow_share, 3)
    except Exception:  # noqa: BLE001 - score() must never fail
        return 0.0


def parse(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> PlanDraft:
    """Read the document into a PlanDraft (fields as printed; finalize() normalises them), with
    the words of the language that fits it best."""
    try:
        return _Parser(doc, choose(doc, v)[1]).run()
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - never let anything else escape
        raise IngestError(_("fiches illisibles (%(error)s)")
                          % {"error": f"{type(exc).__name__}: {exc}"}, file=doc.name) from None
