"""Layout "service_codes": projects coded by service (directorate–service–number) in an annex.

Features of the layout (as a PDF-to-text extraction shows them):

- **Prose first.**  A diagnosis (surveys, usage, finances, complaints), priorities and axes are
  written as prose under numbered headings (``4 Etat des lieux``, ``4.1 …``); they are *not*
  nodes.  A numbered list after a sentence about "axes" is kept in ``plan.extra["axes"]``.
- **An annex of project tables** under numbered headings, one heading per directorate
  (``6.1.1 La direction générale sociale``) and per service (``6.1.1.1 L'aide sociale``), a
  service possibly split further (``6.1.5.1.1 …``).  A service opens with ``Mission :`` and
  ``Vision :`` paragraphs, then a column header block (``N° Prj. / Projet / Objectif (état final
  souhaité) / Chef de projet / Supporting enablers / Steering group / Timing``).
- **Project codes** ``<directorate letters>-<service letters>-<number>`` (``DS-S-2``,
  ``DI-L-3``), or ``<letters>-<number>`` (``A-4``, ``DKV-1``, ``PR-8``), typed inconsistently
  (``DI-L 2``, ``Pr-1``, ``DI -L``, the number wrapped onto the next line).  They are normalised
  to upper case with hyphens; the printed form is kept.
- **Rows wrapped over several lines.**  Only the order of the cells survives: the project title
  (wrapped in a narrow column, or followed on its first line by the objective), the objective,
  the timing (``2023``, ``2023-2028``, ``Continu``, ``Permanent``, ``Réalisé``, with a
  parenthesised note that may wrap), then project lead, supporting enablers and steering group,
  separated by runs of spaces or blank lines.  The timing is the pivot: before it the title and
  objective, after it the people.  The width of a run of spaces tells how many empty columns it
  stands for; a block after a blank line moves one column right, the last one is the steering
  group.  A second pass puts a code the document nearly always prints in one column (``CODIR``)
  back there when the spacing misled the first, with a warning.

A code line is a project when a column header came before it or when its first letters open
several lines (so that a stray ``ODD-3 …`` in the prose is not one).  Readers that keep tables (DOCX,
spreadsheets) give rows as cells: those are read by the header row's labels, and headings marked
by style count as headings even without a number.

Tree: directorate heading → service heading(s) → project.  Headings that hold no project (the
prose part, the annex title) are not nodes.  A project found where no heading names its service
(no heading at all, or a heading whose projects carry another prefix that has no heading of its
own) gets a node made from its code prefix, with a warning.  :func:`parse` leaves fields as
printed strings; ``finalize()`` turns them into the contract's shapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from jalon.ingest.document import Document
from jalon.ingest.draft import NodeDraft, PlanDraft
from jalon.ingest.errors import IngestError

NAME = "service_codes"
LEVELS = ["Direction", "Service", "Projet"]

# -- patterns of the layout ------------------------------------------------------------------

# a project code at the start of a line: DS-S-2, DI-L 2, DI -L-7, Pr-1, A-4, DKV-1, ab-c 7
_CODE = re.compile(
    r"^(?P<indent>\s*)(?P<code>(?P<a>[A-Za-z]{1,4})(?:\s?-\s?(?P<b>[A-Za-z]{1,4}))?"
    r"(?P<sep>\s?-\s?|\s)(?P<n>\d{1,3}))(?=\s|$)(?P<rest>.*)$"
)
_BROKEN_CODE = re.compile(r"^\s*(?P<code>[A-Za-z]{1,4}\s?-\s?[A-Za-z]{1,4}\s?-)\s*$")
_DIGITS_ONLY = re.compile(r"^\s*(\d{1,3})\s*$")
_HEADING = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})(?P<dot>\.?)\s+(?P<title>\S.*?)\s*$")
_TOC_ENTRY = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+\S")
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d+\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\.?\s*$")
_TRAILING_PAGE = re.compile(r"\s+\d{1,3}\.?\s*$")
_HEADER_START = re.compile(r"^\s*(?:N[°º]|No\.?\s*$|(?:No|Nr|Non)\.?\s+Pr|Prj\.?\s*N[°º])")
_HEADER_WORDS = re.compile(
    r"steering|supporting|enablers?\b|\btiming\b|chef de projet|project lead|groupe directeur"
    r"|objectif \(", re.I)
_UNIT_TITLE = re.compile(r"^(?:la |le |les |l['’]\s?)?(?:direction|departement|service)")
_LABEL = re.compile(
    r"^\s*(?P<label>Mission|Affectation|Vision)\b[^:]{0,30}:\s*(?P<text>.*)$", re.I)

_YEAR = r"(?:19|20)\d{2}"
_YEAR_END = r"(?:(?:19|20|2à)\d{2}|\d{2})"  # 2028, 28, the typo 2à24
_TIMING = re.compile(
    rf"(?<![\w/.,'’-])(?P<t>{_YEAR}(?:\s*[-–—/]\s*{_YEAR_END})?"
    r"|(?i:continu|permanent|réalisée?|realisee?|en cours|terminée?))(?![\w/%€'’-])"
)
_DONE = re.compile(r"r[ée]alis[ée]|termin[ée]", re.I)
_PERIOD = re.compile(rf"\b({_YEAR})\s*[-–/]\s*({_YEAR})\b")
_TITLE_WORDS = re.compile(r"^\W*(plan|programme|contrat|note)\b", re.I)
_ACRONYM = re.compile(r"\b[A-Z]{3,8}\b")

# words after which a year is part of a sentence, not a timing cell ("après 2026", "d'ici 2026")
_DATE_PREPS = {"de", "d", "du", "des", "en", "après", "apres", "avant", "depuis", "dès", "le",
               "la", "l", "fin", "début", "debut", "partir", "ici", "jusqu", "vers", "à", "a",
               "au", "mi", "horizon", "et", "ou", "an", "année", "entre", "janvier", "mars",
               "juin", "septembre", "décembre", "novembre", "octobre"}
# words a wrapped title or cell does not end with
_CONNECTORS = {"de", "d", "du", "des", "la", "le", "les", "l", "et", "à", "au", "aux", "pour",
               "en", "sur", "avec", "par", "un", "une", "dans", "ou", "+", "-", "–", "&"}
_JOINERS = {"+", "-", "–", "&", "/", ":", "et"}
# what a narrow column leaves on the next line of a cut word ("communic / ation")
_WORD_ENDS = {"ation", "ations", "tion", "tions", "ion", "ions", "ment", "ments", "ement", "es",
              "ité", "ités", "ique", "iques", "eur", "eurs"}
_NOT_INFINITIVES = {"centre", "registre", "cahier", "dossier", "premier", "dernier", "entier",
                    "leur", "notre", "votre", "autre", "ordre", "titre", "cadre", "nombre",
                    "membre", "chiffre", "lettre", "offre", "plaisir", "avenir", "pouvoir",
                    "devoir", "savoir", "soir", "espoir", "courrier", "calendrier", "métier",
                    "chantier", "quartier", "fichier", "papier", "hiver", "filière", "matière"}

_TITLE_MAX = 40  # a project title wider than this shares its first line with the objective
_SPLIT_MIN = 35  # a first line shorter than this holds the title only

LEAD, ENABLERS, STEERING = 0, 1, 2
_COLUMN_FIELDS = {LEAD: "owners", ENABLERS: "enablers", STEERING: "steering"}


# -- small text helpers ------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _last_word(text: str) -> str:
    words = re.split(r"[\s'’]+", text.strip())
    return words[-1].strip(".,;:()«»\"").casefold() if words else ""


def _ends_with_connector(text: str) -> bool:
    text = text.rstrip()
    if not text:
        return False
    if text[-1] in "+-–&,/(" or text.endswith(("'", "’")):
        return True
    return _last_word(text) in _CONNECTORS


def _join_wrapped(left: str, right: str) -> str:
    """Join a wrapped line, gluing a word the column cut (``collaboratio`` + ``n avec``)."""
    left, right = left.rstrip(), right.strip()
    if not left:
        return right
    if not right:
        return left
    head = right.split()[0]
    tail = left.split()[-1]
    cut = (len(head) == 1 and head.isalpha() and head.islower() and head not in "aày") or (
        head in _WORD_ENDS)
    if cut and tail.isalpha() and tail[-1].islower() and len(tail) >= 3 and (
            tail.casefold() not in _CONNECTORS):
        return left + right
    return f"{left} {right}"


def _is_code_token(token: str) -> bool:
    """A service code or acronym that is a cell on its own: DC-L, DE-R, CODIR, SMC."""
    t = token.strip(",;.")
    return bool(re.fullmatch(r"[A-Z]{1,5}(?:\s?-\s?[A-Z]{1,5})+|[A-Z]{3,8}", t))


def _is_code_like(text: str) -> bool:
    """Only codes, acronyms and joiners: 'DG H&WB', 'CGG - SSD', 'DI-L'."""
    tokens = text.replace(",", " ").split()
    return bool(tokens) and all(
        re.fullmatch(r"[A-Z][A-Z&]{1,7}(?:-[A-Z&]{1,7})*", t) or t in {"+", "-", "–", "/", "&"}
        for t in tokens)


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def _is_infinitive(word: str) -> bool:
    w = word.strip(".,;:()«»\"").casefold()
    return (len(w) >= 5 and w.endswith(("er", "ir", "re", "oir")) and w not in _NOT_INFINITIVES
            and w.isalpha())


def _leading_spaces(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


# -- lines -----------------------------------------------------------------------------------

@dataclass
class _Ln:
    number: int
    raw: str  # right-stripped, leading spaces kept (they stand for empty columns)
    style: str = ""  # "heading 2" when the reader knows it
    cells: tuple[str, ...] | None = None  # a table row (DOCX, XLSX …)

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


def _prepare(doc: Document) -> list[_Ln]:
    """Right-stripped lines without running headers and page numbers; wrapped codes rejoined."""
    raws = [ln.text.replace("\t", "    ").replace("\u00a0", " ").rstrip() for ln in doc.lines]
    numbers = [ln.number for ln in doc.lines]
    counts = Counter(_TRAILING_PAGE.sub("", r.strip()) for r in raws if r.strip())
    out: list[_Ln] = []
    skip = set()
    for i, raw in enumerate(raws):
        if i in skip:
            continue
        key = _TRAILING_PAGE.sub("", raw.strip())
        if key and counts[key] >= 5 and len(key) >= 15 and not _CODE.match(raw):
            continue  # running header
        if _PAGE_NUMBER.match(raw):
            continue
        m = _BROKEN_CODE.match(raw)
        if m:
            j = next((k for k in range(i + 1, min(i + 4, len(raws))) if raws[k].strip()), None)
            if j is not None and _DIGITS_ONLY.match(raws[j]):
                raw = m.group("code").replace(" ", "") + raws[j].strip()
                skip.add(j)
        line = doc.lines[i]
        cells = tuple(" ".join(c.split()) for c in line.cells) if line.cells else None
        out.append(_Ln(numbers[i], raw, line.style or "", cells))
    return out


# -- the document's structure ------------------------------------------------------------------

@dataclass
class _Row:
    code: str
    printed: str
    prefix: str
    line: int
    body: list[_Ln]  # body[0] is the code line without the code
    heading: _Heading | None = None
    cells: dict[str, str] | None = None  # a table row: field → text, by the header's labels


@dataclass
class _Heading:
    number: str
    title: str
    line: int
    printed: bool = True  # False: a styled heading without a number (the code is derived)
    intro: list[_Ln] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    parent: _Heading | None = None
    kept: bool = False
    node_code: str | None = None
    prefixes: set[str] = field(default_factory=set)


def _match_code(raw: str) -> tuple[str, str, str, str] | None:
    """(normalised code, printed code, prefix, rest) when the line opens with a project code."""
    m = _CODE.match(raw)
    if not m:
        return None
    printed = m.group("code")
    if "-" not in printed:
        return None  # "Les 3 …", "Page 5": a code always has a hyphen somewhere
    rest = m.group("rest")
    if rest.strip() and not re.match(r"\s+[^\d\s]", rest):
        return None  # "nov-21 14417": a month in a table of figures
    prefix = m.group("a").upper() + ("-" + m.group("b").upper() if m.group("b") else "")
    return f"{prefix}-{int(m.group('n'))}", printed.strip(), prefix, rest


def _heading_match(raw: str) -> tuple[str, str, bool] | None:
    if _TOC_LINE.search(raw):
        return None
    m = _HEADING.match(raw)
    if not m:
        return None
    title = m.group("title")
    if not (title[0].isupper() or title[0] in "«\"“'’") or sum(c.isalpha() for c in title) < 4:
        return None
    if len(title) > 110:
        return None
    return m.group("num"), title, bool(m.group("dot"))


def _toc_numbers(lines: list[_Ln]) -> set[str]:
    """Section numbers listed in a table of contents (lines ending in dot leaders + page)."""
    out = set()
    for ln in lines:
        m = _TOC_ENTRY.match(ln.raw)
        if m and _TOC_LINE.search(ln.raw):
            out.add(m.group("num"))
    return out


def _follows(number: str, path: list[str]) -> bool:
    """Does a heading number continue the numbering (child, or next sibling of one on path)?"""
    parts = [int(p) for p in number.split(".")]
    if not path:
        return True
    current = [int(p) for p in path[-1].split(".")]
    if parts[:-1] == current and parts[-1] == 1:
        return True  # first child
    for depth in range(len(current)):
        if len(parts) == depth + 1 and parts[:-1] == current[:depth]:
            return current[depth] < parts[-1] <= current[depth] + 3
    return False


# table cells (DOCX, spreadsheets): which column holds what, from the header row's labels
_CELL_LABELS = (
    ("owners", re.compile(r"chef de projet|project lead|responsable|pilote")),
    ("enablers", re.compile(r"enabler|support")),
    ("steering", re.compile(r"steering|groupe directeur|comite")),
    ("timing", re.compile(r"timing|echeance|calendrier|planning|delai")),
    ("objective", re.compile(r"objectif")),
    ("description", re.compile(r"description")),
    ("code", re.compile(r"^(?:n[°o]|nr|non|code|prj)")),
    ("title", re.compile(r"projet|intitule|titre")),
)
_DEFAULT_COLUMNS = ("code", "title", "objective", "timing", "owners", "enablers", "steering")
_STYLE_HEADING = re.compile(r"(?:heading|titre)\s*(\d)", re.I)


def _cell_columns(cells: tuple[str, ...]) -> tuple[str, ...] | None:
    """Field per column when a table row is a header (3+ known labels), else None."""
    out: list[str] = []
    for cell in cells:
        label = _fold(cell)
        out.append(next((key for key, rx in _CELL_LABELS if rx.search(label)), ""))
    return tuple(out) if sum(1 for k in out if k) >= 3 else None


def _cell_row(ln: _Ln, columns: tuple[str, ...]) -> _Row | None:
    """A table row whose first filled cell is a project code."""
    cells = ln.cells or ()
    first = next((i for i, c in enumerate(cells) if c), None)
    if first is None:
        return None
    code = _match_code(cells[first])
    if not code:
        return None
    values: dict[str, str] = {}
    rest = code[3].strip()
    for i, cell in enumerate(cells[first + 1:], start=first + 1):
        key = columns[i] if i < len(columns) and columns[i] else ""
        if key and key != "code" and cell:
            values[key] = f"{values[key]}\n{cell}" if key in values else cell
    if rest:
        values["title"] = f"{rest} {values.get('title', '')}".strip()
    return _Row(code[0], code[1], code[2], ln.number, [_Ln(ln.number, "")], None, values)


def _styled_heading(ln: _Ln, counters: list[int]) -> tuple[str, str, bool] | None:
    """A heading the reader marked by style; numbered from its level when it prints none."""
    m = _STYLE_HEADING.search(ln.style)
    if not m or ln.blank or ln.cells:
        return None
    depth = max(1, int(m.group(1)))
    printed = _heading_match(ln.raw)
    if printed:
        return printed[0], printed[1], True
    del counters[depth:]
    counters.extend([0] * (depth - len(counters)))
    counters[depth - 1] += 1
    return ".".join(str(c) for c in counters), ln.text, False


class _Scanner:
    """One pass over the lines: headings, rows (text or cells), and what lies between."""

    def __init__(self, lines: list[_Ln]) -> None:
        self.lines = lines
        self.headings: list[_Heading] = []
        self.order: list[_Heading | _Row] = []  # headings and rows in document order
        self.path: list[_Heading] = []
        self.row: _Row | None = None
        self.in_header = False
        self.header_seen = False
        self.seen: set[str] = set()
        self.toc = _toc_numbers(lines)
        self.toc_depth = max((n.count(".") + 1 for n in self.toc), default=0)
        self.style: list[bool] = []  # "1 Titre" or "1. Titre": top-level headings keep one
        self.columns: tuple[str, ...] = _DEFAULT_COLUMNS
        self.counters: list[int] = []
        codes = (_match_code(ln.raw) for ln in lines)
        self.letters = Counter(c[2].split("-")[0] for c in codes if c)

    def run(self) -> _Scanner:
        for ln in self.lines:
            if self._heading(ln):
                continue
            if ln.cells:
                self._cells_line(ln)
            elif not self._code_line(ln):
                self._text_line(ln)
        return self

    def _heading(self, ln: _Ln) -> bool:
        styled = _styled_heading(ln, self.counters)
        h = styled or (None if ln.cells else _heading_match(ln.raw))
        if h is None:
            return False
        if not styled:
            if not _follows(h[0], [p.number for p in self.path]):
                return False
            if h[0].count(".") + 1 <= self.toc_depth and h[0] not in self.toc:
                return False  # a numbered list item, not a section of the table of contents
            if "." not in h[0]:
                self.style = self.style or [h[2]]
                if self.style[0] != h[2]:
                    return False
        heading = _Heading(h[0], h[1], ln.number, printed=h[2] if styled else True)
        while self.path and not h[0].startswith(self.path[-1].number + "."):
            self.path.pop()
        heading.parent = self.path[-1] if self.path else None
        self.path.append(heading)
        self.headings.append(heading)
        self.order.append(heading)
        self.row, self.in_header = None, False
        return True

    def _add_row(self, row: _Row) -> None:
        self.seen.add(row.code)
        row.heading = self.path[-1] if self.path else None
        if self.path:
            self.path[-1].rows.append(row)
        self.order.append(row)
        self.row, self.in_header = row, False

    def _cells_line(self, ln: _Ln) -> None:
        cells = ln.cells or ()
        header = _cell_columns(cells)
        if header:
            self.columns, self.row, self.in_header = header, None, True
            return
        found = _cell_row(ln, self.columns)
        if found:
            self._add_row(found)
        elif self.row is not None and self.row.cells is not None and not cells[0]:
            _merge_cells(self.row, ln, self.columns)  # a cell merged down: the row goes on

    def _code_line(self, ln: _Ln) -> bool:
        code = _match_code(ln.raw)
        if not code or not (self.header_seen or self.letters[code[2].split("-")[0]] >= 2):
            return False  # no code, or a lone "ODD-3 …" in the prose
        if code[0] in self.seen and not code[3].strip():
            return False  # a known code alone on its line: a reference in a cell
        self._add_row(_Row(code[0], code[1], code[2], ln.number, [_Ln(ln.number, code[3])]))
        return True

    def _text_line(self, ln: _Ln) -> None:
        if _HEADER_START.match(ln.raw) and not ln.blank:
            self.row, self.in_header, self.header_seen = None, True, True
        elif self.row is not None:
            self.row.body.append(ln)
        elif self.path and not self.in_header:
            self.path[-1].intro.append(ln)


def _merge_cells(row: _Row, ln: _Ln, columns: tuple[str, ...]) -> None:
    for i, cell in enumerate(ln.cells or ()):
        key = columns[i] if i < len(columns) else ""
        if key and key != "code" and cell:
            old = (row.cells or {}).get(key)
            row.cells = {**(row.cells or {}), key: f"{old}\n{cell}" if old else cell}


def _keep_headings(headings: list[_Heading]) -> None:
    """Keep the headings holding projects; drop a lone annex title above the directorates."""
    for h in headings:
        if h.rows:
            p: _Heading | None = h
            while p is not None:
                p.kept = True
                p = p.parent
    while True:
        tops = [h for h in headings if h.kept and _kept_parent(h) is None]
        if len(tops) != 1 or tops[0].rows or _UNIT_TITLE.match(_fold(tops[0].title)):
            return
        top = tops[0]
        if not any(_kept_parent(g) is not None and _kept_parent(_kept_parent(g)) is top
                   for g in headings if g.kept):
            return  # no grandchildren: the lone top is the only directorate
        top.kept = False


def _kept_parent(h: _Heading) -> _Heading | None:
    p = h.parent
    while p is not None and not p.kept:
        p = p.parent
    return p


# -- reading a row -----------------------------------------------------------------------------

@dataclass
class _RowData:
    title: str = ""
    title_line: int | None = None
    objective: list[str] = field(default_factory=list)
    objective_line: int | None = None
    timing: list[str] = field(default_factory=list)
    timing_line: int | None = None
    cells: dict[int, list[str]] = field(default_factory=dict)
    cell_lines: dict[int, int] = field(default_factory=dict)
    comment: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to warn about


def _timing_at(raw: str, start: int = 0, line_start_only: bool = False) -> re.Match | None:
    """The first timing cell in ``raw`` from ``start`` (not a year inside a sentence)."""
    bullet = bool(re.match(r"\s*[-•–*]\s", raw))
    for m in _TIMING.finditer(raw, start):
        before = raw[:m.start()]
        at_start = not before.strip()
        if line_start_only and not at_start:
            return None
        token = m.group("t")
        after = raw[m.end():]
        if at_start:
            return m
        if token[0].islower() and not (after.startswith("  ") and after.strip()):
            continue  # "est en cours": a cell in lower case stands apart from the text
        if bullet or _last_word(before) in _DATE_PREPS or before.rstrip().endswith(("'", "’")):
            continue
        if after.strip() and not re.match(r"\s+(?:[A-ZÀ-Ý(+.]|\d)", after):
            continue
        return m
    return None


def _split_title(text: str, min_len: int = _SPLIT_MIN) -> tuple[str, str | None]:
    """Split a first line holding the title and the start of the objective."""
    if len(text) <= min_len:
        return text, None
    words = text.split(" ")
    upper: list[int] = []
    lower: list[int] = []
    for i in range(1, len(words)):
        w, prev = words[i], words[i - 1]
        left = " ".join(words[:i]).strip()
        if not w or not prev or len(left) > _TITLE_MAX or len(left) < 3:
            continue
        if _ends_with_connector(left) or left.endswith((":", "(", "/")):
            continue
        nxt = next((x for x in words[i + 1:] if x), "")
        if not nxt:
            continue
        if w[0].isupper() and not _is_acronym(w):
            if nxt[0].isupper() and not _is_acronym(nxt):
                continue  # "Premiers Soins", "Relations Défense Conserver": a name goes on
            upper.append(i)
        elif w[0].islower() and _is_infinitive(w):
            lower.append(i)
    cut = (upper or lower or [None])[0]
    if cut is None:
        return text, None
    return " ".join(words[:cut]).strip(), " ".join(words[cut:]).strip()


def _tail_like(ln: _Ln) -> bool:
    """A line that opens the people columns (its indent stands for empty cells)."""
    if ln.blank:
        return False
    lead = _leading_spaces(ln.raw)
    first = ln.text.split()[0]
    return lead >= 2 or (lead == 1 and _is_code_token(first))


def _gap_split(raw: str, start: int) -> int | None:
    """Position of a run of 3+ spaces after ``start`` (a column break), if any."""
    m = re.search(r"\S( {3,})\S", raw[start:])
    return start + m.start(1) if m else None


def _read_cells(row: _Row) -> _RowData:
    """A table row read by its header: the cells say what they are."""
    cells = row.cells or {}
    data = _RowData(title=_squash(cells.get("title", "")), title_line=row.line)
    if cells.get("objective"):
        data.objective, data.objective_line = [cells["objective"]], row.line
    if cells.get("description"):
        data.comment.append(cells["description"])
    for piece in re.split(r"[\n;]+", cells.get("timing", "")):
        if piece.strip():
            data.timing.append(_squash(piece))
            data.timing_line = row.line
    for col, key in _COLUMN_FIELDS.items():
        if cells.get(key):
            data.cells[col] = [cells[key]]
            data.cell_lines[col] = row.line
    return data


def _read_row(row: _Row) -> _RowData:
    if row.cells is not None:
        return _read_cells(row)
    data = _RowData()
    body = row.body
    i = 0
    empty_title = bool(body[0].text) and body[0].raw.startswith("  ")
    if not body[0].text:
        i = next((k for k in range(1, len(body)) if not body[k].blank), len(body))
    if i >= len(body):
        return data
    tail_at: tuple[int, int, str] | None = None  # (line index, column, how it opened)
    first = body[i]
    m = _timing_at(first.raw)
    alone = all(ln.blank for ln in body[i + 1:])
    if m and m.start() != _leading_spaces(first.raw) and not (
            first.raw[m.end():].strip() or alone):
        m = None  # a year closing a wrapped title line belongs to the title
    first_raw = first.raw[:m.start()] if m else first.raw
    gap = _gap_split(first_raw, _leading_spaces(first_raw))
    if m:
        tail_at = (i, m.start(), "timing")
    if gap is not None:
        first_raw, tail_at = first_raw[:gap], (i, gap, "gap")
    text = _squash(first_raw)
    j = i + 1
    if empty_title:
        data.objective.append(text)
        data.objective_line = first.number
    else:
        title, rest = _split_title(text)
        data.title, data.title_line = title, first.number
        if rest:
            data.objective.append(rest)
            data.objective_line = first.number
        elif tail_at is None:
            j = _read_title_lines(body, j, data)
    if tail_at is None:
        tail_at = _read_objective(body, j, data)
    if tail_at is not None:
        _read_tail(body, tail_at, data)
    if data.title and not data.objective:  # "Accueil Ouvrir un guichet" on one short line
        title, rest = _split_title(data.title, min_len=0)
        if rest:
            data.title, data.objective = title, [rest]
            data.objective_line = data.title_line
    return data


def _read_title_lines(body: list[_Ln], j: int, data: _RowData) -> int:
    """Wrapped title lines (same block); returns the index where the objective starts."""
    parts = [data.title]
    while j < len(body) and not body[j].blank and not _tail_like(body[j]):
        if _timing_at(body[j].raw) or _gap_split(body[j].raw, 0) is not None:
            break
        parts.append(body[j].text)
        j += 1
        if parts[-1].endswith(".") and j < len(body) and not body[j].blank:
            break  # "… intervenants." then the objective in the same block
    title = parts[0]
    for part in parts[1:]:
        title = _join_wrapped(title, part)
    if _ends_with_connector(title):
        k = j
        while k < len(body) and body[k].blank:
            k += 1
        if (k < len(body) and not _tail_like(body[k]) and not _timing_at(body[k].raw)
                and not _is_code_like(body[k].text)):
            title = _join_wrapped(title, body[k].text)
            j = k + 1
    data.title = _squash(title)
    return j


def _read_objective(body: list[_Ln], j: int, data: _RowData) -> tuple[int, int, str] | None:
    """Objective lines up to the timing or the first people cell."""
    for k in range(j, len(body)):
        ln = body[k]
        if ln.blank:
            continue
        if _tail_like(ln):
            return k, 0, "indent"
        m = _timing_at(ln.raw)
        end = m.start() if m else len(ln.raw)
        gap = _gap_split(ln.raw[:end], _leading_spaces(ln.raw))
        if gap is not None:
            end = gap
        piece = ln.raw[:end].strip()
        if piece:
            data.objective.append(piece)
            data.objective_line = data.objective_line or ln.number
        if gap is not None:
            return k, gap, "gap"
        if m:
            return k, m.start(), "timing"
    return None


def _take_timing(body: list[_Ln], k: int, raw: str, data: _RowData) -> tuple[int, str, int]:
    """Timing cells at the start of ``raw`` (line k); returns (last line used, rest, gap)."""
    while True:
        m = _timing_at(raw, line_start_only=True)
        if not m:
            break
        token = m.group("t")
        rest = raw[m.end():]
        note = re.match(r"\s*\(", rest)
        if note:  # "2025 - 2027 (En / fonction de la fin / des travaux)"
            pieces = [rest.strip()]
            while ")" not in " ".join(pieces) and k + 1 < len(body) and len(pieces) < 12:
                k += 1
                if not body[k].blank:
                    pieces.append(body[k].text)
            joined = " ".join(pieces)
            close = joined.find(")")
            token += " " + (joined[:close + 1] if close >= 0 else joined)
            rest = joined[close + 1:] if close >= 0 else ""
        data.timing.append(_squash(token))
        data.timing_line = data.timing_line or body[k].number
        if "2à" in token:
            data.notes.append(f"timing mal imprimé: {token!r}")
        raw = rest
    gap = _leading_spaces(raw)
    return k, raw, gap


def _cells(raw: str) -> list[tuple[int, str]]:
    """Cells of one line as (spaces before, text): runs of 2+ spaces, and codes standing alone.

    ``DC-V DI-W CODIR`` is three cells; ``DG H&WB`` and ``DS-S + Défense`` are one.
    """
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"( *)(\S+(?: \S+)*)", raw):
        gap = len(m.group(1))
        group: list[str] = []
        for token in m.group(2).split(" "):
            lone_code = len(group) == 1 and _is_code_token(group[0])
            if group and not _ends_with_connector(" ".join(group)) and token not in _JOINERS and (
                    _is_code_token(token) or lone_code):
                out.append((gap, " ".join(group)))
                gap, group = 1, []
            group.append(token)
        out.append((gap, " ".join(group)))
    return out


def _is_prose(text: str) -> bool:
    """A sentence that strayed into the people columns (a description, an objective)."""
    words = text.split()
    if len(words) < 3 or _is_code_token(words[0]):
        return False
    return " : " in text or (words[0][0].isupper() and _is_infinitive(words[0]))


@dataclass
class _Block:
    start: int  # the column of its first cell
    cells: list[list] = field(default_factory=list)  # [column, line, text, kind]


def _read_tail(body: list[_Ln], at: tuple[int, int, str], data: _RowData) -> None:
    """Timing, then lead / enablers / steering cells, line by line and block by block."""
    k, col, opening = at
    blocks: list[_Block] = []
    block: _Block | None = None
    raw = body[k].raw[col:]
    while k < len(body):
        if body[k].blank:
            block = None
        else:
            line_no = body[k].number
            had_timing = _timing_at(raw, line_start_only=True) is not None
            k, rest, gap = _take_timing(body, k, raw, data)
            cells = _cells(rest)
            if cells and block is None:
                if had_timing:
                    start = LEAD if gap <= 2 else STEERING
                elif opening == "gap":
                    start = LEAD if gap <= 3 else STEERING
                else:
                    start = LEAD if _leading_spaces(raw) <= 1 else ENABLERS
                block = _Block(start)
                blocks.append(block)
                _first_cells(block, cells, line_no)
            elif cells and block is not None:
                _more_cells(block, " ".join(t for _, t in cells), line_no)
        opening = "indent"
        k += 1
        raw = body[k].raw if k < len(body) else ""
    _assign_blocks(blocks, data)


def _first_cells(block: _Block, cells: list[tuple[int, str]], line_no: int) -> None:
    """The cells of a block's first line: one column each, a 2-space run skips a column."""
    col = block.start
    for n, (gap, text) in enumerate(cells):
        if n:
            col = min(STEERING, col + (1 if gap <= 1 else 2 if gap == 2 else 3))
        block.cells.append([col, line_no, text, "cell"])


def _more_cells(block: _Block, text: str, line_no: int) -> None:
    """A wrapped line: continues the last cell, or adds a name to its column, or is prose."""
    prev = block.cells[-1]
    if _ends_with_connector(prev[2]) or text[0] in "(+-–&" or (
            text[0].islower() and not _is_code_like(text)):
        prev[2] = _join_wrapped(prev[2], text)
    elif _is_prose(text):
        block.cells.append([prev[0], line_no, text, "prose"])
    elif _is_code_like(text) or _is_code_like(prev[2]):
        block.cells.append([prev[0], line_no, text, "cell"])
    else:
        prev[2] = _join_wrapped(prev[2], text)


def _assign_blocks(blocks: list[_Block], data: _RowData) -> None:
    """The first block keeps its columns; a later one moves right, the last is the steering."""
    people: list[_Block] = []
    for n, block in enumerate(blocks):
        if n and block.cells[0][2][:1].islower():  # "disposition des …": a wrapped objective
            data.objective.extend(c[2] for c in block.cells)
        else:
            people.append(block)
    previous = LEAD
    for n, block in enumerate(people):
        if n == 0:
            shift = 0
        elif n == len(people) - 1:
            shift = STEERING - block.start
        else:
            shift = min(STEERING, previous + 1) - block.start
        for col, line_no, text, kind in block.cells:
            if kind == "prose":
                (data.objective if _is_infinitive(text.split()[0]) else data.comment).append(text)
                continue
            text = re.sub(r"\b([A-Z]{1,4})(?: -|- )([A-Z]{1,4})\b", r"\1-\2", text.strip(" ."))
            if not text:
                continue
            col = max(LEAD, min(STEERING, col + shift))
            data.cells.setdefault(col, []).append(text)
            data.cell_lines.setdefault(col, line_no)
            previous = max(previous, col)


# -- building the draft ------------------------------------------------------------------------

def _fill_project(node: NodeDraft, data: _RowData, row: _Row, draft: PlanDraft) -> None:
    if data.objective:
        node.set("objective", _squash(" ".join(data.objective)), data.objective_line)
    if data.timing:
        timing = "; ".join(data.timing)
        node.set("timing", timing, data.timing_line)
        years = [int(y.replace("à", "0")) for t in data.timing
                 for y in re.findall(r"(?:19|20|2à)\d{2}", t)]
        years += [2000 + int(y) for t in data.timing
                  for y in re.findall(rf"{_YEAR}\s*[-–—/]\s*(\d{{2}})(?!\d)", t)]
        if years:
            node.set("start", str(min(years)), data.timing_line)
            node.set("end", str(max(years)), data.timing_line)
        if any(_DONE.search(t) for t in data.timing):
            node.set("status", "done", data.timing_line)
    for col, key in _COLUMN_FIELDS.items():
        if data.cells.get(col):
            node.set(key, "\n".join(data.cells[col]), data.cell_lines.get(col))
    if data.comment:
        node.set("comment", _squash(" ".join(data.comment)), row.line)
    for note in data.notes:
        draft.warn(note, data.timing_line or row.line, node.code)


def _add_heading(draft: PlanDraft, h: _Heading) -> None:
    parent = _kept_parent(h)
    level = LEVELS[0] if parent is None else LEVELS[1]
    node = draft.add(h.title, code=h.number if h.printed else None,
                     parent=parent.node_code if parent else None,
                     line=h.line, level=level)
    h.node_code = node.code
    _fill_intro(node, h.intro)


def _fill_intro(node: NodeDraft, intro: list[_Ln]) -> None:
    """``Mission :`` → description, ``Vision :`` → objective (what the service wants to be)."""
    key: str | None = None
    texts: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    for ln in intro:
        m = _LABEL.match(ln.raw)
        if m:
            key = "objective" if _fold(m.group("label")) == "vision" else "description"
            texts.setdefault(key, [])
            first.setdefault(key, ln.number)
            if m.group("text").strip():
                texts[key].append(m.group("text").strip())
            continue
        if key is None or ln.blank:
            continue
        if ln.text.endswith(":") or _HEADER_WORDS.search(ln.text):
            key = None
            continue
        texts[key].append(ln.text)
    for key, parts in texts.items():
        node.set(key, "\n".join(parts), first[key])


def _service_for(draft: PlanDraft, row: _Row, heading: _Heading | None,
                 made: dict[str, str]) -> str:
    """The code of the node a project goes under, creating one from its prefix if needed.

    ``made`` maps a prefix to the node made for it, and ``@prefix`` to the heading that holds
    its projects.
    """
    if heading is not None:
        if not heading.prefixes or row.prefix in heading.prefixes:
            heading.prefixes.add(row.prefix)
            made.setdefault("@" + row.prefix, heading.node_code or "")
            return heading.node_code or ""
        if "@" + row.prefix in made:  # a service printed elsewhere: the project stays here
            draft.warn(f"projet {row.code!r} rangé sous une autre rubrique que les "
                       f"projets {row.prefix!r}", row.line, row.code)
            return heading.node_code or ""
        if row.prefix not in made:
            parent = _kept_parent(heading)
            under = heading.node_code if parent is None else parent.node_code
            made[row.prefix] = _make_service(draft, row, under)
        return made[row.prefix]
    if row.prefix not in made:
        directorate = None
        if "-" in row.prefix:
            top = row.prefix.split("-")[0]
            if top not in made:
                node = draft.add(top, code=top, line=row.line, level=LEVELS[0])
                draft.warn(f"direction {top!r} sans titre dans le document: créée", row.line,
                           node.code)
                made[top] = node.code
            directorate = made[top]
        made[row.prefix] = _make_service(draft, row, directorate)
    return made[row.prefix]


def _make_service(draft: PlanDraft, row: _Row, parent: str | None) -> str:
    node = draft.add(row.prefix, code=row.prefix, parent=parent, line=row.line,
                     level=LEVELS[1] if parent else LEVELS[0])
    draft.warn(f"service {row.prefix!r} sans titre dans le document: créé", row.line, node.code)
    return node.code


def _add_project(draft: PlanDraft, row: _Row, parent: str | None) -> NodeDraft:
    data = _read_row(row)
    title = data.title or _squash(" ".join(data.objective)) or row.code
    node = draft.add(title, code=row.code, parent=parent, line=row.line, level=LEVELS[2],
                     printed=row.printed)
    if not data.title:
        draft.warn("projet sans intitulé imprimé: l'objectif sert de titre", row.line, node.code)
    _fill_project(node, data, row, draft)
    return node


def _settle_vocabulary(draft: PlanDraft, projects: list[NodeDraft]) -> None:
    """Second pass: a code the document nearly always prints in one column (``CODIR`` as the
    steering group) moves there in the rows where the spacing put it elsewhere."""
    keys = list(_COLUMN_FIELDS.values())
    seen: dict[str, Counter[str]] = {}
    for node in projects:
        for key in keys:
            for name in str(node.fields.get(key, "")).split("\n"):
                if _is_code_like(name):
                    seen.setdefault(name, Counter())[key] += 1
    for node in projects:
        for key in keys:
            names = [n for n in str(node.fields.get(key, "")).split("\n") if n]
            for name in names:
                home, count = (seen.get(name) or Counter({key: 0})).most_common(1)[0]
                total = sum(seen.get(name, Counter()).values())
                if home == key or count < 3 or count < 0.8 * total or home in node.fields:
                    continue
                rest = [n for n in names if n != name]
                line = node.field_lines.get(key)
                if rest:
                    node.fields[key] = "\n".join(rest)
                else:
                    del node.fields[key]
                    node.field_lines.pop(key, None)
                node.set(home, name, line)
                draft.warn(f"{name!r} placé en {home} comme dans les autres projets", line,
                           node.code)
                break


def _metadata(draft: PlanDraft, lines: list[_Ln], rows: int) -> None:
    texts = [ln.text for ln in lines if not ln.blank]
    for n, text in enumerate(texts[:80]):
        if _TITLE_WORDS.search(text) and len(text) < 90 and not _TOC_LINE.search(text):
            title = text
            period = _PERIOD.search(text)
            if not period and n + 1 < len(texts) and _PERIOD.fullmatch(texts[n + 1].strip()):
                period = _PERIOD.search(texts[n + 1])
                title = f"{text} {texts[n + 1]}"
            draft.title = _squash(title)
            if period:
                draft.period_start, draft.period_end = int(period.group(1)), int(period.group(2))
            break
    fold = _fold(draft.title)
    draft.kind = ("pst" if "transversal" in fold else "strategic" if "strateg" in fold
                  else "other")
    acronyms = Counter(a for t in texts for a in _ACRONYM.findall(t) if not _match_code(t))
    named = {m.group(1) for t in texts for m in re.finditer(r"\b[Ll]['’]\s?([A-Z]{3,8})\b", t)}
    for name, count in acronyms.most_common():
        if count >= 5 and name in named:  # "l'OCASC": the body speaks of itself
            draft.organization = name
            break
    axes = _axes(lines)
    if axes:
        draft.extra["axes"] = axes
    draft.extra["projects"] = rows


def _axes(lines: list[_Ln]) -> list[str]:
    """A numbered list (1. … 2. …) right after a sentence announcing axes."""
    for n, ln in enumerate(lines):
        if not re.search(r"\baxes?\b", ln.text, re.I) or _heading_match(ln.raw):
            continue
        items: list[str] = []
        lead_in = 0
        for nxt in lines[n + 1:n + 30]:
            if nxt.blank:
                continue
            m = re.match(r"^\s*(\d{1,2})[.)]\s+(\S.*)$", nxt.raw)
            if m and int(m.group(1)) == len(items) + 1:
                items.append(m.group(2).strip())
            elif items and not m and nxt.text[:1].islower():
                items[-1] += " " + nxt.text
            elif not items and lead_in < 2 and not _heading_match(nxt.raw):
                lead_in += 1  # the sentence announcing the list goes on
            else:
                break
        if len(items) >= 2:
            return items
    return []


# -- the parser's interface ----------------------------------------------------------------------

def score(doc: Document) -> float:
    """Project codes with a hyphen at the start of rows, several prefixes, the column labels."""
    try:
        codes: set[str] = set()
        prefixes: Counter[str] = Counter()
        for ln in doc.lines:
            found = _match_code(ln.text)
            if found and found[3].strip():
                codes.add(found[0])
                prefixes[found[2]] += 1
        text = "\n".join(ln.text for ln in doc.lines[:20000])
        labels = {m.group(0).casefold() for m in _HEADER_WORDS.finditer(text)}
    except Exception:  # noqa: BLE001 - score never fails
        return 0.0
    repeated = sum(1 for c in prefixes.values() if c >= 2)
    rows = min(1.0, len(codes) / 10) * min(1.0, repeated / 2)
    return round(0.65 * rows + 0.35 * min(1.0, len(labels) / 4), 3)


def parse(doc: Document) -> PlanDraft:
    try:
        return _parse(doc)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - bad input must surface as IngestError only
        raise IngestError(f"mise en page {NAME}: lecture impossible ({exc})",
                          file=doc.name) from exc


def _parse(doc: Document) -> PlanDraft:
    draft = PlanDraft(levels=list(LEVELS), layout=NAME, source=doc.name)
    lines = _prepare(doc)
    scan = _Scanner(lines).run()
    headings, order = scan.headings, scan.order
    _keep_headings(headings)
    made: dict[str, str] = {}
    projects: list[NodeDraft] = []
    for item in order:
        if isinstance(item, _Heading):
            if item.kept:
                _add_heading(draft, item)
            continue
        heading = item.heading
        kept = heading if heading is None or heading.kept else _kept_parent(heading)
        projects.append(_add_project(draft, item, _service_for(draft, item, kept, made) or None))
    _settle_vocabulary(draft, projects)
    _metadata(draft, lines, len(projects))
    if not projects:
        draft.warn("aucun projet codé (ex. « DS-S-2 ») trouvé")
    return draft.finish()
