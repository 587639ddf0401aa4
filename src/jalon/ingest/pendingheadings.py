"""Numbered headings that become nodes only when their first item arrives.

A plan that opens with prose (a diagnosis, priorities) and lists its items in an annex numbers
both the same way (``4 État des lieux``, ``6.1.1 La direction sociale``): only the headings that
hold items are part of the plan's tree.  :class:`Headings` follows the decimal headings of a
text (and the headings a reader marked by style, numbered from their level when they print no
number) as a path, keeping each heading *pending*; :meth:`Headings.node_of` makes the node of a
heading, and of its ancestors, when an item is placed under it.  A number is a heading only when
it continues the open ones (:func:`jalon.ingest.numbering.follows`), is listed by the table of
contents when there is one, and, for top numbers, is printed like the first (``1`` or ``1.``):
a numbered list in the prose stays text.  :meth:`Headings.drop_lone_root` drops a lone top
heading above the units (an annex's title).  Pure Python.
"""

from __future__ import annotations

import re

from .numbering import TOC_LINE, follows, toc_numbers
from .pivotrows import Ln, fold

_STYLE_HEADING = re.compile(r"(?:heading|titre)\s*(\d)", re.I)


class Heading:
    def __init__(self, number: str, title: str, line: int, printed: bool, parent) -> None:
        self.number, self.title, self.line, self.printed = number, title, line, printed
        self.parent: Heading | None = parent
        self.intro: list[Ln] = []  # the text under it before its first item
        self.node: str | None = None  # its node, made when its first item arrives
        self.prefixes: set[str] = set()  # the units of the items listed under it


class Headings:
    """The open path of headings of a text whose lines are ``texts``; ``pattern`` reads a
    decimal heading (groups ``num``, ``dot``, ``title``)."""

    def __init__(self, texts: list[str], pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.path: list[Heading] = []
        self.all: list[Heading] = []
        self.toc = toc_numbers(texts)
        self.toc_depth = max((n.count(".") + 1 for n in self.toc), default=0)
        self.style: list[bool] = []  # how the first top number is printed ("1" or "1.")
        self.counters: list[int] = []

    @property
    def current(self) -> Heading | None:
        return self.path[-1] if self.path else None

    def match(self, raw: str) -> tuple[str, str, bool] | None:
        """(number, title, printed with a dot) when ``raw`` reads as a numbered heading."""
        if TOC_LINE.search(raw):
            return None
        m = self.pattern.match(raw)
        if not m:
            return None
        title = m.group("title")
        if not (title[0].isupper() or title[0] in "«\"“'’") or sum(c.isalpha() for c in title) < 4:
            return None
        if len(title) > 110:
            return None
        return m.group("num"), title, bool(m.group("dot"))

    def _styled(self, ln: Ln) -> tuple[str, str, bool] | None:
        """A heading the reader marked by style; numbered from its level when it prints none."""
        m = _STYLE_HEADING.search(ln.style)
        if not m or ln.blank or ln.cells:
            return None
        depth = max(1, int(m.group(1)))
        printed = self.match(ln.raw)
        if printed:
            return printed[0], printed[1], True
        counters = self.counters
        del counters[depth:]
        counters.extend([0] * (depth - len(counters)))
        counters[depth - 1] += 1
        return ".".join(str(c) for c in counters), ln.text, False

    def read(self, ln: Ln) -> bool:
        """Open ``ln`` as a heading when it is one."""
        styled = self._styled(ln)
        h = styled or (None if ln.cells else self.match(ln.raw))
        if h is None:
            return False
        path = self.path
        if not styled:
            if not follows(h[0], [p.number for p in path]):
                return False
            if h[0].count(".") + 1 <= self.toc_depth and h[0] not in self.toc:
                return False  # a numbered list item, not a section of the table of contents
            if "." not in h[0]:
                self.style = self.style or [h[2]]
                if self.style[0] != h[2]:
                    return False
        while path and not h[0].startswith(path[-1].number + "."):
            path.pop()
        heading = Heading(h[0], h[1], ln.number, h[2] if styled else True,
                          path[-1] if path else None)
        path.append(heading)
        self.all.append(heading)
        return True

    def node_of(self, draft, h: Heading) -> str:
        """The node of ``h``, made now (with its ancestors') if it has none yet."""
        if h.node is None:
            parent = self.node_of(draft, h.parent) if h.parent is not None else None
            node = draft.add(h.title, code=h.number if h.printed else None, parent=parent,
                             line=h.line)
            h.node = node.code
        return h.node

    def settle(self, draft, levels: list[str], fields_of=lambda h: {}) -> None:
        """Each heading made a node gets its level (``levels[0]`` at the top, ``levels[1]``
        below) and the fields ``fields_of(heading)`` finds (``{field: (text, line)}``)."""
        for h in self.all:
            if h.node is not None:
                node = draft.get(h.node)
                node.level = levels[0] if node.parent is None else levels[1]
                for key, (text, line) in fields_of(h).items():
                    node.set(key, text, line)

    def drop_lone_root(self, draft, item_level: str, unit_title: str) -> None:
        """A lone top heading above the units (the annex's title) is not a node, unless items
        sit right under it, it has no grandchildren or its title names a unit."""
        while True:
            tops = [n for n in draft.nodes if n.parent is None]
            top = tops[0] if len(tops) == 1 else None
            h = next((h for h in self.all if top is not None and h.node == top.code), None)
            if h is None or any(n.parent == top.code and n.level == item_level
                                for n in draft.nodes) or re.match(unit_title, fold(h.title)):
                return
            children = [n for n in draft.nodes if n.parent == top.code]
            if not any(g.parent in {c.code for c in children} for g in draft.nodes
                       if g.level != item_level):
                return  # no grandchildren: the lone top is the only unit
            for c in children:
                c.parent = None
            draft.nodes = [n for n in draft.nodes if n is not top]
            draft.__dict__["_counts"] = None
            h.node = None


__all__ = ["Heading", "Headings"]
