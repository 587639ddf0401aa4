"""Table rows flattened into text whose *timing* cell is the pivot.

Project annexes printed as a table and extracted to text keep only the order of the cells of a
row: ``code | title | objective | timing | lead | supporting enablers | steering group``.  The
row is wrapped over several lines: the title (in a narrow column, or followed on its first line
by the objective), the objective, the timing (``2023``, ``2023-2028``, ``Continu``,
``Permanent``, ``Réalisé``, with a parenthesised note that may wrap), then the people, separated
by runs of spaces or blank lines.  The timing is the pivot: before it the title and objective,
after it the people.  The width of a run of spaces tells how many empty columns it stands for; a
block after a blank line moves one column right, the last one is the steering group.

:func:`read_row` reads a :class:`Row` (its lines, or its cells when a reader gave a table) into
:class:`RowData`; :func:`fill_project` puts that on a node (timing → start/end/status).  Used
by the reader of unit rows (:mod:`jalon.ingest.unitrows`).  :func:`fill` does both and names an
untitled row by its objective; rows given as cells (DOCX) are read by their header's labels
(:func:`header_columns`, :func:`cell_values`); :func:`settle_columns` is a second pass over the
rows that puts back in its column a code the document nearly always prints there.  Pure Python.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jalon.core.values import fold_accents

from .draft import NodeDraft, PlanDraft
from .i18n import _

YEAR = r"(?:19|20)\d{2}"
# 2028, 28, and «2à24»: on a French (AZERTY) keyboard «0» is «à» without Shift
_YEAR_END = r"(?:(?:19|20|2à)\d{2}|\d{2})"
_TIMING = re.compile(
    rf"(?<![\w/.,'’-])(?P<t>{YEAR}(?:\s*[-–—/]\s*{_YEAR_END})?"
    r"|(?i:continu|permanent|réalisée?|realisee?|en cours|terminée?))(?![\w/%€'’-])"
)
_DONE = re.compile(r"r[ée]alis[ée]|termin[ée]", re.I)

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
COLUMN_FIELDS = {LEAD: "owners", ENABLERS: "enablers", STEERING: "steering"}


# -- small text helpers ------------------------------------------------------------------------

fold = fold_accents


def squash(text: str) -> str:
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


def is_code_token(token: str) -> bool:
    """A service code or acronym that is a cell on its own: DC-L, DE-R, CODIR, SMC."""
    t = token.strip(",;.")
    return bool(re.fullmatch(r"[A-Z]{1,5}(?:\s?-\s?[A-Z]{1,5})+|[A-Z]{3,8}", t))


def is_code_like(text: str) -> bool:
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


@dataclass
class Ln:
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



@dataclass
class Row:
    code: str
    printed: str
    prefix: str
    line: int
    body: list[Ln]  # body[0] is the code line without the code
    heading: Any = None
    cells: dict[str, str] | None = None  # a table row: field → text, by the header's labels


@dataclass
class RowData:
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


def _tail_like(ln: Ln) -> bool:
    """A line that opens the people columns (its indent stands for empty cells)."""
    if ln.blank:
        return False
    lead = _leading_spaces(ln.raw)
    first = ln.text.split()[0]
    return lead >= 2 or (lead == 1 and is_code_token(first))


def _gap_split(raw: str, start: int) -> int | None:
    """Position of a run of 3+ spaces after ``start`` (a column break), if any."""
    m = re.search(r"\S( {3,})\S", raw[start:])
    return start + m.start(1) if m else None


def _read_cells(row: Row) -> RowData:
    """A table row read by its header: the cells say what they are."""
    cells = row.cells or {}
    data = RowData(title=squash(cells.get("title", "")), title_line=row.line)
    if cells.get("objective"):
        data.objective, data.objective_line = [cells["objective"]], row.line
    if cells.get("description"):
        data.comment.append(cells["description"])
    for piece in re.split(r"[\n;]+", cells.get("timing", "")):
        if piece.strip():
            data.timing.append(squash(piece))
            data.timing_line = row.line
    for col, key in COLUMN_FIELDS.items():
        if cells.get(key):
            data.cells[col] = [cells[key]]
            data.cell_lines[col] = row.line
    return data


def read_row(row: Row) -> RowData:
    if row.cells is not None:
        return _read_cells(row)
    data = RowData()
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
    text = squash(first_raw)
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


def _read_title_lines(body: list[Ln], j: int, data: RowData) -> int:
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
                and not is_code_like(body[k].text)):
            title = _join_wrapped(title, body[k].text)
            j = k + 1
    data.title = squash(title)
    return j


def _read_objective(body: list[Ln], j: int, data: RowData) -> tuple[int, int, str] | None:
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


def _take_timing(body: list[Ln], k: int, raw: str, data: RowData) -> tuple[int, str, int]:
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
        data.timing.append(squash(token))
        data.timing_line = data.timing_line or body[k].number
        if "2à" in token:
            data.notes.append(_("timing mal imprimé : %(timing)s") % {"timing": repr(token)})
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
            lone_code = len(group) == 1 and is_code_token(group[0])
            if group and not _ends_with_connector(" ".join(group)) and token not in _JOINERS and (
                    is_code_token(token) or lone_code):
                out.append((gap, " ".join(group)))
                gap, group = 1, []
            group.append(token)
        out.append((gap, " ".join(group)))
    return out


def _is_prose(text: str) -> bool:
    """A sentence that strayed into the people columns (a description, an objective)."""
    words = text.split()
    if len(words) < 3 or is_code_token(words[0]):
        return False
    return " : " in text or (words[0][0].isupper() and _is_infinitive(words[0]))


@dataclass
class _Block:
    start: int  # the column of its first cell
    cells: list[list] = field(default_factory=list)  # [column, line, text, kind]


def _read_tail(body: list[Ln], at: tuple[int, int, str], data: RowData) -> None:
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
            text[0].islower() and not is_code_like(text)):
        prev[2] = _join_wrapped(prev[2], text)
    elif _is_prose(text):
        block.cells.append([prev[0], line_no, text, "prose"])
    elif is_code_like(text) or is_code_like(prev[2]):
        block.cells.append([prev[0], line_no, text, "cell"])
    else:
        prev[2] = _join_wrapped(prev[2], text)


def _assign_blocks(blocks: list[_Block], data: RowData) -> None:
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

def fill_project(node: NodeDraft, data: RowData, row: Row, draft: PlanDraft) -> None:
    if data.objective:
        node.set("objective", squash(" ".join(data.objective)), data.objective_line)
    if data.timing:
        timing = "; ".join(data.timing)
        node.set("timing", timing, data.timing_line)
        years = [int(y.replace("à", "0")) for t in data.timing
                 for y in re.findall(r"(?:19|20|2à)\d{2}", t)]
        years += [2000 + int(y) for t in data.timing
                  for y in re.findall(rf"{YEAR}\s*[-–—/]\s*(\d{{2}})(?!\d)", t)]
        if years:
            node.set("start", str(min(years)), data.timing_line)
            node.set("end", str(max(years)), data.timing_line)
        if any(_DONE.search(t) for t in data.timing):
            node.set("status", "done", data.timing_line)
    for col, key in COLUMN_FIELDS.items():
        if data.cells.get(col):
            node.set(key, "\n".join(data.cells[col]), data.cell_lines.get(col))
    if data.comment:
        node.set("comment", squash(" ".join(data.comment)), row.line)
    for note in data.notes:
        draft.warn(note, data.timing_line or row.line, node.code)




def fill(node: NodeDraft, row: Row, draft: PlanDraft) -> None:
    """Read ``row`` and fill ``node``; a row without a printed title takes its objective's."""
    data = read_row(row)
    node.title = " ".join((data.title or squash(" ".join(data.objective)) or row.code).split())
    if not data.title:
        draft.warn(_("projet sans intitulé imprimé : l'objectif sert de titre"), row.line,
                   node.code)
    fill_project(node, data, row, draft)


# -- rows given as cells (DOCX, spreadsheets) ----------------------------------------------------

def header_columns(cells: tuple[str, ...], labels: list[list[str]]) -> tuple[str, ...] | None:
    """Field per column when a table row is a header (3+ known labels), else None;
    ``labels`` is ``[[field, regex on the folded cell]]``, the first that matches wins."""
    compiled = [(key, re.compile(rx)) for key, rx in labels]
    out = [next((key for key, rx in compiled if rx.search(fold(cell))), "") for cell in cells]
    return tuple(out) if sum(1 for k in out if k) >= 3 else None


def cell_values(cells: tuple[str, ...], columns: tuple[str, ...], start: int,
                values: dict[str, str] | None = None) -> dict[str, str]:
    """The cells from ``start`` on as field → text by ``columns`` (a field's second cell goes
    on a new line; the code column is skipped)."""
    values = dict(values or {})
    for i, cell in enumerate(cells[start:], start=start):
        key = columns[i] if i < len(columns) else ""
        if key and key != "code" and cell:
            values[key] = f"{values[key]}\n{cell}" if key in values else cell
    return values


# -- the document's habits -----------------------------------------------------------------------

def settle_columns(draft: PlanDraft, projects: list[NodeDraft]) -> None:
    """A code the document nearly always prints in one column (``CODIR`` as the steering
    group) moves there in the rows where the spacing put it elsewhere, with a warning."""
    keys = list(COLUMN_FIELDS.values())
    seen: dict[str, Counter[str]] = {}
    for node in projects:
        for key in keys:
            for name in str(node.fields.get(key, "")).split("\n"):
                if is_code_like(name):
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
                line_no = node.field_lines.get(key)
                if rest:
                    node.fields[key] = "\n".join(rest)
                else:
                    del node.fields[key]
                    node.field_lines.pop(key, None)
                node.set(home, name, line_no)
                draft.warn(_("%(name)s placé en %(field)s comme dans les autres projets")
                           % {"name": repr(name), "field": home}, line_no, node.code)
                break
