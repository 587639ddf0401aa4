"""Item codes that name their unit: ``DS-S-2`` is item 2 of unit ``DS-S``, itself under ``DS``.

Many plans number their projects by the organisation's units — a directorate, a service, then a
running number (``DS-S-2``, ``DI-L 2``, ``Pr-1``, ``OP-T-1``) — and list them as rows under the
units' headings.  This module reads such a code (the pattern, from a case's data, has the groups
``code``, ``a`` and optionally ``b`` — the unit letters —, ``n`` and ``rest``), scores a document
on them, rejoins a code that a text extraction wrapped before its number (``DS-S-`` / ``2``) and
finds the node an item goes under: the heading it is listed under, or, when no heading holds its
unit, the units its code implies (``DS`` then ``DS-S``), created with a warning;
:class:`CodedRows` follows the rows such codes open, line by line.  Pure Python.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, NamedTuple

from .document import Document, Line
from .i18n import _
from .pivotrows import Ln, Row, cell_values, fill, header_columns, settle_columns

_DIGITS_ONLY = re.compile(r"^\s*(\d{1,3})\s*$")


class UnitCode(NamedTuple):
    code: str  # normalised: "DI-L-2"
    printed: str  # as printed: "DI-L 2"
    unit: str  # the unit's code: "DI-L"
    rest: str  # what follows the code on its line


def match(pattern: re.Pattern[str], raw: str) -> UnitCode | None:
    """The unit code opening ``raw``, or None ("Les 3 …", "nov-21 14417" are not codes)."""
    m = pattern.match(raw)
    if not m:
        return None
    printed = m.group("code")
    if "-" not in printed:
        return None  # "Les 3 …", "Page 5": a code always has a hyphen somewhere
    rest = m.group("rest")
    if rest.strip() and not re.match(r"\s+[^\d\s]", rest):
        return None  # "nov-21 14417": a month in a table of figures
    unit = m.group("a").upper() + ("-" + m.group("b").upper() if m.group("b") else "")
    return UnitCode(f"{unit}-{int(m.group('n'))}", printed.strip(), unit, rest)


def score(doc: Document, pattern: re.Pattern[str], header_words: re.Pattern[str]) -> float:
    """Codes with a hyphen at the start of rows, several units, the table's header words."""
    codes: set[str] = set()
    units: Counter[str] = Counter()
    for ln in doc.lines:
        found = match(pattern, ln.text)
        if found and found.rest.strip():
            codes.add(found.code)
            units[found.unit] += 1
    text = "\n".join(ln.text for ln in doc.lines[:20000])
    labels = {m.group(0).casefold() for m in header_words.finditer(text)}
    repeated = sum(1 for c in units.values() if c >= 2)
    found_rows = min(1.0, len(codes) / 10) * min(1.0, repeated / 2)
    return round(0.65 * found_rows + 0.35 * min(1.0, len(labels) / 4), 3)


def rejoin_wrapped(lines: list[Line], broken: re.Pattern[str]) -> list[Line]:
    """A code wrapped before its number (``DS-S-`` then ``2`` within three lines) on one line."""
    out, skip = [], set()
    for i, ln in enumerate(lines):
        if i in skip:
            continue
        m = broken.match(ln.text)
        if m:
            j = next((k for k in range(i + 1, min(i + 4, len(lines))) if lines[k].text.strip()),
                     None)
            if j is not None and _DIGITS_ONLY.match(lines[j].text):
                text = m.group("code").replace(" ", "") + lines[j].text.strip()
                ln = Line(ln.number, text, ln.page, ln.style, ln.cells)
                skip.add(j)
        out.append(ln)
    return out


class Units:
    """Where the items go: ``made`` maps a unit to the node made for it, ``@unit`` to the
    heading node holding its items.  ``levels`` names the created units by depth."""

    def __init__(self, draft, levels: list[str], node_of) -> None:
        self.draft, self.levels, self.node_of = draft, levels, node_of
        self.made: dict[str, str] = {}

    def parent(self, code: str, unit: str, line: int, heading: Any) -> str:
        """The code of the node item ``code`` of ``unit`` goes under; ``heading`` (or None) is
        the heading it is listed under, with ``prefixes`` (the units listed there) and
        ``parent``; ``node_of(heading)`` makes its node."""
        draft, made = self.draft, self.made
        if heading is not None:
            node = self.node_of(heading)
            if not heading.prefixes or unit in heading.prefixes:
                heading.prefixes.add(unit)
                made.setdefault("@" + unit, node)
                return node
            if "@" + unit in made:  # a unit printed elsewhere: the item stays here
                draft.warn(_("projet %(code)s rangé sous une autre rubrique que les projets "
                             "%(prefix)s") % {"code": repr(code), "prefix": repr(unit)},
                           line, code)
                return node
            if unit not in made:
                under = node if heading.parent is None else heading.parent.node
                made[unit] = self._make(unit, line, under)
            return made[unit]
        if unit not in made:
            top_node = None
            if "-" in unit:
                top = unit.split("-")[0]
                if top not in made:
                    created = draft.add(top, code=top, line=line, level=self.levels[0])
                    draft.warn(_("direction %(code)s sans titre dans le document : créée")
                               % {"code": repr(top)}, line, created.code)
                    made[top] = created.code
                top_node = made[top]
            made[unit] = self._make(unit, line, top_node)
        return made[unit]

    def _make(self, unit: str, line: int, parent: str | None) -> str:
        node = self.draft.add(unit, code=unit, parent=parent, line=line,
                              level=self.levels[1] if parent else self.levels[0])
        self.draft.warn(_("service %(code)s sans titre dans le document : créé")
                        % {"code": repr(unit)}, line, node.code)
        return node.code


class CodedRows:
    """Items listed as rows opened by a unit code, read line by line: a row of text lines
    (:meth:`code_line`, its wrapped lines go to ``row.body``) or of cells (:meth:`cells`, by
    the header row's labels).  A code line opens a row once a table header came before
    (``header_seen``) or when its first letters open several lines of the document (a lone
    ``ODD-3`` in the prose does not).  Each row's node is made at once, under the node
    ``units.parent`` finds; ``rows`` keeps (row, node) to be read at the end
    (:func:`jalon.ingest.pivotrows.fill`)."""

    def __init__(self, draft, pattern: re.Pattern[str], texts: list[str], units: Units,
                 level: str, labels: list[list[str]], columns: list[str]) -> None:
        self.draft, self.pattern, self.units, self.level = draft, pattern, units, level
        self.labels, self.columns = labels, tuple(columns)
        self.letters = Counter(c.unit.split("-")[0] for c in (match(pattern, t) for t in texts)
                               if c)
        self.row: Row | None = None  # the row open
        self.in_header = self.header_seen = False
        self.seen: set[str] = set()
        self.rows: list[tuple[Row, Any]] = []

    def close(self, header: bool = False) -> None:
        """No row open any more (a heading, or a table header when ``header``)."""
        self.row, self.in_header = None, header
        self.header_seen = self.header_seen or header

    def cells(self, ln: Ln, cells: tuple[str, ...], heading: Any) -> None:
        """A header row (its labels name the columns), an item's row, or a row merged down."""
        header = header_columns(cells, self.labels)
        if header:
            self.columns, self.row, self.in_header = header, None, True
            return
        first = next((i for i, c in enumerate(cells) if c), None)
        code = match(self.pattern, cells[first]) if first is not None else None
        if code:
            values = cell_values(cells, self.columns, first + 1)
            if code.rest.strip():
                values["title"] = f"{code.rest.strip()} {values.get('title', '')}".strip()
            self.add(Row(code.code, code.printed, code.unit, ln.number, [Ln(ln.number, "")],
                         None, values), heading)
        elif self.row is not None and self.row.cells is not None and not cells[0]:
            self.row.cells = cell_values(cells, self.columns, 0, self.row.cells)

    def code_line(self, ln: Ln, heading: Any) -> bool:
        """``ln`` opens a row (True), or is no item's code line (False)."""
        code = match(self.pattern, ln.raw)
        if not code or not (self.header_seen or self.letters[code.unit.split("-")[0]] >= 2):
            return False  # no code, or a lone "ODD-3 …" in the prose
        if code.code in self.seen and not code.rest.strip():
            return False  # a known code alone on its line: a reference in a cell
        self.add(Row(code.code, code.printed, code.unit, ln.number, [Ln(ln.number, code.rest)]),
                 heading)
        return True

    def add(self, row: Row, heading: Any) -> None:
        """An item: its heading (and theirs) become nodes; the row is read at the end."""
        self.seen.add(row.code)
        row.heading = heading
        parent = self.units.parent(row.code, row.prefix, row.line, heading) or None
        node = self.draft.add(row.code, code=row.code, parent=parent, line=row.line,
                              level=self.level, printed=row.printed)
        self.rows.append((row, node))
        self.row, self.in_header = row, False

    def fill(self) -> list:
        """Every row read into its node, then the columns settled; the nodes."""
        for row, node in self.rows:
            fill(node, row, self.draft)
        projects = [node for _, node in self.rows]
        settle_columns(self.draft, projects)
        return projects


__all__ = ["CodedRows", "UnitCode", "Units", "match", "rejoin_wrapped", "score"]
