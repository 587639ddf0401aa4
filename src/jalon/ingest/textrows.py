"""Table rows that a text extraction flattened: only the *order* of the cells survives.

A PDF table turned into text wraps each row over several lines; the cells of one row follow one
another, separated by runs of spaces or blank lines.  For rows whose columns are, in this order,
``title | domain | referents (owners) | funding | deadline | indicator`` (the order of most
plan tables), :func:`split_row` cuts the row by the shapes of the values: the deadline is the
year/date/range-like token near the end (``2025``, ``2020-2025``, ``1er semestre 2025``,
``Continu``), the indicator what follows it; before it, from the right, the funding (money,
``/``, funding words), the referents (short initials, roles) and the domain (short tokens);
every way of cutting the tokens is scored and the best kept, with its *margin* over the second
best.  :func:`learn` collects the domains and referents of rows split without doubt, and a
second pass with them rewards cells already seen in the same document.

A document's rows are read with a :class:`Table`: its :class:`HeaderBlock` skips the column
header printed again on each page (wrapped over several lines), each :class:`Row` collects
the lines (or, given as cells by a reader, the cells) of one row, and :meth:`Table.read`
splits them all and fills their items' fields.  Used by the engine's cases
(``cases/letter_codes.py``); pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jalon.core.values import fold_accents

_YEAR = r"(?:19|20)\d\d"
_DATE_TOKEN = re.compile(
    rf"(?:(?:\d{{1,2}}/)?\d{{1,2}}/)?{_YEAR}(?:\s*[-–/]\s*(?:(?:\d{{1,2}}/)?{_YEAR}|\d\d))?"
)
_RANGE_JOINERS = {"-", "–", "—", "à", "a", "au", "/"}
_DATE_PREFIX = re.compile(
    r"(?:fin|debut|mi|des|avant|courant|janv(?:ier)?|fev(?:rier)?|mars|avr(?:il)?|mai|juin"
    r"|juil(?:let)?|aout|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|dec(?:embre)?"
    r"|semestre|trimestre|[tqs][1-4]|\d(?:er|e|eme))\.?"
)
_OPEN_WORDS = {"continu", "continue", "permanent", "permanente", "annuel", "annuelle",
               "recurrent", "recurrente"}
MONEY = re.compile(r"€|\b(?:EUR|euros?)\b|\d\s*(?:M|k|K|mio)\b|\bETP\b", re.I)
_SLASHES = {"/", "-", "–", "—", "//"}
# words that open or mark a funding cell (generic French budget vocabulary)
_FUNDING_STEMS = ("selon", "subside", "subvention", "subsid", "partenariat", "budget", "fonds",
                  "financ", "cofinanc", "appel", "pret", "emprunt", "devis", "ordinaire",
                  "extraordinaire", "dotation", "sponsor", "mecenat", "gratuit", "neant",
                  "moyens", "ressources")
# words a title does not end with
_FUNCTION_WORDS = {"a", "au", "aux", "de", "des", "du", "d", "l", "la", "le", "les", "en", "et",
                   "ou", "pour", "par", "sur", "sous", "dans", "avec", "vers", "via", "un",
                   "une", "puis", "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces",
                   "entre", "chez", "que", "qui", "notamment", "afin", "plus"}
_TITLE_END = (".", ")", "…", "»", "!", "?", ";")

CONFIDENT_MARGIN = 1.0  # score lead under which a row's split is reported as doubtful
MAX_NAME_TOKENS = 8  # longest domain or referents cell considered
MAX_CELL_TOKENS = 40  # longest domain + referents + funding considered after a title
TITLE_ONLY_SCORE = -2.0  # score of reading a whole row as its title (no cells)




@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    return fold_accents(text).replace("’", "'")


def _core(token: str) -> str:
    return token.strip(".,;:()«»\"'")


# -- intermediate structure ------------------------------------------------------------------




@dataclass(frozen=True)
class Tok:
    text: str
    line: int
    row_line: int  # 0 = the line that carries the code
    block: int  # blocks are separated by blank lines
    gap: bool  # two spaces or more before it on its line


@dataclass
class Split:
    title: str
    cells: dict[str, tuple[str, int]]  # domain/owners/funding/deadline/indicator → (text, line)
    score: float
    margin: float
    has_deadline: bool
    leftover: tuple[str, int] | None = None  # text after the row's last cell



def tokens(lines: list[tuple[int, str]]) -> list[Tok]:
    toks: list[Tok] = []
    block = 0
    for idx, (number, text) in enumerate(lines):
        if not text.strip():
            if toks and toks[-1].block == block:
                block += 1
            continue
        prev_end = None
        for m in re.finditer(r"\S+", text):
            gap = prev_end is not None and m.start() - prev_end >= 2
            toks.append(Tok(m.group(), number, idx, block, gap))
            prev_end = m.end()
    return toks


@lru_cache(maxsize=4096)
def _is_lower(s: str) -> bool:
    return s[:1].isalpha() and s[:1].islower()


@lru_cache(maxsize=4096)
def _is_init(s: str) -> bool:
    """Short initials or acronym: JVDB, FL, MR, F&A, RàD."""
    core = _core(s)
    letters = [c for c in core if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return 0 < len(core) <= 6 and upper >= 2 and upper * 2 >= len(letters)


@lru_cache(maxsize=4096)
def _is_abbrev(s: str) -> bool:
    """``Serv.``: a capitalised short word cut with a dot, which the next word completes."""
    return s.endswith(".") and 2 <= len(s) <= 6 and s[:1].isupper() and s[:-1].isalpha()


@lru_cache(maxsize=4096)
def _is_year_like(tok: str) -> bool:
    return bool(_DATE_TOKEN.fullmatch(_core(tok)))


def _units(toks: list[Tok]) -> list[list[Tok]]:
    """Group a cell's tokens into names: ``Serv. techn``, ``4 MR``, ``AS chef+ codir``."""
    units: list[list[Tok]] = []
    join_next = False
    for t in toks:
        s = t.text
        joiner = s in {"+", "&", "–", "-", "et"} or (s.startswith("+") and not s[1:2].isdigit())
        if units and (join_next or joiner or _is_lower(s)):
            units[-1].append(t)
        else:
            units.append([t])
        join_next = (s.endswith("+") or s in {"+", "&", "–", "-", "et"} or _is_abbrev(s)
                     or bool(re.fullmatch(r"\d{1,2}", s)))
    return units


def _dangling(part: list[Tok]) -> bool:
    """A cell cut inside a name joined by ``+`` / ``&``: ``Serv. Info +`` | ``Codir``."""
    first, last = part[0].text, part[-1].text
    return (last.endswith(("+", "&")) or last in {"–", "-", "et"} or _is_abbrev(last)
            or bool(re.fullmatch(r"\d{1,2}", last))
            or first in {"+", "&", "–", "-", "et"}
            or (first.startswith("+") and not first[1:2].isdigit()))


def _unit_key(unit: list[Tok]) -> str:
    return " ".join(fold(t.text) for t in unit)


@lru_cache(maxsize=4096)
def _is_function_word(tok: str) -> bool:
    word = fold(_core(tok))
    return word in _FUNCTION_WORDS or bool(re.fullmatch(r"[ld]'", word))


@lru_cache(maxsize=4096)
def _funding_word(tok: str) -> bool:
    word = fold(_core(tok))
    return any(word.startswith(stem) for stem in _FUNDING_STEMS)


def _find_deadline(toks: list[Tok]) -> tuple[int, int] | None:
    """Span of the deadline: the last date-like token (or range), unless an earlier one sits
    right after a funding value (``/``, an amount) and the last does not."""
    cands: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        s = _core(toks[i].text)
        nxt = toks[i + 1].text if i + 1 < n else ""
        if _DATE_TOKEN.fullmatch(s) and not MONEY.match(nxt) and not toks[i].text.endswith("€"):
            start, end = i, i + 1
            if (i + 2 < n and toks[i + 1].text in _RANGE_JOINERS
                    and _is_year_like(toks[i + 2].text)):
                end = i + 3
            while start > max(0, i - 2) and _DATE_PREFIX.fullmatch(fold(toks[start - 1].text)):
                start -= 1
            cands.append((start, end))
            i = end
            continue
        if fold(s) in _OPEN_WORDS:
            cands.append((i, i + 1))
        i += 1
    if not cands:
        return None
    best = cands[-1]

    def after_funding(span: tuple[int, int]) -> bool:
        if span[0] == 0:
            return False
        prev = toks[span[0] - 1].text
        return prev in _SLASHES or bool(MONEY.search(prev))

    if not after_funding(best):
        for span in reversed(cands[:-1]):
            if after_funding(span):
                return span
    return best


class _Scorer:
    """Scores of every way to cut the tokens before the deadline into title/domain/referents/
    funding.  ``vocab`` holds the domains and referents of rows already split without doubt."""

    def __init__(self, toks: list[Tok], vocab: dict[str, set[str]]):
        self.toks = toks
        self.vocab = vocab
        self.cache: dict[tuple[str, int, int], float] = {}

    def cell(self, kind: str, a: int, b: int) -> float:
        key = (kind, a, b)
        if key not in self.cache:
            part = self.toks[a:b]
            if kind == "funding":
                self.cache[key] = self._funding(part)
            else:
                self.cache[key] = self._name_cell(kind, part)
        return self.cache[key]

    def _sanity(self, part: list[Tok]) -> float:
        """Penalty for sentence-like text in a short cell."""
        pen = 0.0
        for t in part:
            s = t.text
            if s.endswith((".", ",", ":", ";", "…")) and not _is_abbrev(s):
                pen -= 1.5
            if "(" in s or ")" in s:
                pen -= 1.5
        return pen

    def _name_cell(self, kind: str, part: list[Tok]) -> float:
        if not part:
            return -4.0 if kind == "domain" else -2.5
        units = _units(part)
        text = " ".join(t.text for t in part)
        s = -1.0 * (len(units) - 1) - 0.4 * max(0, len(part) - 3) + self._sanity(part)
        if _is_lower(part[0].text):
            s -= 3.0
        s -= 1.5 * sum(1 for t in part if _is_function_word(t.text))
        if _dangling(part):
            s -= 3.0
        if MONEY.search(text) or any(t.text in _SLASHES for t in part):
            s -= 4.0
        if any(_funding_word(t.text) for t in part):
            s -= 2.0
        if any(_is_year_like(t.text) for t in part):
            s -= 2.0
        if kind == "owners" and len(units) == 1 and len(part) == 1 and _is_init(part[0].text):
            s += 1.0
        own = self.vocab.get(kind, set())
        other = self.vocab.get("owners" if kind == "domain" else "domain", set())
        for u in units:
            k = _unit_key(u)
            if k in own:
                s += 1.5
            elif k in other:
                s -= 1.0
        return s

    def _funding(self, part: list[Tok]) -> float:
        if not part:
            return -0.5
        text = " ".join(t.text for t in part)
        if text in _SLASHES:
            return 2.0
        s = 0.0
        if MONEY.search(text):
            s += 2.0
        if _funding_word(part[0].text):
            s += 2.0
        elif any(_funding_word(t.text) for t in part):
            s += 1.0
        if s == 0.0:
            units = _units(part)
            s -= 0.5 * len(units)
            if len(units[0]) == 1 and _is_init(part[0].text):
                s -= 1.5
            s += self._sanity(part)
            known = self.vocab.get("domain", set()) | self.vocab.get("owners", set())
            s -= 1.0 * sum(1 for u in units if _unit_key(u) in known)
        if _is_lower(part[0].text) or _dangling(part):
            s -= 3.0
        return s

    def title_end(self, i: int, boundary: bool) -> float:
        """Score of the title ending before token ``i``."""
        toks = self.toks
        if boundary:  # the title is the first block: the layout's own separation
            return 1.0
        last = toks[i - 1].text
        s = 0.0
        if _is_function_word(last) or re.fullmatch(r"\d{1,2}", last):
            s -= 2.5
        elif last.endswith(_TITLE_END) and not _is_abbrev(last):
            s += 1.0
        elif _is_lower(last):
            s += 0.5
        elif i >= 2 and _is_function_word(toks[i - 2].text):
            s += 0.0
        else:
            s -= 1.0
        if toks[i].gap:
            s += 1.5
        if toks[i].row_line > 0:  # the cells begin below the first line: title wrapped
            s -= 0.5
        return s


def split_row(lines: list[tuple[int, str]], vocab: dict[str, set[str]]) -> Split | None:
    toks = tokens(lines)
    if not toks:
        return None
    span = _find_deadline(toks)
    d, e = span if span else (len(toks), len(toks))
    scorer = _Scorer(toks, vocab)

    # where the title may end: inside the first line, or at the end of the first block
    first_line = [i for i, t in enumerate(toks) if t.row_line == toks[0].row_line]
    # (a cell never starts with a lower-case word: those cuts are not worth scoring)
    ends = {i + 1: False for i in first_line
            if d - MAX_CELL_TOKENS <= i + 1 < d and not _is_lower(toks[i + 1].text)}
    boundary = next((i for i, t in enumerate(toks) if t.block > toks[0].block), None)
    if boundary is not None and boundary < d:
        ends[boundary] = True

    # a title alone (no cell printed, or none recognisable) is always a possible reading
    results: list[tuple[float, tuple[int, int, int, int]]] = [(TITLE_ONLY_SCORE, (d, d, d, d))]
    for i, is_boundary in ends.items():
        t_score = scorer.title_end(i, is_boundary)
        for j in range(i + 1, min(d, i + MAX_NAME_TOKENS) + 1):
            das = scorer.cell("domain", i, j)
            for k in range(j, min(d, j + MAX_NAME_TOKENS) + 1):
                total = (t_score + das + scorer.cell("owners", j, k)
                         + scorer.cell("funding", k, d))
                total += 0.5 * sum(1 for p in {j, k} if p < d and toks[p].gap)
                results.append((total, (i, j, k, d)))
    results.sort(key=lambda r: -r[0])
    best_score, (i, j, k, d) = results[0]
    margin = best_score - results[1][0] if len(results) > 1 else 99.0

    def cell(a: int, b: int) -> tuple[str, int] | None:
        return (" ".join(t.text for t in toks[a:b]), toks[a].line) if b > a else None

    f = _indicator_end(toks, e)
    cells = {"domain": cell(i, j), "owners": cell(j, k), "funding": cell(k, d),
             "deadline": cell(d, e) if span else None, "indicator": cell(e, f)}
    return Split(" ".join(t.text for t in toks[:i]),
                  {key: v for key, v in cells.items() if v}, best_score, margin,
                  span is not None, cell(f, len(toks)))


def _indicator_end(toks: list[Tok], e: int) -> int:
    """The indicator is the rest of the deadline's block (or, when that is empty, one short
    block after it); text beyond is not part of the row (a note, a caption, a closing line)."""
    if e >= len(toks):
        return len(toks)
    block = toks[e - 1].block if e > 0 else toks[0].block
    f = e
    while f < len(toks) and toks[f].block == block:
        f += 1
    if f == e:
        nxt = toks[e].block
        while f < len(toks) and toks[f].block == nxt:
            f += 1
        if f - e > MAX_NAME_TOKENS:
            return e
    return f



def learn(splits: Iterable[Split | None]) -> dict[str, set[str]]:
    vocab: dict[str, set[str]] = {"domain": set(), "owners": set()}
    for sp in splits:
        if sp is None or sp.margin < 2 * CONFIDENT_MARGIN:  # only rows split without doubt
            continue
        for kind in vocab:
            if kind in sp.cells:
                toks = tokens([(0, sp.cells[kind][0])])
                vocab[kind].update(_unit_key(u) for u in _units(toks))
    return vocab



# -- the rows of a document: header block, rows read line by line, cells filled ----------------

# the fields a row's cells give, by the field a header names (mapping.field_for)
_CELL_KEY = {"title": "title", "domain": "domain", "owners": "owners", "funding": "funding",
             "budget_eur": "funding", "deadline": "deadline", "end": "deadline",
             "indicators": "indicator"}
COLUMNS = ("title", "domain", "owners", "funding", "deadline", "indicator")
_FTE = re.compile(r"\d+(?:[.,]\d+)?\s*ETP\b", re.I)


class HeaderBlock:
    """The column header of a flattened table, printed again on every page and wrapped over
    several lines (``ACTIONS DAS (Domaine`` / ``d'activités`` / ``Référents`` …).  Its first
    line names two columns or more (*strong* words: «échéance», «référents»); the lines after
    it, blank or made of header words only (*weak* words: «de», «stratégique»), continue it.
    A header given as cells (DOCX, PDF ruled table) also tells the order of the columns."""

    def __init__(self, strong: Iterable[str], weak: Iterable[str]) -> None:
        self.strong, self.weak = frozenset(strong), frozenset(weak)
        self.open = False
        self.columns: dict[int, str] | None = None  # cell index → field, from a cells header

    def words(self, text: str) -> tuple[int, bool]:
        """(number of strong header words, whether the line holds header words only)."""
        found = [w for w in re.split(r"[\s()'’/|:]+", fold(text)) if w]
        strong = sum(1 for w in found if w in self.strong)
        only = bool(found) and all(w in self.strong or w in self.weak for w in found)
        return strong, only

    def opens(self, ln) -> bool:
        strong, only = self.words(ln.text)
        return strong >= 2 and (only or ln.cells is not None)

    def skip(self, ln, text: str, item: bool = False) -> bool:
        """True for a line of a header block (to be skipped); ``item``: the line opens an item."""
        if not item and (self.opens(ln) or self.open and (not text or self.words(text)[1])):
            self.open = True
            if ln.cells:
                self.columns = header_columns(ln.cells)
            return True
        self.open = False
        return False


def header_columns(cells) -> dict[int, str]:
    """Cell index → row field (title, domain, owners, funding, deadline, indicator)."""
    from .mapping import field_for

    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _CELL_KEY.get(field_for(cell) or "")
        if key and key not in found.values():
            found[i] = key
    return found


def merge_cells(cells: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    """A row continued on the next row of cells (a wrapped cell): cell by cell."""
    width = max(len(cells), len(more))
    padded = [(cells[i] if i < len(cells) else "", more[i] if i < len(more) else "")
              for i in range(width)]
    return tuple(f"{a} {b}".strip() for a, b in padded)


@dataclass
class Row:
    """One row of a table: the item it opened, its lines as printed (a flattened row: the
    first line without its code) or its cells (a row a reader gave as cells)."""

    node: Any
    code: str
    line: int
    lines: list[tuple[int, str]]
    cells: tuple[str, ...] | None = None

    def add(self, ln) -> None:
        """The next line of the row: more cells, or one more wrapped line."""
        if self.cells is not None and ln.cells:
            self.cells = merge_cells(self.cells, ln.cells)
        else:
            self.lines.append((ln.number, ln.text.rstrip()))


class Table:
    """The rows of a document's tables as they are read: the header block (skipped, its
    columns kept), the row open (more lines go to it until :meth:`close`), every row."""

    def __init__(self, strong: Iterable[str], weak: Iterable[str]) -> None:
        self.header = HeaderBlock(strong, weak)
        self.rows: list[Row] = []
        self.row: Row | None = None

    def open(self, node, code: str, ln, title: str) -> None:
        """A row opened by ``ln``, whose first cell is ``code`` and ``title``."""
        self.row = Row(node, code, ln.number, [(ln.number, "" if ln.cells else title)],
                       ln.cells)
        self.rows.append(self.row)

    def close(self) -> None:
        self.row = None

    def read(self, draft, titled, word: str) -> None:
        read_rows(draft, self.rows, self.header.columns, titled, word)


def split_cells(row: Row, columns: dict[int, str] | None, titled) -> Split:
    """A row given as cells: columns by the header row when there is one, else in the order
    of :data:`COLUMNS` after the code's cell; ``titled(cell)`` is the title printed after
    the code in the first cell (``""``: the code alone, None: no code)."""
    cells_in = [" ".join(c.split()) for c in (row.cells or ())]
    after_code = titled(cells_in[0]) if cells_in else None
    shift = 1 if after_code == "" and len(cells_in) > 1 else 0  # the code in its own cell
    order = columns or {shift + i: key for i, key in enumerate(COLUMNS)}
    title_at = next((i for i, key in order.items() if key == "title"), shift)
    title = cells_in[title_at] if title_at < len(cells_in) else ""
    if title_at == 0 and after_code is not None:
        title = after_code
    cells = {order[i]: (c, row.line) for i, c in enumerate(cells_in)
             if i in order and order[i] != "title" and c}
    return Split(title, cells, 99.0, 99.0, "deadline" in cells)


def read_rows(draft, rows: list[Row], columns: dict[int, str] | None, titled,
              word: str) -> None:
    """Every row split (flattened rows twice: the second pass knows the domains and referents
    of the rows split without doubt) and its cells made the fields of its item; ``word``
    names an item without a title (``Action C1.2``), ``titled`` as for :func:`split_cells`."""
    first = [split_row(r.lines, {}) for r in rows if r.cells is None]
    vocab = learn(first)
    for r in rows:
        fill(draft, r, split_cells(r, columns, titled) if r.cells is not None
             else split_row(r.lines, vocab), word)


def fill(draft, row: Row, split: Split | None, word: str) -> None:
    """The item's title and fields from its row's cells, with a warning for what is missing
    or doubtful."""
    from .i18n import _

    node, code = row.node, row.code
    title = split.title if split and split.title else ""
    node.title = " ".join(title.split()) or f"{word} {code}"
    if split is None:
        draft.warn(_("action %(code)s : ligne sans contenu") % {"code": code}, row.line,
                   node.code)
        return
    if not title:
        draft.warn(_("action %(code)s : intitulé introuvable") % {"code": code}, row.line,
                   node.code)
    c = split.cells
    for key in ("domain", "owners", "funding", "deadline"):
        if key in c:
            node.set(key, c[key][0], c[key][1])
    if "funding" in c:
        text, line_no = c["funding"]
        if m := _FTE.search(text):
            node.set("fte", m.group(), line_no)
        elif MONEY.search(text):
            node.set("budget_eur", text, line_no)
    if "indicator" in c:
        node.add_indicator(c["indicator"][0], None, c["indicator"][1])
    where = (c.get("domain") or c.get("deadline") or (None, row.line))[1]
    if split.leftover:
        text, line_no = split.leftover
        draft.warn(_("action %(code)s : texte après la ligne du tableau ignoré : %(text)s")
                   % {"code": code, "text": repr(text[:60])}, line_no, node.code)
    if not split.has_deadline:
        draft.warn(_("action %(code)s : échéance introuvable dans la ligne du tableau")
                   % {"code": code}, where, node.code)
    elif split.margin < CONFIDENT_MARGIN and row.cells is None:
        parts = " | ".join(c[k][0] for k in ("domain", "owners", "funding") if k in c)
        draft.warn(_("action %(code)s : découpage des cellules incertain (%(cells)s)")
                   % {"code": code, "cells": parts}, where, node.code)
