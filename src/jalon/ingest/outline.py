"""The outline of a running text: its headings, found among paragraphs, and their tree.

A report or a note turned into text (a PDF extraction, a plain-text file) has no heading
styles: a heading is a line that *looks* like one where it stands.  :class:`Outline` finds them
with the numbering schemes a case gives (``[{"kind", "pattern", "rank", …}]``, regexes with
groups ``code``, ``title`` and optionally ``sub``) and with rules true of any such text:

* a **numbered heading wrapped over two or more lines** is joined (``Section I. Organisation
  du travail et`` / ``gestion des équipes``) until a blank line, a bullet or another heading;
* a numbered line is a heading only **when a body follows it** as a body follows a heading: a
  blank line or a bullet list after it, or a paragraph starting with a capital — a numbered
  list item that runs into a sentence is not;
* a **headed paragraph** (an unnumbered heading) is a short line without final punctuation,
  standing alone between blank lines after a sentence that ended, before a paragraph or a list;
* a word heading without title (``Chapitre 2``) takes the next line as its title;
* lines styled as headings (DOCX) need none of that;
* a **table of contents** that repeats the headings without dot leaders (those with leaders
  are dropped by the case's ``"toc": true``) is dropped: body-less copies of a later heading,
  a page number after them or not, standing among other copies.

:func:`build` hangs the headings by rank (a scheme's ``rank``: 0 for the top; a dotted number
nests under the number it extends; a ``leaf`` scheme, ``a)``, holds no heading), qualifies
numbers by their parent's code because they restart under each parent (chapter 2, section II,
number 3 → ``2.II.3``, the printed form kept in ``code_as_printed``), warns about numbers out of
sequence, and derives the codes of unnumbered headings (``2.II.4``).  A case whose JSON has an
``outline`` is read (:func:`read`, called by the engine instead of its line walk) and scored
(:func:`score`) here.  Pure Python; the page noise is masked by
:class:`jalon.ingest.pagetext.PageLines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .draft import NodeDraft, PlanDraft
from .figures import fill_body
from .i18n import _
from .numbering import roman_value
from .pagetext import CONNECTORS, PageLines, last_word, repair, running_metadata, vocabulary

_PAGE_TAIL = re.compile(r"\s+\d{1,3}\s*$")
_TERMINAL = ".!?:;»)…"


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def valid_title(title: str) -> bool:
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
    if not t or t[-1] in _TERMINAL:
        return True
    return bullet and t[-1] != "," and last_word(t) not in CONNECTORS


@dataclass
class Heading:
    kind: str  # the scheme's kind ("chapter", "number" …), "plain" when unnumbered
    rank: int | None  # the scheme's rank; None: unnumbered
    printed: str  # the code as printed: "2", "II", "III.a", "1.1", "a", ""
    title: str
    start: int  # index of the first line
    end: int  # index of the last line of the heading
    value: int = 0  # value of the last number component
    depth: int = 1  # components of a dotted number
    upper: bool = False
    line: int = 0  # 1-based document line number of ``start``
    inserted: bool = False  # III.a: inserted after III
    leaf: bool = False


class Schemes:
    """The numbering schemes of a case: ``[{"kind", "pattern", "rank", "leaf", "letters",
    "title_below"}]`` tried in order; the first whose pattern matches decides."""

    def __init__(self, specs: list[dict[str, Any]]) -> None:
        self.specs = [(re.compile(s["pattern"]), s) for s in specs]
        # all of them as one alternation (group names dropped, a leading flag scoped)
        alternatives = []
        for s in specs:
            flags = re.match(r"^\(\?([aiLmsux]+)\)", s["pattern"])
            body = re.sub(r"\(\?P<\w+>", "(?:", s["pattern"][flags.end() if flags else 0:])
            alternatives.append(f"(?{flags.group(1)}:{body})" if flags else f"(?:{body})")
        self._any = re.compile("|".join(alternatives))

    def starts(self, text: str) -> bool:
        return self._any.match(text) is not None

    def match(self, text: str) -> tuple[dict[str, Any], str, str, int, int, bool] | None:
        """(scheme, printed, title, value, depth, inserted) when the line starts with a number."""
        for pattern, spec in self.specs:
            m = pattern.match(text)
            if not m:
                continue
            code = m.group("code")
            last = code.split(".")[-1]
            if last.isdigit():
                value = int(last)
            elif spec.get("letters"):
                value = ord(last.lower()) - 96
            else:
                value = roman_value(last.upper()) or 0
                if not value:  # not a Roman numeral
                    return None
            sub = m.groupdict().get("sub")
            printed = code + (f".{sub}" if sub else "")
            return spec, printed, m.group("title") or "", value, len(code.split(".")), bool(sub)
        return None


class Outline:
    """Headings found line by line in ``lines`` (:meth:`at`) or all at once (:meth:`scan`)."""

    def __init__(self, lines: PageLines, schemes: Schemes) -> None:
        self.lines, self.schemes = lines, schemes

    def scan(self) -> list[Heading]:
        found: list[Heading] = []
        i, prev_end = 0, -1
        while i < len(self.lines):
            h = self.at(i, prev_end)
            if h:
                found.append(h)
                prev_end = i = h.end
            i += 1
        return found

    def at(self, i: int, prev_heading_end: int) -> Heading | None:
        lines = self.lines
        text = lines.text(i)
        if not text or lines.bullet(i):
            return None
        found = self.schemes.match(text)
        h = self._numbered(i, *found) if found else self._plain(i, prev_heading_end)
        if h:
            h.line = lines.numbers[h.start]
        return h

    def _starts(self, text: str) -> bool:
        return self.schemes.starts(text)

    def _numbered(self, i: int, spec: dict[str, Any], printed: str, first: str, value: int,
                  depth: int, inserted: bool) -> Heading | None:
        lines = self.lines

        def heading(title: str, end: int) -> Heading:
            return Heading(spec["kind"], spec["rank"], printed, title, i, end, value, depth,
                           is_upper(title), inserted=inserted, leaf=bool(spec.get("leaf")))

        first = first.strip()
        if spec.get("title_below") and not first:  # "Chapitre 2", the title on the next line
            j = lines.next_content(i)
            if j is not None and j - i <= 3 and not self._starts(lines.text(j)):
                h = heading(lines.text(j), j)
                h.upper = False
                return h
        if lines.styled(i) and first:
            return heading(first, i)
        title, end = first, i
        j = i + 1
        while j < len(lines) and len(title) < 160 and title[-1:] not in ".;:":
            t = lines.text(j)
            if not t or lines.bullet(j) or self._starts(t) or len(t) > 90:
                break
            title, end = f"{title} {t}", j
            j += 1
        if not self._body_follows(title, end):
            # a heading followed directly by its paragraph, without a blank line
            title, end = first, i
            nxt = lines.text(i + 1)
            if not (valid_title(title) and len(title) <= 80 and nxt[:1].isupper()
                    and len(nxt) >= 40):
                return None
        return heading(title, end)

    def _body_follows(self, title: str, end: int) -> bool:
        lines = self.lines
        if not valid_title(title):
            return False
        after = lines.text(end + 1)
        if after and not lines.bullet(end + 1) and not self._starts(after):
            return False
        k = lines.next_content(end)
        if k is None or lines.bullet(k) or self._starts(lines.text(k)):
            return True
        return not lines.text(k)[0].islower()

    def _plain(self, i: int, prev_heading_end: int) -> Heading | None:
        lines = self.lines
        text = lines.text(i)
        if lines.styled(i):
            return Heading("plain", None, "", text, i, i, upper=is_upper(text))
        words = text.split()
        if len(text) > 90 or len(words) > 12 or (len(words) == 1 and len(text) < 4):
            return None
        if not (text[0].isalpha() and text[0].isupper()) and text[0] != "«":
            return None
        if not valid_title(text) or "%" in text or ":" in text:
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
        if p is not None and p != prev_heading_end and not _closes(lines.text(p),
                                                                   lines.bullet(p)):
            return None
        k = lines.next_content(i)
        if k is None:
            return None
        nxt = lines.text(k)
        if not lines.bullet(k) and not self._starts(nxt):
            if not (nxt[0].isupper() or nxt[0] in "«\"“") or len(nxt) < 30:
                return None
        return Heading("plain", None, "", text, i, i, upper=is_upper(text))


def _bodyless(lines: PageLines, h: Heading, nxt: Heading | None) -> bool:
    stop = nxt.start if nxt else len(lines)
    return not any(lines.text(j) for j in range(h.end + 1, stop))


def _toc_key(h: Heading) -> tuple[str, str, str]:
    title = _PAGE_TAIL.sub("", h.title)
    return h.kind, h.printed, " ".join(re.findall(r"\w+", title.lower()))


def drop_contents(lines: PageLines, heads: list[Heading]) -> list[Heading]:
    """Drop the entries of a table of contents without dot leaders (those with leaders are the
    engine's, ``"toc": true``): body-less copies of a later heading, two or more in a row."""
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


def mark_running(heads: list[Heading], kind: str) -> None:
    """Single numbers of ``kind`` that run in one sequence through the document are top-level
    headings (rank 0), while the same numbers restarting under each parent are not.

    Used when no heading has a top-level scheme of its own (``Chapitre 2``).  A candidate that
    continues the running sequence of its parent (``3.`` right after ``2.`` in the same style)
    stays below; when the document writes two or more of them in capitals, a top-level number
    must be in capitals or open a first rank-1 heading (``I.``); numbers just before the first
    one found that lead up to it (an introduction in small letters) are top-level too.
    """
    if any(h.rank == 0 for h in heads):
        return
    singles = [h for h in heads if h.kind == kind and h.depth == 1]
    capitals = sum(h.upper for h in singles) >= 2
    last: int | None = None
    sub: Heading | None = None  # the last single number below the current parent
    first: int | None = None
    for n, h in enumerate(heads):
        if h.rank == 1:
            sub = None
        if h.kind != kind or h.depth != 1:
            continue
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        opens = nxt is not None and nxt.rank == 1 and nxt.value == 1
        expected = 1 if last is None else last + 1
        in_sequence = (last is None and h.value <= 3) or expected <= h.value <= expected + 1
        continues = sub is not None and h.value == sub.value + 1 and h.upper == sub.upper
        if in_sequence and not continues and (h.upper or opens
                                              or (not capitals and h.value == expected)):
            h.rank, last, sub = 0, h.value, None  # out of sequence: build() warns
            first = n if first is None else first
        else:
            sub = h
    if first is None:
        return
    value = heads[first].value
    for h in reversed(heads[:first]):
        if h.kind != kind or h.depth != 1 or h.value != value - 1:
            break
        h.rank, value = 0, h.value


# --------------------------------------------------------------------------------------------
# The tree


@dataclass
class OutlineNode:
    head: Heading
    level: str
    parent: OutlineNode | None
    segment: str = ""  # this node's part of the code ("2", "II", "3"); "" = derived
    code: str = ""
    draft_node: NodeDraft | None = None
    children: list[OutlineNode] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        return bool(self.segment)

    def numbered_owner(self) -> OutlineNode:
        """The nearest numbered node (an unnumbered rubric's figures belong to it)."""
        node = self
        while not node.numbered and node.parent is not None:
            node = node.parent
        return node


class _Builder:
    def __init__(self, draft: PlanDraft, levels: list[str]) -> None:
        self.draft, self.levels = draft, levels
        self.nodes: list[OutlineNode] = []
        self.open: dict[int, OutlineNode] = {}  # the open heading of each rank
        self.nested: list[OutlineNode] = []  # open dotted numbers of the current rank, by depth
        self.last_value: dict[tuple[int, int | None], int] = {}

    def level(self, rank: int | None) -> str:
        if not self.levels:
            return ""
        return self.levels[-1] if rank is None else self.levels[min(rank, len(self.levels) - 1)]

    def parent_below(self, rank: int) -> OutlineNode | None:
        lower = [r for r in self.open if r < rank]
        return self.open[max(lower)] if lower else None

    def feed(self, h: Heading) -> None:
        if h.rank is None:  # unnumbered: under the deepest open heading
            parent = self.open[max(self.open)] if self.open else None
            if parent is not None:  # a plain line before any numbered heading is no node
                self.add(h, parent, "")
            return
        what = self.level(h.rank).lower()
        parent = self.parent_below(h.rank)
        if h.depth > 1:
            nested = [n for n in self.nested if n.head.rank == h.rank]
            if len(nested) >= h.depth - 1:
                parent = nested[h.depth - 2]
            else:
                parent = nested[-1] if nested else parent
                self.draft.warn(_("%(what)s %(n)s : numéro parent absent")
                                % {"what": what, "n": h.printed}, h.line)
        if parent is None and h.rank > 0 and (h.rank > 1 or not self.nodes):
            self.draft.warn(_("%(what)s %(n)s hors de tout %(top)s")
                            % {"what": what, "n": h.printed, "top": self.level(0).lower()},
                            h.line)
        self.check_sequence(parent, h, what)
        node = self.add(h, parent, str(h.value) if h.rank == 0 or h.printed[:1].isdigit()
                        else h.printed)
        if h.leaf:
            return
        for r in [r for r in self.open if r > h.rank]:
            del self.open[r]
        self.open[h.rank] = node
        nested = [n for n in self.nested if n.head.rank == h.rank]  # other ranks are closed
        self.nested = nested[:h.depth - 1] + [node]

    def check_sequence(self, parent: OutlineNode | None, h: Heading, what: str) -> None:
        key = (id(parent), h.rank)
        expected = self.last_value.get(key, 0) + 1 - (1 if h.inserted else 0)
        if h.value != expected:
            self.draft.warn(_("%(what)s %(n)s inattendu(e) (attendu %(expected)s)")
                            % {"what": what, "n": h.printed, "expected": expected}, h.line)
        self.last_value[key] = h.value

    def add(self, h: Heading, parent: OutlineNode | None, segment: str) -> OutlineNode:
        node = OutlineNode(h, self.level(h.rank), parent, segment)
        if parent:
            parent.children.append(node)
        self.nodes.append(node)
        return node


def build(draft: PlanDraft, lines: PageLines, heads: list[Heading],
          levels: list[str]) -> list[OutlineNode]:
    """The headings as nodes of ``draft`` (codes qualified by the parent's, titles whose words
    the extraction split rejoined), in reading order."""
    builder = _Builder(draft, levels)
    for h in heads:
        builder.feed(h)
    nodes = builder.nodes
    _assign_codes(nodes, draft)
    vocab = vocabulary(lines)
    for node in nodes:
        h = node.head
        title = repair(" ".join(h.title.split()), vocab) or h.printed
        parent = node.parent.code if node.parent else None
        nd = draft.add(title, code=node.code, parent=parent, line=h.line, level=node.level,
                       printed=h.printed if node.numbered else None)
        nd.derived_code = not node.numbered
        node.draft_node = nd
    return nodes


def _assign_codes(nodes: list[OutlineNode], draft: PlanDraft) -> None:
    used: set[str] = set()
    for node in nodes:  # numbered first: derived codes must not take their place
        if node.numbered:
            base = node.segment if node.parent is None else f"{node.parent.code}.{node.segment}"
            code, k = base, 2
            while code in used:
                code, k = f"{base}-{k}", k + 1
            if code != base:
                draft.warn(_("code %(old)s déjà utilisé, renommé %(new)s")
                           % {"old": repr(base), "new": repr(code)}, node.head.line, code)
            node.code = code
            used.add(code)
    for node in nodes:
        if not node.numbered and node.parent is not None:
            k = node.parent.children.index(node) + 1
            while f"{node.parent.code}.{k}" in used:
                k += 1
            node.code = f"{node.parent.code}.{k}"
            used.add(node.code)


# --------------------------------------------------------------------------------------------
# A case read by its outline (``"outline"`` in the case's JSON)


def headings(doc: Document, case: Any, prepare: bool = True) -> tuple[PageLines, list[Heading]]:
    """The lines of ``doc`` (after the case's ``drop``/``toc``/``prepare`` unless the engine
    did it) without page noise, and the headings the ``outline`` of ``case`` finds in them,
    without the table of contents, the running numbers marked."""
    spec = case.data["outline"]
    schemes = case.compiled("outline", lambda c: Schemes(spec["headings"]))
    lines = PageLines(case.prepare(doc) if prepare else doc, schemes.starts)
    heads = drop_contents(lines, Outline(lines, schemes).scan())
    if spec.get("running"):
        mark_running(heads, spec["running"])
    return lines, heads


def score(doc: Document, case: Any) -> float:
    """How much ``doc`` reads as the running text the case's outline describes (0..1): rank-1
    headings restarting at 1 under the top ones (half the score without any), rank-1 and
    top-level headings found, and the share of prose lines (long, many words, no cells)."""
    lines, heads = headings(doc, case)
    tops = sum(h.rank == 0 for h in heads)
    seconds = [h for h in heads if h.rank == 1]
    restarts = sum(h.value == 1 for h in seconds)
    content = [lines.text(i) for i in range(len(lines)) if lines.text(i)]
    if not content:
        return 0.0
    prose = sum(len(t) >= 50 and len(t.split()) >= 8 and " | " not in t for t in content)
    share = prose / len(content)
    value = (0.35 * min(1.0, restarts / 2) + 0.2 * min(1.0, len(seconds) / 6)
             + 0.2 * min(1.0, tops / 3) + 0.25 * max(0.0, (share - 0.3) / 0.4))
    if restarts == 0:
        value *= 0.5
    return round(max(0.0, min(1.0, value)), 3)


def read(eng: Any) -> None:
    """The engine's document read as a running text by its case's outline: the headings as the
    tree, their bodies as descriptions, indicators and tags (:mod:`jalon.ingest.figures`), the
    title and author from the running footer (:func:`jalon.ingest.pagetext.running_metadata`)."""
    draft, case = eng.draft, eng.case
    spec = case.data["outline"]
    lines, heads = headings(eng.doc, case, prepare=False)
    draft.kind = spec.get("kind", draft.kind)
    draft.levels = list(case.levels)
    if spec.get("metadata"):
        title, organization, year = running_metadata(lines, spec["metadata"])
        draft.title, draft.organization = title or draft.title, organization or draft.organization
        if year:
            draft.period_start = draft.period_end = year
    nodes = build(draft, lines, heads, case.levels)
    for k, node in enumerate(nodes):
        stop = nodes[k + 1].head.start if k + 1 < len(nodes) else len(lines)
        fill_body(draft, lines, node.draft_node, node.numbered_owner().draft_node,
                  node.head.end + 1, stop)
    if case.levels and not any(n.head.rank == 0 for n in nodes):
        draft.warn(_("aucun titre de niveau « %(level)s » reconnu") % {"level": case.levels[0]})


__all__ = ["Heading", "Outline", "OutlineNode", "Schemes", "build", "drop_contents", "headings",
           "is_upper", "mark_running", "read", "score", "valid_title"]
