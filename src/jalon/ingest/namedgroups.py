"""Top groups that a document names instead of numbering, over items coded by letter.

Many plans list their top groups by name before the body (``Objectifs stratégiques :`` then
``Mobilité``, ``Énergie``; ``Strategische doelstellingen:`` then ``Wonen``, ``Zorg``), define
them in ``Name : definition`` lines, and head each section with the name only
(``OBJECTIF STRATÉGIQUE MOBILITÉ``), while the items below carry letter–number codes (``M1``,
``M1.2``).  The letter those items share is the group's code when it is the initial of the
group's name (``Mobilité`` → ``M``, ``Ressources humaines`` → ``R`` or ``RH``); a group whose
items do not agree on one letter, or whose name starts otherwise, keeps a derived number.

:class:`Groups` follows them as the engine reads: its :class:`Preamble` collects what
precedes the first group (the listed names, the definitions, the document's title), a group
heading opens a node (:func:`open_group`: name, code and definition by :func:`group`), the
items read before any group are grouped by the listed names when the document has no group
heading (:func:`group_by_names`).  :func:`parent_of` puts an item under the parent its code
names; :func:`score` tells how much a document looks like such a letter-coded tree.  Used by
the case ``letter_codes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .textrows import fold

_DEFINITION = re.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:\s*(?P<text>\S.*)$")
_CODE_PREFIX = re.compile(r"^(?:n°\s*)?(?:\d{1,2}|[A-Z]{1,3}\s?\d{0,2})\s*[:.\-–]\s+")
_BULLET = "•-–*·▪◦> "


def letter(code: str) -> str:
    """The letters in front of a letter–number code (``RH2.1`` → ``RH``)."""
    m = re.match(r"[A-Z]+", code)
    return m.group() if m else ""


@dataclass
class Preamble:
    """What a document says before its first group: a list of names (after the line that
    announces it, until a longer line), ``Name : definition`` lines, and its title (the
    first line of two words or more)."""

    names: list[tuple[str, int]] = field(default_factory=list)
    definitions: list[tuple[str, str, int]] = field(default_factory=list)
    title: str = ""
    listing: bool = False

    def read(self, text: str, line: int) -> None:
        if not text:
            return
        if self.listing and ":" not in text and len(text.split()) <= 5:
            self.names.append((text.lstrip(_BULLET).strip(), line))
            return
        if m := _DEFINITION.match(text):
            self.definitions.append((m["name"].strip(), m["text"].strip(), line))
        if not self.title and len(text.split()) >= 2:
            self.title = text
        self.listing = False

    def name_for(self, heading: str) -> tuple[str, int] | None:
        """The listed name a heading prints (``CITOYEN`` ↔ ``Citoyens``)."""
        h = fold(heading).strip()
        if not h:
            return None
        for name, line_no in self.names:
            n = fold(name).strip()
            if min(len(n), len(h)) >= 3 and (n.startswith(h) or h.startswith(n)):
                return name, line_no
        return None

    def definition(self, name: str) -> tuple[str, int] | None:
        n = fold(name)
        for key, text, line_no in self.definitions:
            k = fold(key)
            if k == n or (min(len(k), len(n)) >= 4 and (k.startswith(n) or n.startswith(k))):
                return text, line_no
        return None


def code_for(name: str, letters: Iterable[str]) -> str | None:
    """The one letter the items share, when the name starts with it (its first word or the
    initials of its long words: ``Ressources Humaines`` → ``RH``); else None."""
    letters = set(letters)
    if len(letters) != 1:
        return None
    first = next(iter(letters))
    words = re.findall(r"\w+", fold(name).upper())
    initials = "".join(w[0] for w in words if len(w) > 3)
    if words and (words[0].startswith(first) or initials.startswith(first)):
        return first
    return None


def group(preamble: Preamble, heading: str, letters: Iterable[str], taken
          ) -> tuple[str, str | None, tuple[str, int] | None]:
    """(title, code or None, definition) of a group heading's text (after its level word):
    the listed name it prints, the letter of its items (None when ``taken`` has it already:
    two groups with one initial are numbered instead)."""
    heading = _CODE_PREFIX.sub("", heading.strip(" :-–")).strip()
    named = preamble.name_for(heading)
    title = named[0] if named else heading
    if title.isupper():
        title = title.capitalize()
    code = code_for(title, letters)
    if code in taken:
        code = None
    return title, code, preamble.definition(title)


def letters_ahead(lines: list, start, is_group: Callable, item_code: Callable) -> set[str]:
    """The letters of the items coded after ``lines[start]`` up to the next group heading;
    ``is_group(line)`` tells a group heading, ``item_code(line)`` an item's code or None."""
    index = next(i for i, x in enumerate(lines) if x is start)
    letters = set()
    for ln in lines[index + 1:]:
        if is_group(ln):
            break
        code = item_code(ln)
        if code:
            letters.add(letter(code))
    return letters


def group_by_names(draft, preamble: Preamble, loose: list[str], level: str) -> None:
    """No group headings: the listed names group the items ``loose`` (codes) by initial,
    the groups first, in the order of the list."""
    for name, line_no in preamble.names:
        members = [c for c in loose if code_for(name, {letter(c)})]
        if not members:
            continue
        first = letter(members[0])
        node = draft.add(name, code=None if first in draft else first, line=line_no,
                         level=level)
        if desc := preamble.definition(name):
            node.set("description", desc[0], desc[1])
        for c in members:
            draft.reparent(c, node.code)
    top = [n for n in draft.nodes if n.level == level]
    draft.nodes = top + [n for n in draft.nodes if n.level != level]


def open_group(eng, ln, preamble: Preamble, heading: str, letters: Iterable[str],
               level: str):
    """A group heading read by the engine: the node, coded by its items' letter (else
    derived), its definition as description."""
    from .numbering import Number

    title, code, desc = group(preamble, heading, letters, eng.draft)
    number = Number(("case", level), code, code, (code,), title, level) if code else None
    node = eng.add_node(title or level, number, None, ln.number, level)
    if desc:
        node.set("description", desc[0], desc[1])
    return node


def score(lines: list, read, opens_header) -> float:
    """How much ``lines`` look like groups over letter-coded items in a table: leaves whose
    code continues a parent's (``C1.1`` under ``C1``) above all, the parents, a column header
    (``opens_header(line)``) and group headings.  ``read(line)`` is ``("parent", code)``,
    ``("leaf", code)``, ``("group", None)`` or None."""
    parents, leaves = set(), []
    headers = groups = 0
    for ln in lines:
        kind, code = read(ln) or (None, None)
        if kind == "parent":
            parents.add(code)
        elif kind == "leaf":
            leaves.append(code.split(".")[0])
        groups += kind == "group"
        headers += bool(opens_header(ln))
    consistent = sum(1 for a in leaves if a in parents)
    if not leaves or not parents:
        return min(0.15, 0.02 * len(leaves) + 0.03 * len(parents))
    s = (0.5 * min(1.0, consistent / 6) + 0.2 * min(1.0, len(parents) / 3)
         + 0.15 * min(1.0, headers / 1) + 0.15 * min(1.0, groups / 1))
    if len(leaves) - consistent > consistent:  # codes that look alike but form no tree
        s *= 0.5
    return round(min(1.0, s), 3)


def parent_of(eng, code: str, line: int, open_code: str | None, level: str,
              group: str | None, moved: str, made: str) -> str:
    """The parent a letter-coded item's code names (``C2`` for ``C2.1``): the one open, else
    that item found elsewhere (warned with ``moved``), else one made under ``group`` (warned
    with ``made``); the messages take ``%(code)s`` and ``%(oo)s``."""
    from .numbering import Number

    wanted = re.match(r"[A-Z]+\d+", code).group()
    if wanted == open_code:
        return wanted
    node = eng.draft.get(wanted)
    if node is not None and node.level == level:
        eng.draft.warn(moved % {"code": code, "oo": wanted}, line, code)
        return wanted
    node = eng.add_node(f"{level} {wanted}", Number(("case", level), wanted, wanted,
                                                    (wanted,), "", level),
                        group, line, level)
    eng.draft.warn(made % {"oo": wanted, "code": code}, line, node.code)
    return node.code


@dataclass
class Groups:
    """The named groups of a document as the engine reads it: the preamble before the first
    heading, the group open, the items of the level below read before any group."""

    level: str
    preamble: Preamble = field(default_factory=Preamble)
    open: str | None = None
    seen: bool = False
    loose: list[str] = field(default_factory=list)

    def heading(self, eng, ln, text: str, letters: Iterable[str]) -> None:
        self.seen, self.preamble.listing = True, False
        self.open = open_group(eng, ln, self.preamble, text, letters, self.level).code

    def item(self, code: str) -> None:
        if self.open is None:
            self.loose.append(code)

    def finish(self, draft) -> str | None:
        """Items read before any group: grouped by the listed names when the document has
        no group heading; else the first of them (to be warned about), or None."""
        if not self.seen and self.loose and self.preamble.names:
            group_by_names(draft, self.preamble, self.loose, self.level)
        elif self.seen and self.loose:
            return self.loose[0]
        return None


_LETTER_CODE = re.compile(r"^[A-Z]{1,3}\d")


def implied_number(eng, line: int, kind: tuple, title: str, level: str):
    """A number for an unnumbered heading of the engine whose section's numbered headings
    are all letter-coded with one letter that is the initial of its name (the heading
    without a leading level word): ``OBJECTIF STRATÉGIQUE MOBILITÉ`` over ``M1``, ``M1.2``
    → ``M``; None otherwise.  The section ends at the next heading of its kind or of an
    open ancestor's."""
    from .mapping import level_for
    from .numbering import Number

    at = eng.line_at(line)
    if at is None:
        return None
    closing = {kind, *(o.kind for o in eng.stack)}
    letters = set()
    for ln in eng.doc.lines[at + 1:]:
        text = " ".join(ln.text.split()) if ln.cells is None else ""
        found = eng.heading(ln, text) if text else None
        if found is None:
            continue
        if found[1] is None:
            if found[0] in closing:
                break
            continue
        if not _LETTER_CODE.match(found[1].code):
            return None
        letters.add(letter(found[1].code))
    words = title.split()
    name = next((" ".join(words[n:]) for n in (3, 2, 1)
                 if len(words) > n and level_for(" ".join(words[:n]))), title)
    code = code_for(name, letters)
    if code is None or code in eng.draft:
        return None
    return Number(("implied", code), code, code, (), title, level)
