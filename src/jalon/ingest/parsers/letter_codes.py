"""Layout "letter_codes": a PST whose objectives and actions carry letter–number codes in a table.

Features of the layout (as a PDF-to-text extraction shows them):

- **Named strategic objectives.**  A word list after ``Objectifs stratégiques :``, then
  ``Name : definition`` lines, then one ``OBJECTIF STRATÉGIQUE <NAME>`` heading per section
  (the heading may print the name in capitals or in the singular).
- **Operational objectives** ``Objectif opérationnel C1 : <title>``: one or more letters, a number.
- **Actions** ``C1.1 : <title>`` (also ``C 3.1 :``, ``C3.1:``), the first cell of a table row whose
  other columns are: domain (DAS), referents, funding, deadline, result indicator.
- A **column header block** (``ACTIONS / DAS (Domaine d'activités stratégique) / Référents
  gestionnaires / Financement / Echéances / Indicateurs de résultats``) repeats on pages.

The text extraction wraps a row over several lines: when the action title fits on one line the
other cells follow it on that line (and may wrap below it); when the title wraps, its lines form a
block and the cells come after a blank line, themselves possibly wrapped.  Only the *order* of the
cells survives, so :func:`_split_row` splits a row by the shapes of the values: the deadline is the
year/date/range-like token near the end, the indicator is what follows it; before it, from the
right, the funding (money, ``/``, funding words), the referents (short initials, roles) and the
domain (short tokens); every way of cutting the tokens is scored and the best kept.  A second pass
rewards domains and referents already seen in rows that split without doubt (the vocabulary of
the document itself).  A row that cannot be split confidently keeps its best split and gets a
warning with its line.

The strategic objectives take the letter their operational objectives share when it is the
initial of their name (``Citoyens`` → ``C``), else a derived number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError

NAME = "letter_codes"
LEVELS = ["Objectif stratégique", "Objectif opérationnel", "Action"]

# -- patterns of the layout ------------------------------------------------------------------

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ"
_OS_HEADING = re.compile(r"^\s*(?i:objectif\s+strat[ée]gique)\b\s*(?P<rest>.*)$")
_OS_CODE_PREFIX = re.compile(r"^(?:n°\s*)?(?:\d{1,2}|[A-Z]{1,3}\s?\d{0,2})\s*[:.\-–]\s+")
_OS_LIST = re.compile(r"^\s*(?i:objectifs\s+strat[ée]giques)\s*:?\s*$")
_OO_HEADING = re.compile(
    r"^\s*(?:(?i:objectif\s+op[ée]rationnel)|OO)\s+(?P<letters>[A-Z]{1,3})\s?(?P<num>\d{1,2})"
    r"\s*(?:[:.\-–]\s*|\s+|$)(?P<rest>.*)$"
)
_ACTION = re.compile(
    r"^\s*(?P<code>(?P<letters>[A-Z]{1,3})\s?(?P<oo>\d{1,2})\s?[.,]\s?(?P<num>\d{1,2}))"
    rf"\s*(?:[:\-–]\s*|\s+(?=[{_UP}])|$)(?P<rest>.*)$"
)
_FOOTER = re.compile(r"\bpage\s+\d+\s*(?:sur|/|de|of)\s*\d+\b", re.I)
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–/à]+\s*((?:19|20)\d\d)\b")
_DEFINITION = re.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:\s*(?P<text>\S.*)$")

# column header words: strong ones open a header block, weak ones may continue it
_HEADER_STRONG = {"action", "actions", "das", "referent", "referents", "gestionnaire",
                  "gestionnaires", "financement", "financements", "echeance", "echeances",
                  "indicateur", "indicateurs", "resultat", "resultats", "responsable",
                  "responsables", "pilote", "pilotes", "budget", "delai", "delais", "domaine",
                  "domaines"}
_HEADER_WEAK = {"de", "d", "des", "du", "la", "le", "et", "activite", "activites",
                "strategique", "strategiques", "realisation", "service", "services"}

# -- shapes of cell values -----------------------------------------------------------------

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
_MONEY = re.compile(r"€|\b(?:EUR|euros?)\b|\d\s*(?:M|k|K|mio)\b|\bETP\b", re.I)
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

_COLUMNS = ("title", "domain", "owners", "funding", "deadline", "indicator")
CONFIDENT_MARGIN = 1.0  # score lead under which a row's split is reported as doubtful
MAX_NAME_TOKENS = 8  # longest domain or referents cell considered
MAX_CELL_TOKENS = 40  # longest domain + referents + funding considered after a title
TITLE_ONLY_SCORE = -2.0  # score of reading a whole row as its title (no cells)


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("’", "'")


def _core(token: str) -> str:
    return token.strip(".,;:()«»\"'")


# -- intermediate structure ------------------------------------------------------------------


@dataclass
class _Row:
    code: str
    printed: str
    line: int
    lines: list[tuple[int, str]]  # (line number, text); "" marks a blank line
    cells: tuple[str, ...] | None = None


@dataclass
class _OO:
    letters: str
    num: str
    printed: str
    title: str
    line: int
    rows: list[_Row] = field(default_factory=list)
    open_title: bool = True  # its title may still continue on the next line

    @property
    def code(self) -> str:
        return f"{self.letters}{self.num}"


@dataclass
class _OS:
    heading: str
    line: int
    oos: list[_OO] = field(default_factory=list)


@dataclass
class _Outline:
    names: list[tuple[str, int]] = field(default_factory=list)  # listed names with their line
    definitions: list[tuple[str, str, int]] = field(default_factory=list)  # name, text, line
    sections: list[_OS] = field(default_factory=list)
    loose: list[_OO] = field(default_factory=list)  # OOs seen before any OS heading
    title: str = ""
    title_line: int | None = None
    header_map: dict[int, str] = field(default_factory=dict)  # cell index → field (tables)


# -- scoring ------------------------------------------------------------------------------------


def _header_words(text: str) -> tuple[int, bool]:
    """(number of strong header words, whether the line holds header words only)."""
    words = [w for w in re.split(r"[\s()'’/|:]+", _fold(text)) if w]
    strong = sum(1 for w in words if w in _HEADER_STRONG)
    only = bool(words) and all(w in _HEADER_STRONG or w in _HEADER_WEAK for w in words)
    return strong, only


def _opens_header(ln: Line) -> bool:
    """A column header line: two column names and nothing else (a table row: two names)."""
    strong, only = _header_words(ln.text)
    return strong >= 2 and (only or ln.cells is not None)


def _is_structure(text: str) -> bool:
    return bool(_OS_HEADING.match(text) or _OO_HEADING.match(text) or _ACTION.match(text))


def score(doc: Document) -> float:
    """How strongly ``doc`` shows the layout: coded actions under matching coded OOs, a column
    header naming domain/referents/funding/deadline/indicator, strategic objective headings."""
    oo_codes: set[str] = set()
    actions: list[str] = []
    headers = os_headings = 0
    for ln in doc.lines:
        text = ln.cells[0] if ln.cells else ln.text
        if m := _OO_HEADING.match(text):
            oo_codes.add(m["letters"] + m["num"])
        elif m := _ACTION.match(text):
            actions.append(m["letters"] + m["oo"])
        elif _OS_HEADING.match(text):
            os_headings += 1
        if _opens_header(ln):
            headers += 1
    consistent = sum(1 for a in actions if a in oo_codes)
    if not actions or not oo_codes:
        return min(0.15, 0.02 * len(actions) + 0.03 * len(oo_codes))
    stray = len(actions) - consistent
    s = (0.5 * min(1.0, consistent / 6) + 0.2 * min(1.0, len(oo_codes) / 3)
         + 0.15 * min(1.0, headers / 1) + 0.15 * min(1.0, os_headings / 1))
    if stray > consistent:  # codes that look alike but do not form a tree
        s *= 0.5
    return round(min(1.0, s), 3)


# -- reading the outline -------------------------------------------------------------------


def _read_outline(doc: Document) -> _Outline:
    out = _Outline()
    current_os: _OS | None = None
    current_oo: _OO | None = None
    row: _Row | None = None
    in_header = False
    listing = False  # inside the word list that follows "Objectifs stratégiques :"

    for ln in doc.lines:
        text = ln.text.rstrip()
        first = ln.cells[0] if ln.cells else text
        if _FOOTER.search(text):
            continue
        if not _is_structure(first) and (
                _opens_header(ln) or (in_header and (not text.strip() or _header_words(text)[1]))):
            in_header = True
            if ln.cells:
                out.header_map = _header_map(ln.cells)
            continue
        in_header = False

        if _OS_LIST.match(text):
            listing = True
            continue
        if m := _OS_HEADING.match(first):
            row, current_oo, listing = None, None, False
            name = _OS_CODE_PREFIX.sub("", m["rest"].strip(" :-–"))
            current_os = _OS(name.strip(), ln.number)
            out.sections.append(current_os)
            continue
        if m := _OO_HEADING.match(first):
            row, listing = None, False
            printed = first[m.start("letters"):m.end("num")]
            current_oo = _OO(m["letters"], m["num"], printed, m["rest"].strip(), ln.number)
            (current_os.oos if current_os else out.loose).append(current_oo)
            continue
        if m := _ACTION.match(first):
            listing = False
            if current_oo is not None:
                current_oo.open_title = False
            code = f"{m['letters']}{m['oo']}.{m['num']}"
            rest = m["rest"] if not ln.cells else ""
            row = _Row(code, m["code"], ln.number, [(ln.number, rest)],
                       ln.cells if ln.cells else None)
            _rows_of(out, current_os, current_oo).append(row)
            continue

        if row is not None and row.cells is not None and ln.cells:
            row.cells = _merge_cells(row.cells, ln.cells)  # a row continued on the next one
        elif row is not None:
            row.lines.append((ln.number, text))
        elif current_oo is not None and current_oo.open_title:
            if text.strip():
                current_oo.title = f"{current_oo.title} {text.strip()}".strip()
            else:
                current_oo.open_title = bool(not current_oo.title)
        elif current_os is None and current_oo is None:
            _read_preamble(out, ln, text, listing)
            if listing and not text.strip():
                continue
            if listing and (":" in text or len(text.split()) > 5):
                listing = False
    return out


def _merge_cells(cells: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    width = max(len(cells), len(more))
    padded = [(cells[i] if i < len(cells) else "", more[i] if i < len(more) else "")
              for i in range(width)]
    return tuple(f"{a} {b}".strip() for a, b in padded)


def _rows_of(out: _Outline, os_: _OS | None, oo: _OO | None) -> list[_Row]:
    if oo is None:  # an action before any OO: keep it under a placeholder OO
        oo = _OO("", "", "", "", 0, open_title=False)
        (os_.oos if os_ else out.loose).append(oo)
    return oo.rows


def _read_preamble(out: _Outline, ln: Line, text: str, listing: bool) -> None:
    stripped = text.strip()
    if not stripped:
        return
    if listing and ":" not in stripped and len(stripped.split()) <= 5:
        out.names.append((stripped.lstrip("•-–*·▪◦> ").strip(), ln.number))
        return
    if m := _DEFINITION.match(stripped):
        out.definitions.append((m["name"].strip(), m["text"].strip(), ln.number))
    if not out.title and len(stripped.split()) >= 2:
        out.title, out.title_line = stripped, ln.number


def _header_map(cells: Iterable[str]) -> dict[int, str]:
    keys = (("das", "domain"), ("domaine", "domain"), ("referent", "owners"),
            ("responsable", "owners"), ("pilote", "owners"), ("financ", "funding"),
            ("budget", "funding"), ("echeance", "deadline"), ("delai", "deadline"),
            ("indicateur", "indicator"), ("action", "title"))
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        folded = _fold(cell)
        for word, key in keys:
            if word in folded and key not in found.values():
                found[i] = key
                break
    return found


# -- splitting a row into its cells ----------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    text: str
    line: int
    row_line: int  # 0 = the line that carries the code
    block: int  # blocks are separated by blank lines
    gap: bool  # two spaces or more before it on its line


@dataclass
class _Split:
    title: str
    cells: dict[str, tuple[str, int]]  # domain/owners/funding/deadline/indicator → (text, line)
    score: float
    margin: float
    has_deadline: bool
    leftover: tuple[str, int] | None = None  # text after the row's last cell


def _tokens(lines: list[tuple[int, str]]) -> list[_Tok]:
    toks: list[_Tok] = []
    block = 0
    for idx, (number, text) in enumerate(lines):
        if not text.strip():
            if toks and toks[-1].block == block:
                block += 1
            continue
        prev_end = None
        for m in re.finditer(r"\S+", text):
            gap = prev_end is not None and m.start() - prev_end >= 2
            toks.append(_Tok(m.group(), number, idx, block, gap))
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


def _units(toks: list[_Tok]) -> list[list[_Tok]]:
    """Group a cell's tokens into names: ``Serv. techn``, ``4 MR``, ``AS chef+ codir``."""
    units: list[list[_Tok]] = []
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


def _dangling(part: list[_Tok]) -> bool:
    """A cell cut inside a name joined by ``+`` / ``&``: ``Serv. Info +`` | ``Codir``."""
    first, last = part[0].text, part[-1].text
    return (last.endswith(("+", "&")) or last in {"–", "-", "et"} or _is_abbrev(last)
            or bool(re.fullmatch(r"\d{1,2}", last))
            or first in {"+", "&", "–", "-", "et"}
            or (first.startswith("+") and not first[1:2].isdigit()))


def _unit_key(unit: list[_Tok]) -> str:
    return " ".join(_fold(t.text) for t in unit)


@lru_cache(maxsize=4096)
def _is_function_word(tok: str) -> bool:
    word = _fold(_core(tok))
    return word in _FUNCTION_WORDS or bool(re.fullmatch(r"[ld]'", word))


@lru_cache(maxsize=4096)
def _funding_word(tok: str) -> bool:
    word = _fold(_core(tok))
    return any(word.startswith(stem) for stem in _FUNDING_STEMS)


def _find_deadline(toks: list[_Tok]) -> tuple[int, int] | None:
    """Span of the deadline: the last date-like token (or range), unless an earlier one sits
    right after a funding value (``/``, an amount) and the last does not."""
    cands: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        s = _core(toks[i].text)
        nxt = toks[i + 1].text if i + 1 < n else ""
        if _DATE_TOKEN.fullmatch(s) and not _MONEY.match(nxt) and not toks[i].text.endswith("€"):
            start, end = i, i + 1
            if (i + 2 < n and toks[i + 1].text in _RANGE_JOINERS
                    and _is_year_like(toks[i + 2].text)):
                end = i + 3
            while start > max(0, i - 2) and _DATE_PREFIX.fullmatch(_fold(toks[start - 1].text)):
                start -= 1
            cands.append((start, end))
            i = end
            continue
        if _fold(s) in _OPEN_WORDS:
            cands.append((i, i + 1))
        i += 1
    if not cands:
        return None
    best = cands[-1]

    def after_funding(span: tuple[int, int]) -> bool:
        if span[0] == 0:
            return False
        prev = toks[span[0] - 1].text
        return prev in _SLASHES or bool(_MONEY.search(prev))

    if not after_funding(best):
        for span in reversed(cands[:-1]):
            if after_funding(span):
                return span
    return best


class _Scorer:
    """Scores of every way to cut the tokens before the deadline into title/domain/referents/
    funding.  ``vocab`` holds the domains and referents of rows already split without doubt."""

    def __init__(self, toks: list[_Tok], vocab: dict[str, set[str]]):
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

    def _sanity(self, part: list[_Tok]) -> float:
        """Penalty for sentence-like text in a short cell."""
        pen = 0.0
        for t in part:
            s = t.text
            if s.endswith((".", ",", ":", ";", "…")) and not _is_abbrev(s):
                pen -= 1.5
            if "(" in s or ")" in s:
                pen -= 1.5
        return pen

    def _name_cell(self, kind: str, part: list[_Tok]) -> float:
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
        if _MONEY.search(text) or any(t.text in _SLASHES for t in part):
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

    def _funding(self, part: list[_Tok]) -> float:
        if not part:
            return -0.5
        text = " ".join(t.text for t in part)
        if text in _SLASHES:
            return 2.0
        s = 0.0
        if _MONEY.search(text):
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


def _split_row(lines: list[tuple[int, str]], vocab: dict[str, set[str]]) -> _Split | None:
    toks = _tokens(lines)
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
    return _Split(" ".join(t.text for t in toks[:i]),
                  {key: v for key, v in cells.items() if v}, best_score, margin,
                  span is not None, cell(f, len(toks)))


def _indicator_end(toks: list[_Tok], e: int) -> int:
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


def _split_cells(row: _Row, header_map: dict[int, str]) -> _Split:
    """A row that a reader already gave as cells (DOCX, XLSX, PDF tables): columns by the
    header row when there is one, else in the layout's order after the action cell."""
    cells_in = [" ".join(c.split()) for c in (row.cells or ())]
    m = _ACTION.match(cells_in[0]) if cells_in else None
    shift = 1 if m and not m["rest"].strip() and len(cells_in) > 1 else 0  # code column apart
    order = header_map or {shift + i: key for i, key in enumerate(_COLUMNS)}
    title_at = next((i for i, key in order.items() if key == "title"), shift)
    title = cells_in[title_at] if title_at < len(cells_in) else ""
    if title_at == 0 and m:
        title = m["rest"]
    cells = {order[i]: (c, row.line) for i, c in enumerate(cells_in)
             if i in order and order[i] != "title" and c}
    return _Split(title, cells, 99.0, 99.0, "deadline" in cells)


def _learn(splits: Iterable[_Split | None]) -> dict[str, set[str]]:
    vocab: dict[str, set[str]] = {"domain": set(), "owners": set()}
    for sp in splits:
        if sp is None or sp.margin < 2 * CONFIDENT_MARGIN:  # only rows split without doubt
            continue
        for kind in vocab:
            if kind in sp.cells:
                toks = _tokens([(0, sp.cells[kind][0])])
                vocab[kind].update(_unit_key(u) for u in _units(toks))
    return vocab


# -- building the draft ----------------------------------------------------------------------


def _name_for(heading: str, names: list[tuple[str, int]]) -> tuple[str, int] | None:
    h = _fold(heading).strip()
    if not h:
        return None
    for name, line in names:
        n = _fold(name).strip()
        if min(len(n), len(h)) >= 3 and (n.startswith(h) or h.startswith(n)):
            return name, line  # CITOYEN ↔ Citoyens
    return None


def _definition_for(name: str, defs: list[tuple[str, str, int]]) -> tuple[str, int] | None:
    n = _fold(name)
    for key, text, line in defs:
        k = _fold(key)
        if k == n or (min(len(k), len(n)) >= 4 and (k.startswith(n) or n.startswith(k))):
            return text, line
    return None


def _os_code(title: str, oos: list[_OO]) -> str | None:
    letters = {oo.letters for oo in oos if oo.letters}
    if len(letters) != 1:
        return None
    letter = letters.pop()
    words = re.findall(r"\w+", _fold(title).upper())
    initials = "".join(w[0] for w in words if len(w) > 3)  # Ressources Humaines → RH
    if words and (words[0].startswith(letter) or initials.startswith(letter)):
        return letter
    return None


def _plan_header(draft: PlanDraft, doc: Document, out: _Outline) -> None:
    head = " ".join(ln.text for ln in doc.lines[:15])
    if m := _PERIOD.search(head):
        draft.period_start, draft.period_end = int(m[1]), int(m[2])
    title = out.title
    title = re.sub(rf"^\s*{_YEAR}\s*[-–/à]+\s*{_YEAR}\s*[:\-–]?\s*", "", title).strip()
    draft.title = title.strip(" :-–")
    whole = _fold(" ".join(ln.text for ln in doc.lines[:200]))
    if "programme strategique transversal" in whole or re.search(r"\bpst\b", whole):
        draft.kind = "pst"
    if m := re.search(r"\b(CPAS|OCMW|Commune|Ville)\s+(?:de\s+(?:la\s+)?|d[’']\s*|du\s+)"
                      rf"([{_UP}][\w’'-]+(?:[ -][{_UP}][\w’'-]+)*)",
                      " ".join(ln.text for ln in doc.lines[:200])):
        draft.organization = f"{m[1]} de {m[2]}"


def _sections(out: _Outline) -> list[tuple[str, int, str | None, int | None, list[_OO]]]:
    """(title, line, description, description line, OOs) of each strategic objective."""
    result = []
    for sec in out.sections:
        named = _name_for(sec.heading, out.names)
        title = named[0] if named else sec.heading
        if title.isupper():
            title = title.capitalize()
        desc = _definition_for(title, out.definitions)
        result.append((title, sec.line, desc[0] if desc else None,
                       desc[1] if desc else None, sec.oos))
    if out.loose and out.names and not out.sections:
        # no headings: group the OOs under the listed names by their initial
        for name, line in out.names:
            oos = [oo for oo in out.loose if oo.letters and _os_code(name, [oo])]
            if oos:
                desc = _definition_for(name, out.definitions)
                result.append((name, line, desc[0] if desc else None,
                               desc[1] if desc else None, oos))
        grouped = {id(oo) for r in result for oo in r[4]}
        out.loose = [oo for oo in out.loose if id(oo) not in grouped]
    return result


def _add_oo(draft: PlanDraft, oo: _OO, parent: str | None) -> str | None:
    if not oo.letters:  # placeholder for actions met before any OO
        return parent
    node = draft.add(oo.title or f"Objectif opérationnel {oo.code}", code=oo.code, parent=parent,
                     line=oo.line, level=LEVELS[1], printed=oo.printed or None)
    if not oo.title:
        draft.warn(f"objectif opérationnel {oo.code} sans intitulé", oo.line, node.code)
    return node.code


def _parent_for(draft: PlanDraft, row: _Row, oo_code: str | None, os_code: str | None,
                created: dict[str, str]) -> str | None:
    m = _ACTION.match(row.printed + " :")
    wanted = f"{m['letters']}{m['oo']}" if m else None
    if wanted and wanted == oo_code:
        return oo_code
    if wanted and wanted in draft and draft.get(wanted).level == LEVELS[1]:
        draft.warn(f"action {row.code} hors de son objectif opérationnel {wanted}",
                   row.line, row.code)
        return wanted
    if wanted and wanted in created:
        return created[wanted]
    if wanted:
        node = draft.add(f"Objectif opérationnel {wanted}", code=wanted, parent=os_code,
                         line=row.line, level=LEVELS[1])
        created[wanted] = node.code
        draft.warn(f"objectif opérationnel {wanted} absent: créé pour l'action {row.code}",
                   row.line, node.code)
        return node.code
    return oo_code


def _fill_action(draft: PlanDraft, row: _Row, split: _Split | None, parent: str | None) -> None:
    title = split.title if split and split.title else ""
    node = draft.add(title or f"Action {row.code}", code=row.code, parent=parent, line=row.line,
                     level=LEVELS[2], printed=row.printed)
    if split is None:
        draft.warn(f"action {row.code}: ligne sans contenu", row.line, node.code)
        return
    if not title:
        draft.warn(f"action {row.code}: intitulé introuvable", row.line, node.code)
    c = split.cells
    for key in ("domain", "owners", "funding", "deadline"):
        if key in c:
            node.set(key, c[key][0], c[key][1])
    if "funding" in c:
        text, line = c["funding"]
        if m := re.search(r"\d+(?:[.,]\d+)?\s*ETP\b", text, re.I):
            node.set("fte", m.group(), line)
        elif _MONEY.search(text):
            node.set("budget_eur", text, line)
    if "indicator" in c:
        node.add_indicator(c["indicator"][0], None, c["indicator"][1])
    where = (c.get("domain") or c.get("deadline") or (None, row.line))[1]
    if split.leftover:
        text, line = split.leftover
        draft.warn(f"action {row.code}: texte après la ligne du tableau ignoré: {text[:60]!r}",
                   line, node.code)
    if not split.has_deadline:
        draft.warn(f"action {row.code}: échéance introuvable dans la ligne du tableau",
                   where, node.code)
    elif split.margin < CONFIDENT_MARGIN and row.cells is None:
        parts = " | ".join(c[k][0] for k in ("domain", "owners", "funding") if k in c)
        draft.warn(f"action {row.code}: découpage des cellules incertain ({parts})",
                   where, node.code)


def _build(doc: Document, out: _Outline) -> PlanDraft:
    draft = PlanDraft(kind="other", levels=list(LEVELS), source=doc.name, layout=NAME)
    _plan_header(draft, doc, out)
    sections = _sections(out)

    all_rows = [r for s in sections for oo in s[4] for r in oo.rows]
    all_rows += [r for oo in out.loose for r in oo.rows]
    splits: dict[int, _Split | None] = {}
    for r in all_rows:
        if r.cells is None:
            splits[id(r)] = _split_row(r.lines, {})
    vocab = _learn(splits.values())
    for r in all_rows:
        splits[id(r)] = (_split_cells(r, out.header_map) if r.cells is not None
                         else _split_row(r.lines, vocab))

    created: dict[str, str] = {}

    def add_oos(oos: list[_OO], os_code: str | None) -> None:
        for oo in oos:
            oo_code = _add_oo(draft, oo, os_code)
            for r in oo.rows:
                parent = _parent_for(draft, r, oo_code if oo.letters else None, os_code,
                                     created)
                _fill_action(draft, r, splits[id(r)], parent)

    for title, line, desc, desc_line, oos in sections:
        code = _os_code(title, oos)
        if code in draft:  # two objectives with the same initial: number them instead
            code = None
        node = draft.add(title or "Objectif stratégique", code=code, line=line, level=LEVELS[0])
        node.set("description", desc, desc_line)
        add_oos(oos, node.code)
    if out.loose:
        if sections:
            draft.warn("objectifs opérationnels hors de tout objectif stratégique",
                       out.loose[0].line or None)
        add_oos(out.loose, None)
    if not draft.nodes:
        draft.warn("aucun objectif ni action codés reconnus")
    return draft.finish()


def parse(doc: Document) -> PlanDraft:
    """Lines of a letter-code PST → PlanDraft (printed strings in fields; see finalize())."""
    try:
        return _build(doc, _read_outline(doc))
    except IngestError:
        raise
    except Exception as exc:  # the contract: nothing but IngestError escapes a parser
        raise IngestError(f"mise en page {NAME}: {type(exc).__name__}: {exc}",
                          file=doc.name) from exc
