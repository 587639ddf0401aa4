"""Hooks of the case "prose": a policy note (note de politique générale, note d'orientation).

* **Chapters**, one per department or theme: ``1. INTRODUCTION``, ``2. DEPARTEMENT DE …`` (a
  number whose sequence runs through the whole document, the title in capitals) or
  ``Chapitre 3 – …``.
* **Sections** numbered in Roman numerals ``I.``, ``II.`` … (``III.a.`` for an inserted one);
  the numbering restarts at ``I`` in every chapter.
* **Sub-sections**: headed paragraphs, numbered (``1.``, ``1.1.``, ``a)``; restarting under
  every parent) or unnumbered: a short line without final punctuation standing alone before a
  paragraph or a list.  Unnumbered headings hang under the nearest *numbered* heading above.
* **Bullets and paragraphs** are the ``description`` of the heading above; figures in them
  become indicators (:mod:`jalon.ingest.figures`) of the nearest numbered node.
* A **table of contents** may repeat the headings: entries with dot leaders or page numbers, and
  body-less copies of a heading that occurs again later, are dropped.

The engine hands every line to :func:`line`, which finds the headings as it goes (a heading may
look at the lines around it); :func:`finish` then decides, with the whole list, which ones are
the table of contents and which ``N.`` are chapters, builds the tree and fills the bodies.
Codes are qualified by the parent because numbering restarts: chapter 2, section II,
sub-section 3 → ``2.II.3`` (``code_as_printed`` ``3``).  Page footers and footnotes are masked
by :mod:`jalon.ingest.pagetext`, which also rejoins words the extraction split (``no mbre``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jalon.ingest.document import Document, Line
from jalon.ingest.draft import NodeDraft, PlanDraft
from jalon.ingest.engine import Engine
from jalon.ingest.figures import Figures, description, month_tables, units
from jalon.ingest.i18n import _
from jalon.ingest.pagetext import CONNECTORS, PageLines, last_word, repair, vocabulary

LEVELS = ["Chapitre", "Section", "Sous-section"]
_YEAR = r"(?:19|20)\d{2}"
CHAPTER, SECTION, SUB = LEVELS

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
_TERMINAL = ".!?:;»)…"


def _roman(text: str) -> int | None:
    if not text or not _ROMAN_OK.match(text):
        return None
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return total



def _starts_heading(text: str) -> bool:
    return bool(_CHAPITRE.match(text) or _SECTION_WORD.match(text) or _ROMAN_HEAD.match(text)
                or _NUMBER_HEAD.match(text) or _LETTER_HEAD.match(text))



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
    return last_word(t) not in CONNECTORS


def _closes(text: str, bullet: bool) -> bool:
    """Does this line end a sentence or an item (so that a heading may follow)?"""
    t = text.rstrip()
    if not t:
        return True
    if t[-1] in _TERMINAL:
        return True
    return bullet and t[-1] != "," and last_word(t) not in CONNECTORS


# --------------------------------------------------------------------------------------------
# The document's lines, without page noise


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


def _heading_at(lines: PageLines, i: int, prev_heading_end: int) -> _Heading | None:
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


def _numbered_heading(lines: PageLines, i: int, kind: str, printed: str, first: str, value: int,
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


def _block_ok(lines: PageLines, title: str, end: int) -> bool:
    if not _valid_title(title):
        return False
    after = lines.text(end + 1)
    if after and not lines.bullet(end + 1) and not _starts_heading(after):
        return False
    k = lines.next_content(end)
    if k is None or lines.bullet(k) or _starts_heading(lines.text(k)):
        return True
    return not lines.text(k)[0].islower()


def _plain_heading(lines: PageLines, i: int, prev_heading_end: int) -> _Heading | None:
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


def _scan(lines: PageLines) -> list[_Heading]:
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


def _bodyless(lines: PageLines, h: _Heading, nxt: _Heading | None) -> bool:
    stop = nxt.start if nxt else len(lines)
    return not any(lines.text(j) for j in range(h.end + 1, stop))


def _toc_key(h: _Heading) -> tuple[str, str, str]:
    title = _PAGE_TAIL.sub("", h.title)
    return h.kind, h.printed, " ".join(re.findall(r"\w+", title.lower()))


def _drop_toc(lines: PageLines, heads: list[_Heading]) -> list[_Heading]:
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


def _mark_chapters(heads: list[_Heading], draft: PlanDraft, lines: PageLines) -> None:
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
                draft.warn(_("chapitre %(n)s inattendu (attendu %(expected)s)")
                           % {"n": h.value, "expected": expected}, h.line)
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


def _outline(doc: Document, draft: PlanDraft) -> tuple[PageLines, list[_Heading]]:
    lines = PageLines(doc)
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

    def __init__(self, draft: PlanDraft, lines: PageLines) -> None:
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
            self.draft.warn(_("%(what)s %(n)s inattendu(e) (attendu %(expected)s)")
                            % {"what": what, "n": h.printed, "expected": expected}, self.line(h))
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
        self.check_sequence(None, h, _("chapitre"))
        self.chapter = self.add(h, CHAPTER, None, str(h.value))
        self.section, self.subs, self.letter_parent = None, [], None

    def _section(self, h: _Heading) -> None:
        if self.chapter is None and not self.nodes:
            self.draft.warn(_("section %(n)s avant tout chapitre") % {"n": h.printed},
                            self.line(h))
        self.check_sequence(self.chapter, h, _("section"))
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
            self.draft.warn(_("sous-section %(n)s sans sous-section parente") % {"n": h.printed},
                            self.line(h))
        if parent is None:
            self.draft.warn(_("sous-section %(n)s hors de tout chapitre") % {"n": h.printed},
                            self.line(h))
        self.check_sequence(parent, h, _("sous-section"))
        node = self.add(h, SUB, parent, str(h.value))
        self.subs = self.subs[:h.depth - 1] + [node]
        self.letter_parent = node

    def _letter(self, h: _Heading) -> None:
        parent = self.letter_parent or self.section or self.chapter
        self.check_sequence(parent, h, _("sous-section"))
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
                draft.warn(_("code %(old)s déjà utilisé, renommé %(new)s")
                           % {"old": repr(base), "new": repr(code)}, node.head.line,
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


_TITLE_WORDS = re.compile(r"(?i)\b(note|plan|programme|rapport|budget|politique|contrat|"
                          r"orientation)\b")
_ORG_WORDS = re.compile(r"(?i)\b(cpas|ocmw|ville|commune|province|centre|office|caisse|"
                        r"service|région|administration|ministère|agence|institut|asbl)\b")
_ORG_IN_TEXT = re.compile(
    r"\b(?:CPAS|OCMW)\s+(?:de\s+la\s+(?:Ville|Commune)\s+de\s+|de\s+|d['’]|du\s+)"
    r"[A-ZÀ-Ý][\w\-]+(?:[\s\-]+[A-ZÀ-Ý][\w\-]+)?"
)


def _metadata(lines: PageLines, draft: PlanDraft) -> None:
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
# The hooks
# --------------------------------------------------------------------------------------------


def score(doc: Document, case) -> float:
    """Roman sections restarting at ``I`` under numbered chapters, in running prose."""
    lines, heads = _outline(doc, PlanDraft())
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


def line(eng: Engine, ln: Line, text: str) -> bool:
    """Headings found as the engine goes (a heading may look at the lines around it)."""
    st = eng.state
    if "lines" not in st:
        st.update(lines=PageLines(eng.doc, _starts_heading), heads=[], prev_end=-1, at=0)
    lines, i = st["lines"], st["at"]
    st["at"] += 1
    if i > st["prev_end"]:
        h = _heading_at(lines, i, st["prev_end"])
        if h:
            h.line = lines.numbers[h.start]
            st["heads"].append(h)
            st["prev_end"] = h.end
    return True


def finish(eng: Engine) -> None:
    """With every heading known: the table of contents dropped, the chapters marked, the tree
    built and the bodies (description, indicators, tags) filled."""
    st, draft = eng.state, eng.draft
    if "lines" not in st:
        st.update(lines=PageLines(eng.doc, _starts_heading), heads=[])
    lines = st["lines"]
    heads = _drop_toc(lines, st["heads"])
    _mark_chapters(heads, draft, lines)
    draft.kind, draft.levels = "policy_note", list(LEVELS)
    _metadata(lines, draft)
    builder = _TreeBuilder(draft, lines)
    for h in heads:
        builder.feed(h)
    nodes = builder.nodes
    _assign_codes(nodes, draft)
    vocab = vocabulary(lines)
    for node in nodes:
        _emit(draft, node, vocab)
    for k, node in enumerate(nodes):
        stop = nodes[k + 1].head.start if k + 1 < len(nodes) else len(lines)
        _fill(draft, lines, node, node.head.end + 1, stop)
    if not any(n.level == CHAPTER for n in nodes):
        draft.warn(_("aucun chapitre numéroté reconnu"))


def _emit(draft: PlanDraft, node: _Node, vocab: Counter[str]) -> None:
    h = node.head
    title = repair(" ".join(h.title.split()), vocab) or h.printed
    printed = h.printed if node.numbered else None
    parent = node.parent.code if node.parent else None
    nd = draft.add(title, code=node.code, parent=parent, line=h.line, level=node.level,
                   printed=printed)
    nd.derived_code = not node.numbered
    node.draft_node = nd


def _fill(draft: PlanDraft, lines: PageLines, node: _Node, start: int, stop: int) -> None:
    """Description, indicators and tags from the text between this heading and the next."""
    nd = node.draft_node
    if nd is None:
        return
    body = units(lines, start, stop)
    if body:
        nd.set("description", description(body), body[0].line)
    owner = _measure_owner(node).draft_node or nd
    figures = Figures(draft, owner, body)
    figures.labelled()
    figures.evolutions()
    for name, target, unit, period, line in month_tables(lines, start, stop):
        figures.add(name, target, line, unit=unit or None, period=period)
    tags = figures.tags()
    if tags:
        values = list(dict.fromkeys(t for t, _ in tags))
        nd.set("tags", list(dict.fromkeys(nd.fields.get("tags", []) + values)), tags[0][1])
