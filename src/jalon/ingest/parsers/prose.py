"""Parser for the "policy note in prose" layout (note de politique générale, note d'orientation).

Features of the layout
----------------------
* **Chapters**, one per department or theme: ``1. INTRODUCTION``, ``2. DEPARTEMENT DE …`` (a
  number whose sequence runs through the whole document, the title in capitals) or
  ``Chapitre 3 – …``.
* **Sections** numbered in Roman numerals ``I.``, ``II.`` … ``X.`` (``III.a.`` for an inserted
  one); the numbering restarts at ``I`` in every chapter.
* **Sub-sections**: headed paragraphs.  Either numbered (``1.``, ``1.1.``, ``a)``; the numbering
  restarts under every parent) or unnumbered: a short line without final punctuation standing
  alone before a paragraph or a list (``Activité``, ``Travaux et infrastructure``).  Unnumbered
  headings hang under the nearest *numbered* heading above them.
* **Bullets and paragraphs** are not nodes: they make the ``description`` of the heading above.
* **Figures in the text** become indicators where the text states a measurable quantity clearly:
  labelled values (``Nombre de lits disponibles : 148``, ``Taux occupation budgété : 91,89%``),
  rows of monthly tables (``déc-21 14669 87295 1,75% 2,13%``), counts that evolve between two
  dates (``le nombre de bénéficiaires … est passé de 26.268 à 27.160`` with ``Entre 2019 et
  2020``) and rates (``Taux d'occupation de 100% aux centres …``).  An indicator goes to the
  nearest numbered node (the care home, not its ``Activité`` rubric).
* **References to the body's own strategic plan** (``projet 29 du Plan stratégique``, ``OS 5``)
  → field ``tags`` (``PS:projet 29``, ``PS:OS 5``).
* A **table of contents** may repeat the headings: entries with dot leaders or page numbers, and
  body-less copies of a heading that occurs again later, are dropped (the body occurrence wins).

Codes are qualified by the parent because numbering restarts: chapter 2, section II,
sub-section 3 → ``2.II.3`` (``printed="3"``); unnumbered sub-sections get derived codes
(``derived_code``).  PDF damage handled: repeated page footers and footnote blocks are skipped,
words split by a stray space inside headings are rejoined against the document's own vocabulary
(``no mbre`` → ``nombre``), footnote calls glued to figures are cut (``29.9531`` → ``29.953``,
with a warning).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jalon.ingest.document import Document
from jalon.ingest.draft import NodeDraft, PlanDraft
from jalon.ingest.errors import IngestError

NAME = "prose"
LEVELS = ["Chapitre", "Section", "Sous-section"]
CHAPTER, SECTION, SUB = LEVELS

# --------------------------------------------------------------------------------------------
# Line shapes
# --------------------------------------------------------------------------------------------

_BULLET = re.compile(
    r"^\s*(?:[\ufffd\uf0b7\uf0a7\uf0d8\uf076\u2022\u25aa\u25cf\u25a0\u25ba\u25e6\u2023\u2043"
    r"\u00b7\u27a2\u2713\u2714]\s*|[-–—*o]\s+)"
)
_CHAPITRE = re.compile(r"^(?:chapitre|chap\.)\s+(\d{1,2}|[IVX]{1,6})\b\s*[.:)\-–—]?\s*(.*)$",
                       re.IGNORECASE)
_SECTION_WORD = re.compile(r"^section\s+([IVX]{1,6}|\d{1,2})\b\s*[.:)\-–—]?\s*(.*)$",
                           re.IGNORECASE)
_ROMAN_HEAD = re.compile(r"^([IVX]{1,6})(?:\.([a-z]))?[.)]\s+(\S.*)$")
_NUMBER_HEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$|^(\d{1,2})[.)]\s+(\S.*)$")
_LETTER_HEAD = re.compile(r"^([a-h])[.)]\s+(\S.*)$")
_ROMAN_OK = re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})$")
_TOC_TAIL = re.compile(r"\s*(?:\.{3,}|…{2,}|_{3,}|\s{3,})\s*\d{1,3}\s*$")
_PAGE_TAIL = re.compile(r"\s+\d{1,3}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-–]?\s*\d{1,3}\s*(?:(?:/|sur)\s*\d{1,3})?\s*[-–]?\s*$",
                          re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\d{1,3}\s+\S")
_TERMINAL = ".!?:;»)…"
# words a heading cannot end with: the title goes on, it is a sentence
_CONNECTORS = {
    "de", "des", "du", "d", "la", "le", "les", "l", "et", "ou", "à", "au", "aux", "en", "pour",
    "par", "sur", "dans", "avec", "un", "une", "que", "qui", "dont", "vers", "entre", "sans",
    "sous", "chez", "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces", "notre", "nos",
}
_HEADING_STYLE = ("heading", "titre", "title")


def _roman(text: str) -> int | None:
    if not text or not _ROMAN_OK.match(text):
        return None
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return total


def _is_bullet(raw: str) -> bool:
    return bool(_BULLET.match(raw))


def _starts_heading(text: str) -> bool:
    return bool(_CHAPITRE.match(text) or _SECTION_WORD.match(text) or _ROMAN_HEAD.match(text)
                or _NUMBER_HEAD.match(text) or _LETTER_HEAD.match(text))


def _last_word(text: str) -> str:
    words = re.findall(r"[\w’']+", text.lower())
    return words[-1].strip("’'") if words else ""


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _valid_title(title: str) -> bool:
    t = title.strip()
    if not t or len(t) > 160 or len(t.split()) > 25:
        return False
    if not (t[0].isupper() or t[0].isdigit() or t[0] in "«\"“'‘("):
        return False
    if t[-1] in ".;,:!?" or t.endswith("-"):
        return False
    return _last_word(t) not in _CONNECTORS


def _closes(text: str, bullet: bool) -> bool:
    """Does this line end a sentence or an item (so that a heading may follow)?"""
    t = text.rstrip()
    if not t:
        return True
    if t[-1] in _TERMINAL:
        return True
    return bullet and t[-1] != "," and _last_word(t) not in _CONNECTORS


# --------------------------------------------------------------------------------------------
# The document's lines, without page noise
# --------------------------------------------------------------------------------------------


def _footer_key(raw: str) -> str | None:
    s = raw.strip()
    if len(s) < 15 or ":" in s or _is_bullet(raw) or _starts_heading(s):
        return None
    if not re.search(r"\d", s) or len(s.split()) < 3:
        return None
    return re.sub(r"\d+", "#", s)


def _footnote_block(raw: list[str], i: int) -> int:
    """If line ``i`` is the rule above a footnote block, return the index after the block."""
    s = raw[i]
    if not (len(s) >= 20 and not s.strip()) and not re.fullmatch(r"\s*_{10,}\s*", s):
        return i
    j = i + 1
    while j < len(raw) and not raw[j].strip():
        j += 1
    if j >= len(raw) or not _FOOTNOTE.match(raw[j].strip()):
        return i
    k = j + 1
    while k < len(raw) and k - j < 25:
        line = raw[k]
        # the next page starts with a line indented by the extraction
        if line.strip() and line[:1] == " " and not _FOOTNOTE.match(line.strip()):
            break
        k += 1
    return k


class _Lines:
    """The document's lines with page footers, page numbers and footnotes masked."""

    def __init__(self, doc: Document) -> None:
        self.raw = [(ln.text or "").replace("\t", " ") for ln in doc.lines]
        self.numbers = [ln.number for ln in doc.lines]
        self.styles = [(ln.style or "").lower() for ln in doc.lines]
        self.footer = ""
        self.skip = self._noise()

    def __len__(self) -> int:
        return len(self.raw)

    def _noise(self) -> set[int]:
        skip: set[int] = set()
        variants: dict[str, set[str]] = {}
        keys: Counter[str] = Counter()
        for s in self.raw:
            key = _footer_key(s)
            if key:
                keys[key] += 1
                variants.setdefault(key, set()).add(s.strip())
        # a page footer repeats with its page number changing (or, unchanged, many times)
        footers = {k for k, n in keys.items()
                   if len(k) <= 120 and (len(variants[k]) >= 2 or n >= 3)}
        for i, s in enumerate(self.raw):
            key = _footer_key(s)
            if key in footers:
                skip.add(i)
                self.footer = self.footer or s.strip()
            elif s.strip() and _PAGE_NUMBER.match(s):
                skip.add(i)
        i = 0
        while i < len(self.raw):
            end = _footnote_block(self.raw, i)
            if end > i:
                skip.update(range(i, end))
                i = end
            else:
                i += 1
        return skip

    def text(self, i: int) -> str:
        if i < 0 or i >= len(self.raw) or i in self.skip:
            return ""
        return self.raw[i].strip()

    def bullet(self, i: int) -> bool:
        return bool(self.text(i)) and _is_bullet(self.raw[i])

    def next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.raw)):
            if self.text(j):
                return j
        return None

    def prev_content(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if self.text(j):
                return j
        return None

    def styled(self, i: int) -> bool:
        return self.styles[i].startswith(_HEADING_STYLE)


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------


@dataclass
class _Heading:
    kind: str  # chapter | section | number | letter | plain
    printed: str  # the code as printed: "2", "II", "III.a", "1.1", "a", ""
    title: str
    start: int  # index of the first line
    end: int  # index of the last line of the heading
    value: int = 0  # value of the last number component
    depth: int = 1  # components of a dotted number
    upper: bool = False
    toc: bool = False
    line: int = 0  # 1-based document line number of ``start``


def _match_numbered(text: str) -> tuple[str, str, str, int, int] | None:
    """(kind, printed, title, value, depth) when the line starts with a heading number."""
    m = _CHAPITRE.match(text)
    if m:
        value = int(m.group(1)) if m.group(1).isdigit() else _roman(m.group(1).upper())
        return ("chapter", m.group(1), m.group(2), value or 0, 1) if value else None
    m = _SECTION_WORD.match(text)
    if m:
        value = int(m.group(1)) if m.group(1).isdigit() else _roman(m.group(1).upper())
        return ("section", m.group(1), m.group(2), value or 0, 1) if value else None
    m = _ROMAN_HEAD.match(text)
    if m:
        value = _roman(m.group(1))
        if not value:
            return None
        printed = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        return "section", printed, m.group(3), value, 1
    m = _NUMBER_HEAD.match(text)
    if m:
        printed, title = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        parts = printed.split(".")
        return "number", printed, title, int(parts[-1]), len(parts)
    m = _LETTER_HEAD.match(text)
    if m:
        return "letter", m.group(1), m.group(2), ord(m.group(1)) - 96, 1
    return None


def _heading_at(lines: _Lines, i: int, prev_heading_end: int) -> _Heading | None:
    text = lines.text(i)
    if not text or lines.bullet(i):
        return None
    found = _match_numbered(text)
    if found:
        return _numbered_heading(lines, i, *found)
    return _plain_heading(lines, i, prev_heading_end)


def _strip_toc(title: str) -> tuple[str, bool]:
    m = _TOC_TAIL.search(title)
    if m and m.start() > 0:
        return title[:m.start()].rstrip(" ."), True
    return title, False


def _numbered_heading(lines: _Lines, i: int, kind: str, printed: str, first: str, value: int,
                      depth: int) -> _Heading | None:
    first = first.strip()
    if kind == "chapter" and not first:  # "Chapitre 2" with the title on the next line
        j = lines.next_content(i)
        if j is not None and j - i <= 3 and not _starts_heading(lines.text(j)):
            return _Heading(kind, printed, lines.text(j), i, j, value, depth)
    first, toc = _strip_toc(first)
    if lines.styled(i) and first:
        return _Heading(kind, printed, first, i, i, value, depth, _is_upper(first), toc)
    title, end = first, i
    j = i + 1
    while j < len(lines) and len(title) < 160 and title[-1:] not in ".;:" and not toc:
        t = lines.text(j)
        if not t or lines.bullet(j) or _starts_heading(t) or len(t) > 90:
            break
        title, end = f"{title} {t}", j
        j += 1
    if not _block_ok(lines, title, end):
        # a heading followed directly by its paragraph, without a blank line
        title, end = first, i
        nxt = lines.text(i + 1)
        if not (_valid_title(title) and len(title) <= 80 and nxt[:1].isupper()
                and len(nxt) >= 40):
            return None
    return _Heading(kind, printed, title, i, end, value, depth, _is_upper(title), toc)


def _block_ok(lines: _Lines, title: str, end: int) -> bool:
    if not _valid_title(title):
        return False
    after = lines.text(end + 1)
    if after and not lines.bullet(end + 1) and not _starts_heading(after):
        return False
    k = lines.next_content(end)
    if k is None or lines.bullet(k) or _starts_heading(lines.text(k)):
        return True
    return not lines.text(k)[0].islower()


def _plain_heading(lines: _Lines, i: int, prev_heading_end: int) -> _Heading | None:
    text = lines.text(i)
    if lines.styled(i):
        return _Heading("plain", "", text, i, i, upper=_is_upper(text))
    words = text.split()
    if len(text) > 90 or len(words) > 12 or (len(words) == 1 and len(text) < 4):
        return None
    if not (text[0].isalpha() and text[0].isupper()) and text[0] != "«":
        return None
    if not _valid_title(text) or "%" in text or ":" in text:
        return None
    numeric = [w for w in words if re.fullmatch(r"[\d.,/+\-–]+", w)]
    if len(numeric) >= 2 or re.fullmatch(r"[\d.,]+", words[-1]):
        return None
    # stands alone: a blank line after, and before it either a blank line or a page break
    if lines.text(i + 1):
        return None
    if lines.text(i - 1) and lines.raw[i][:1] != " ":
        return None
    p = lines.prev_content(i)
    if p is not None and p != prev_heading_end and not _closes(lines.text(p), lines.bullet(p)):
        return None
    k = lines.next_content(i)
    if k is None:
        return None
    nxt = lines.text(k)
    if not lines.bullet(k) and not _starts_heading(nxt):
        if not (nxt[0].isupper() or nxt[0] in "«\"“") or len(nxt) < 30:
            return None
    return _Heading("plain", "", text, i, i, upper=_is_upper(text))


def _scan(lines: _Lines) -> list[_Heading]:
    found: list[_Heading] = []
    i, prev_end = 0, -1
    while i < len(lines):
        h = _heading_at(lines, i, prev_end)
        if h:
            h.line = lines.numbers[h.start]
            found.append(h)
            prev_end = i = h.end
        i += 1
    return found


def _bodyless(lines: _Lines, h: _Heading, nxt: _Heading | None) -> bool:
    stop = nxt.start if nxt else len(lines)
    return not any(lines.text(j) for j in range(h.end + 1, stop))


def _toc_key(h: _Heading) -> tuple[str, str, str]:
    title = _PAGE_TAIL.sub("", h.title)
    return h.kind, h.printed, " ".join(re.findall(r"\w+", title.lower()))


def _drop_toc(lines: _Lines, heads: list[_Heading]) -> list[_Heading]:
    """Drop table-of-contents entries: dot leaders, or a body-less copy of a later heading."""
    heads = [h for h in heads if not h.toc]
    copy = [False] * len(heads)
    later: set[tuple[str, str, str]] = set()
    for n in range(len(heads) - 1, -1, -1):
        key = _toc_key(heads[n])
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        copy[n] = key in later and _bodyless(lines, heads[n], nxt)
        later.add(key)
    # a contents entry sits among other entries: two body-less copies in a row at least
    return [h for n, h in enumerate(heads)
            if not (copy[n] and ((n > 0 and copy[n - 1]) or (n + 1 < len(heads) and copy[n + 1])))]


def _mark_chapters(heads: list[_Heading], draft: PlanDraft, lines: _Lines) -> None:
    """Decide which ``N.`` headings are chapters.

    A chapter number continues the chapter sequence through the document, while sub-section
    numbers restart under each parent.  A candidate that continues the running sub-section
    sequence (``3.`` right after ``2.`` in the same style) is a sub-section.  When the document
    writes its chapters in capitals, a chapter must be in capitals or open a Roman ``I.``.
    """
    if any(h.kind == "chapter" for h in heads):
        return  # chapters are written out ("Chapitre 2"): numbered headings are sub-sections
    singles = [h for h in heads if h.kind == "number" and h.depth == 1]
    capitals = sum(h.upper for h in singles) >= 2
    last: int | None = None
    sub: _Heading | None = None  # the last single-number sub-section of the current parent
    first_chapter: int | None = None
    for n, h in enumerate(heads):
        if h.kind == "section":
            sub = None
        if h.kind != "number" or h.depth != 1:
            continue
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        opens_sections = nxt is not None and nxt.kind == "section" and nxt.value == 1
        expected = 1 if last is None else last + 1
        in_sequence = (last is None and h.value <= 3) or expected <= h.value <= expected + 1
        continues = sub is not None and h.value == sub.value + 1 and h.upper == sub.upper
        strong = h.upper or opens_sections
        if in_sequence and not continues and (strong or (not capitals and h.value == expected)):
            if h.value != expected:
                draft.warn(f"chapitre {h.value} inattendu (attendu {expected})", h.line)
            h.kind, last, sub = "chapter", h.value, None
            first_chapter = n if first_chapter is None else first_chapter
        else:
            sub = h
    if first_chapter is None:
        return
    # chapters before the first one recognised (e.g. an introduction in small letters)
    value = heads[first_chapter].value
    for h in reversed(heads[:first_chapter]):
        if h.kind != "number" or h.depth != 1 or h.value != value - 1:
            break
        h.kind, value = "chapter", h.value


def _outline(doc: Document, draft: PlanDraft) -> tuple[_Lines, list[_Heading]]:
    lines = _Lines(doc)
    heads = _drop_toc(lines, _scan(lines))
    _mark_chapters(heads, draft, lines)
    return lines, heads


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


@dataclass
class _Node:
    head: _Heading
    level: str
    parent: _Node | None
    segment: str = ""  # this node's part of the code ("2", "II", "3"); "" = derived
    code: str = ""
    draft_node: NodeDraft | None = None
    children: list[_Node] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        return bool(self.segment)


class _TreeBuilder:
    """Hang headings under their parents, following the numbering of each kind."""

    def __init__(self, draft: PlanDraft, lines: _Lines) -> None:
        self.draft, self.lines = draft, lines
        self.nodes: list[_Node] = []
        self.chapter: _Node | None = None
        self.section: _Node | None = None
        self.subs: list[_Node] = []  # open numbered sub-sections, by depth
        self.letter_parent: _Node | None = None
        self.last_value: dict[tuple[int, str], int] = {}

    def line(self, h: _Heading) -> int:
        return self.lines.numbers[h.start]

    def check_sequence(self, parent: _Node | None, h: _Heading, what: str) -> None:
        key = (id(parent), h.kind)
        expected = self.last_value.get(key, 0) + 1
        if h.kind == "section" and "." in h.printed:  # III.a follows III
            expected -= 1
        if h.value != expected:
            self.draft.warn(f"{what} {h.printed} inattendu(e) (attendu {expected})", self.line(h))
        self.last_value[key] = h.value

    def add(self, h: _Heading, level: str, parent: _Node | None, segment: str) -> _Node:
        node = _Node(h, level, parent, segment)
        if parent:
            parent.children.append(node)
        self.nodes.append(node)
        return node

    def feed(self, h: _Heading) -> None:
        handlers = {"chapter": self._chapter, "section": self._section, "number": self._number,
                    "letter": self._letter, "plain": self._plain}
        handlers[h.kind](h)

    def _chapter(self, h: _Heading) -> None:
        self.check_sequence(None, h, "chapitre")
        self.chapter = self.add(h, CHAPTER, None, str(h.value))
        self.section, self.subs, self.letter_parent = None, [], None

    def _section(self, h: _Heading) -> None:
        if self.chapter is None and not self.nodes:
            self.draft.warn(f"section {h.printed} avant tout chapitre", self.line(h))
        self.check_sequence(self.chapter, h, "section")
        self.section = self.add(h, SECTION, self.chapter, h.printed)
        self.subs, self.letter_parent = [], None

    def _number(self, h: _Heading) -> None:
        base = self.section or self.chapter
        if h.depth == 1:
            parent = base
        elif len(self.subs) >= h.depth - 1:
            parent = self.subs[h.depth - 2]
        else:
            parent = self.subs[-1] if self.subs else base
            self.draft.warn(f"sous-section {h.printed} sans sous-section parente",
                            self.line(h))
        if parent is None:
            self.draft.warn(f"sous-section {h.printed} hors de tout chapitre", self.line(h))
        self.check_sequence(parent, h, "sous-section")
        node = self.add(h, SUB, parent, str(h.value))
        self.subs = self.subs[:h.depth - 1] + [node]
        self.letter_parent = node

    def _letter(self, h: _Heading) -> None:
        parent = self.letter_parent or self.section or self.chapter
        self.check_sequence(parent, h, "sous-section")
        self.add(h, SUB, parent, h.printed)

    def _plain(self, h: _Heading) -> None:
        parent = self.subs[-1] if self.subs else (self.section or self.chapter)
        if parent is not None:  # a plain line before any numbered heading is no node
            self.add(h, SUB, parent, "")


def _assign_codes(nodes: list[_Node], draft: PlanDraft) -> None:
    used: set[str] = set()
    for node in nodes:  # numbered first: derived codes must not take their place
        if node.numbered:
            base = node.segment if node.parent is None else f"{node.parent.code}.{node.segment}"
            code, k = base, 2
            while code in used:
                code, k = f"{base}-{k}", k + 1
            if code != base:
                draft.warn(f"code {base!r} déjà utilisé, renommé {code!r}", node.head.line,
                           code)
            node.code = code
            used.add(code)
        elif node.parent is not None:
            node.code = ""  # filled below, once every numbered code is known
    for node in nodes:
        if not node.numbered and node.parent is not None:
            k = node.parent.children.index(node) + 1
            while f"{node.parent.code}.{k}" in used:
                k += 1
            node.code = f"{node.parent.code}.{k}"
            used.add(node.code)


def _measure_owner(node: _Node) -> _Node:
    """Figures of an unnumbered rubric (``Activité``) belong to the numbered node above it."""
    while not node.numbered and node.parent is not None:
        node = node.parent
    return node


# --------------------------------------------------------------------------------------------
# Titles: words split by the PDF extraction
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _vocabulary(lines: _Lines) -> Counter[str]:
    vocab: Counter[str] = Counter()
    for s in lines.raw:
        vocab.update(w.lower() for w in _WORD.findall(s))
    return vocab


def _repair(title: str, vocab: Counter[str]) -> str:
    """Rejoin ``no mbre`` → ``nombre`` when the whole word occurs in the document and one of
    the pieces hardly does."""
    words = title.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 < len(words):
            nxt = words[i + 1]
            tail = re.search(r"[^\W\d_]+$", w)
            head = re.match(r"[^\W\d_]+", nxt)
            if tail and head and nxt[0].islower():
                a, b = tail.group().lower(), head.group().lower()
                if vocab[a + b] >= 1 and min(vocab[a], vocab[b]) <= 2 and a + b not in (a, b):
                    words[i + 1] = w + nxt
                    i += 1
                    continue
        out.append(w)
        i += 1
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Bodies: paragraphs and bullets
# --------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    bullet: bool
    text: str
    line: int  # document line number of its first line
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, line)

    def extend(self, text: str, line: int) -> None:
        self.breaks.append((len(self.text) + 1, line))
        self.text += " " + text


def _units(lines: _Lines, start: int, stop: int) -> list[_Unit]:
    """Paragraphs and bullet items between two headings (wrapped lines joined)."""
    units: list[_Unit] = []
    blank_before = True
    for i in range(start, stop):
        t = lines.text(i)
        if not t:
            blank_before = True
            continue
        m = _BULLET.match(lines.raw[i])
        if m:
            units.append(_Unit(True, lines.raw[i][m.end():].strip(), lines.numbers[i]))
        elif units and (not blank_before or t[0].islower()):
            units[-1].extend(t, lines.numbers[i])
        else:
            units.append(_Unit(False, t, lines.numbers[i]))
        blank_before = False
    return [u for u in units if u.text]


def _description(units: list[_Unit]) -> str:
    return "\n".join(("- " if u.bullet else "") + u.text for u in units)


# --------------------------------------------------------------------------------------------
# Figures → indicators
# --------------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{3,4})+(?:,\d+)?|\d+(?:,\d+)?"
_YEAR = r"(?:19|20)\d{2}"
_MONTHS = (r"janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|"
           r"sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?")
_QUANTITY_WORDS = {
    "nombre", "nb", "taux", "part", "total", "capacité", "moyenne", "montant", "budget",
    "effectif", "effectifs", "pourcentage", "proportion", "durée", "délai", "volume", "coût",
    "surface", "superficie",
}
_LABELLED = re.compile(
    r"^(?P<label>[^\d:]{3,80}?)\s*:\s*(?P<value>\d[\d\s.,\u202f\u00a0]*?)\s*"
    r"(?P<unit>%|€|[^\W\d_]{2,20})?\s*(?P<note>\([^)]*\))?\s*[.;]?\s*$"
)
_RATE = re.compile(
    r"^(?P<label>(?:Taux|Part|Pourcentage|Proportion)\b[^:%\d]{0,60}?)\s+(?:de|d['’]|:)\s*"
    rf"(?P<value>(?:{_NUM})\s*%)\s*(?P<rest>.*)$"
)
_MONTH_ROW = re.compile(
    rf"^(?P<period>(?:{_MONTHS})\.?(?:[-/ ]?\d{{2,4}}))\s+"
    r"(?P<values>[-+]?\d[\d.,]*\s*%?(?:\s+[-+]?\d[\d.,]*\s*%?)*)\s*$",
    re.IGNORECASE,
)
_EVOLUTION = re.compile(
    r"\b(?P<art>[Ll]e|[Cc]e)\s+nombre(?P<adj>\s+(?:moyen|total|mensuel(?:\s+moyen)?))?"
    r"(?:\s+(?:de\s+|d['’]\s*)(?P<subj>[^,;:()]{2,80}?))?"
    r"\s+(?:(?:est|a|étant|ainsi|avait|sont)\s+){0,3}(?:passé|passe|passait|passant)\s+"
    rf"(?:(?:de\s+)?(?P<n1>{_NUM})(?:\s+en\s+(?P<y1>{_YEAR}))?\s+)?à\s+(?P<n2>{_NUM})"
    rf"(?:\s+(?!en\b)(?P<unit>[^\W\d_]+))?(?:\s+en\s+(?P<y2>{_YEAR}))?"
)
_THEN = re.compile(rf"^[^.]{{0,60}}?\bpuis\s+à\s+(?P<n>{_NUM})\s+en\s+(?P<y>{_YEAR})")
_SUBJECT = re.compile(r"\bnombre(?:\s+moyen|\s+total)?\s+(?:de\s+|d['’]\s*)"
                      r"(?P<subj>[^\W\d_][^,;:()]{1,60}?)\s+(?=\w+(?:é|ait|e)\b)")
_BETWEEN = re.compile(
    rf"\b(?:[Ee]ntre|[Dd]e)\s+(?P<a>(?:(?:{_MONTHS})\s+)?{_YEAR})\s+(?:et|à)\s+"
    rf"(?P<b>(?:(?:{_MONTHS})\s+)?{_YEAR})",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(rf"\b[Ee]n\s+(?P<y>{_YEAR})\b")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÀ-Ý])")


def _unglue(number: str) -> str:
    """``29.9531`` (a footnote call glued to ``29.953``) → ``29.953``."""
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*\.\d{3})\d{1,2}", number)
    return m.group(1) if m else number


class _Figures:
    """Collect indicators and tags from the body of one node."""

    def __init__(self, draft: PlanDraft, owner: NodeDraft, units: list[_Unit]) -> None:
        self.draft, self.owner, self.units = draft, owner, units
        self.seen: set[tuple[str, str]] = {
            (i.get("name", ""), i.get("target") or "") for i in owner.fields.get("indicators", [])
        }

    def number(self, printed: str, line: int) -> str:
        fixed = _unglue(printed)
        if fixed != printed:
            self.draft.warn(f"nombre {printed!r} lu {fixed!r} (appel de note collé ?)", line,
                            self.owner.code)
        return fixed

    def add(self, name: str, target: str, line: int, **extra: str | None) -> None:
        name = " ".join(name.split())
        target = " ".join(target.split())
        if (name, target) in self.seen:
            return
        self.seen.add((name, target))
        self.owner.add_indicator(name, target, line, **extra)

    # -- labelled values and rates, one bullet or line each --------------------------------
    def labelled(self) -> None:
        for u in self.units:
            if len(u.text) > 160:
                continue
            m = _LABELLED.match(u.text)
            if m and self._labelled(m, u.line):
                continue
            m = _RATE.match(u.text)
            if m:
                rest = m.group("rest").strip(" .;")
                self.add(m.group("label"), self.number(m.group("value"), u.line), u.line,
                         unit="%", scope=rest or None)

    def _labelled(self, m: re.Match[str], line: int) -> bool:
        label = m.group("label").strip()
        words = label.split()
        unit = m.group("unit")
        if not words or len(words) > 8 or not words[0][0].isupper():
            return False
        quantity = words[0].lower() in _QUANTITY_WORDS
        if not quantity and not unit:
            return False
        if unit and unit != "%" and unit != "€" and not quantity:
            return False
        value = m.group("value").strip()
        printed = m.string[m.start("value"):m.end("unit") if unit else m.end("value")].strip()
        fixed = self.number(value, line)
        printed = printed.replace(value, fixed, 1)
        note = (m.group("note") or "").strip("() ")
        self.add(label, printed, line, unit=unit or _unit_from_label(label), note=note or None)
        return True

    # -- evolutions of a count in the prose -------------------------------------------------
    def evolutions(self) -> None:
        text, starts = _joined(self.units)
        subject, seen_to = "", 0
        for m in _EVOLUTION.finditer(text):
            line = _line_at(starts, m.start())
            sentence = text[_sentence_start(text, m.start()):m.start()]
            for s in _SUBJECT.finditer(text, seen_to, m.start()):
                subject = s.group("subj")  # "ce nombre" refers to the last count named
            seen_to = m.end()
            subj = (m.group("subj") or "").strip() or subject
            if not subj:
                continue
            subject = subj
            adj = (m.group("adj") or "").strip()
            name = f"Nombre {adj + ' ' if adj else ''}de {subj}"
            unit = m.group("unit") if m.group("unit") in ("individus", "personnes") else None
            unit = unit or subj.split()[0]
            periods = self._periods(sentence, m)
            values = [(periods[0], m.group("n1")), (periods[1], m.group("n2"))]
            then = _THEN.match(text[m.end():])
            if then:
                values.append((then.group("y"), then.group("n")))
            for period, value in values:
                if period and value:
                    self.add(f"{name} – {period}", self.number(value, line), line, unit=unit,
                             period=period)

    @staticmethod
    def _periods(before: str, m: re.Match[str]) -> tuple[str | None, str | None]:
        y1, y2 = m.group("y1"), m.group("y2")
        if y1 or y2:
            return y1, y2
        between = list(_BETWEEN.finditer(before))
        if between:
            return between[-1].group("a"), between[-1].group("b")
        in_year = list(_IN_YEAR.finditer(before))
        if in_year and not m.group("n1"):
            return None, in_year[-1].group("y")
        return None, None

    # -- references to the strategic plan ---------------------------------------------------
    def tags(self) -> list[tuple[str, int]]:
        text, starts = _joined(self.units)
        found: list[tuple[str, int]] = []
        for m in _PLAN_REF.finditer(text):
            kind = m.group("kind")
            if kind.lower() in ("projet", "action"):
                s, e = _sentence_start(text, m.start()), _sentence_stop(text, m.end())
                if not _PLAN_NAME.search(text[s:e]):
                    continue
                kind = kind.lower()
            found.append((f"PS:{kind} {m.group('num')}", _line_at(starts, m.start())))
        return found


_PLAN_REF = re.compile(r"\b(?P<kind>[Pp]rojet|[Aa]ction|OS|OO)\s*(?:n°\s*)?(?P<num>\d{1,3}"
                       r"(?:\.\d{1,3})*)\b(?![.,]\d)")
_PLAN_NAME = re.compile(r"plan\s+stratégique|programme\s+stratégique|\bPST\b", re.IGNORECASE)


def _unit_from_label(label: str) -> str | None:
    m = re.match(r"(?i)nombre\s+(?:de\s+|d['’]\s*)?([^\W\d_]+)", label)
    return m.group(1) if m else None


def _joined(units: list[_Unit]) -> tuple[str, list[tuple[int, int]]]:
    parts, starts, pos = [], [], 0
    for u in units:
        starts.append((pos, u.line))
        starts.extend((pos + offset, line) for offset, line in u.breaks)
        parts.append(u.text)
        pos += len(u.text) + 1
    return " ".join(parts), starts


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1] if starts else 0
    for pos, ln in starts:
        if pos > offset:
            break
        line = ln
    return line


def _sentence_start(text: str, offset: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, offset):
        start = m.end()
    return start


def _sentence_stop(text: str, offset: int) -> int:
    m = _SENTENCE_END.search(text, offset)
    return m.start() + 1 if m else len(text)


def _month_tables(lines: _Lines, start: int, stop: int) -> list[tuple[str, str, str, str, int]]:
    """Rows ``month values…`` of monthly tables → (name, target, unit, period, line)."""
    out: list[tuple[str, str, str, str, int]] = []
    header: tuple[str, list[str]] | None = None
    previous_row = -10
    for i in range(start, stop):
        m = _MONTH_ROW.match(" ".join(lines.text(i).replace("|", " ").split()))
        if not m:
            continue
        if i - previous_row > 3:  # a new table: read its caption and column labels
            header = _table_header(lines, start, i)
        previous_row = i
        values = re.findall(r"[-+]?\d[\d.,]*\s*%?", m.group("values"))
        subject, labels = header or ("", [])
        if len(labels) == len(values) + 1:
            labels = labels[1:]
        if len(labels) != len(values):
            labels = [f"colonne {k + 1}" for k in range(len(values))]
        counts = [k for k, v in enumerate(values) if "%" not in v] or range(len(values))
        for k in counts:
            value = values[k].strip()
            unit = "%" if "%" in value else _subject_unit(subject)
            name = " – ".join(p for p in (subject, labels[k], m.group("period")) if p)
            out.append((name, value, unit or "", m.group("period"), lines.numbers[i]))
    return out


def _table_header(lines: _Lines, start: int, first_row: int) -> tuple[str, list[str]]:
    """The caption and the column labels printed above the first row of a table."""
    found: list[str] = []
    for j in range(first_row - 1, max(start, first_row - 25) - 1, -1):
        t = " ".join(lines.text(j).replace("|", " ").split())
        if not t:
            continue
        if len(t) > 60 or t[-1] in ".:;" or _MONTH_ROW.match(t):
            break
        found.insert(0, t)
    if not found:
        return "", []
    at = next((k for k, t in enumerate(found)
               if re.match(r"(?i)(période|mois|date|année)\b", t)), 1)
    caption = " ".join(found[:at])
    subject = re.split(r"\s%|\s{2,}", caption)[0].strip()
    return subject, _merge_labels(found[at:])


def _merge_labels(fragments: list[str]) -> list[str]:
    """Column labels wrapped over several lines: ``Région de Bruxelles-`` + ``Capitale``."""
    labels: list[str] = []
    glue = False
    for frag in fragments:
        if labels and glue:
            # "Luxem-" + "bourg": a split word; "Bruxelles-" + "Capitale": a compound
            cut = labels[-1].endswith("-") and frag[:1].islower()
            sep = "" if labels[-1].endswith("-") else " "
            labels[-1] = labels[-1][:-1] if cut else labels[-1]
            labels[-1] = f"{labels[-1]}{sep}{frag}"
        else:
            labels.append(frag)
        glue = labels[-1].endswith("-") or _last_word(labels[-1]) in _CONNECTORS
    return labels


def _subject_unit(subject: str) -> str | None:
    m = re.search(r"\b(?:des|de|du|d['’])\s*([^\W\d_]+)\s*$", subject)
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------
# Plan metadata
# --------------------------------------------------------------------------------------------

_TITLE_WORDS = re.compile(r"(?i)\b(note|plan|programme|rapport|budget|politique|contrat|"
                          r"orientation)\b")
_ORG_WORDS = re.compile(r"(?i)\b(cpas|ocmw|ville|commune|province|centre|office|caisse|"
                        r"service|région|administration|ministère|agence|institut|asbl)\b")
_ORG_IN_TEXT = re.compile(
    r"\b(?:CPAS|OCMW)\s+(?:de\s+la\s+(?:Ville|Commune)\s+de\s+|de\s+|d['’]|du\s+)"
    r"[A-ZÀ-Ý][\w\-]+(?:[\s\-]+[A-ZÀ-Ý][\w\-]+)?"
)


def _metadata(lines: _Lines, draft: PlanDraft) -> None:
    title = org = ""
    if lines.footer:
        m = re.match(r"^(.*?\D)\s+\d{1,3}\s+(\D.*)$", lines.footer)
        parts = [m.group(1).strip(), m.group(2).strip()] if m else [lines.footer]
        for part in parts:
            if not title and (_TITLE_WORDS.search(part) or re.search(_YEAR, part)):
                title = part
            elif not org and _ORG_WORDS.search(part):
                org = part
    if not title:
        for i in range(min(len(lines), 60)):
            t = lines.text(i)
            if t and len(t) < 100 and re.search(r"(?i)note\s+(de\s+politique|d['’]orientation)",
                                                t):
                title = t
                break
    if not org:
        counts = Counter(" ".join(m.group().split()) for s in lines.raw
                         for m in _ORG_IN_TEXT.finditer(s))
        org = counts.most_common(1)[0][0] if counts else ""
    years = re.findall(_YEAR, title)
    year = int(years[-1]) if years else None
    draft.title, draft.organization = title, org
    draft.period_start = draft.period_end = year


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def score(doc: Document) -> float:
    """Roman sections restarting at ``I`` under numbered chapters, in running prose."""
    try:
        draft = PlanDraft()
        lines, heads = _outline(doc, draft)
    except Exception:  # noqa: BLE001 - a score never fails
        return 0.0
    chapters = sum(h.kind == "chapter" for h in heads)
    sections = [h for h in heads if h.kind == "section"]
    restarts = sum(h.value == 1 for h in sections)
    content = [lines.text(i) for i in range(len(lines)) if lines.text(i)]
    if not content:
        return 0.0
    prose = sum(len(t) >= 50 and len(t.split()) >= 8 and " | " not in t for t in content)
    prose_share = prose / len(content)
    value = (0.35 * min(1.0, restarts / 2) + 0.2 * min(1.0, len(sections) / 6)
             + 0.2 * min(1.0, chapters / 3) + 0.25 * max(0.0, (prose_share - 0.3) / 0.4))
    if restarts == 0:
        value *= 0.5
    return round(max(0.0, min(1.0, value)), 3)


def parse(doc: Document) -> PlanDraft:
    try:
        return _parse(doc)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - contract: only IngestError leaves a parser
        raise IngestError(f"note en prose illisible ({type(exc).__name__}: {exc})",
                          file=getattr(doc, "name", "")) from exc


def _parse(doc: Document) -> PlanDraft:
    draft = PlanDraft(kind="policy_note", levels=list(LEVELS), source=doc.name, layout=NAME)
    lines, heads = _outline(doc, draft)
    _metadata(lines, draft)
    builder = _TreeBuilder(draft, lines)
    for h in heads:
        builder.feed(h)
    nodes = builder.nodes
    _assign_codes(nodes, draft)
    vocab = _vocabulary(lines)
    for node in nodes:
        _emit(draft, node, vocab)
    for k, node in enumerate(nodes):
        stop = nodes[k + 1].head.start if k + 1 < len(nodes) else len(lines)
        _fill(draft, lines, node, node.head.end + 1, stop)
    if not any(n.level == CHAPTER for n in nodes):
        draft.warn("aucun chapitre numéroté reconnu")
    return draft.finish()


def _emit(draft: PlanDraft, node: _Node, vocab: Counter[str]) -> None:
    h = node.head
    title = _repair(" ".join(h.title.split()), vocab) or h.printed
    printed = h.printed if node.numbered else None
    parent = node.parent.code if node.parent else None
    nd = draft.add(title, code=node.code, parent=parent, line=h.line, level=node.level,
                   printed=printed)
    nd.derived_code = not node.numbered
    node.draft_node = nd


def _fill(draft: PlanDraft, lines: _Lines, node: _Node, start: int, stop: int) -> None:
    """Description, indicators and tags from the text between this heading and the next."""
    nd = node.draft_node
    if nd is None:
        return
    units = _units(lines, start, stop)
    if units:
        nd.set("description", _description(units), units[0].line)
    owner = _measure_owner(node).draft_node or nd
    figures = _Figures(draft, owner, units)
    figures.labelled()
    figures.evolutions()
    for name, target, unit, period, line in _month_tables(lines, start, stop):
        figures.add(name, target, line, unit=unit or None, period=period)
    tags = figures.tags()
    if tags:
        values = list(dict.fromkeys(t for t, _ in tags))
        nd.set("tags", list(dict.fromkeys(nd.fields.get("tags", []) + values)), tags[0][1])
