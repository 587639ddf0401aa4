"""The engine's article reader: parts → strategic objectives → chapters → sections → articles.

A layout of its own (``articles``): it scores every document and reads those that clearly show
articles.  The level words, the article label, the words of norms and indicators, the table
header, running header, signature and metadata patterns come from ``vocabulary.json`` →
``articles``, one set per language (French, Dutch, English: :class:`Vocabulary`, made current
for one read by :func:`parse`/:func:`score`; the best-scoring language reads); the level names
(``levels``) also name the nodes it creates.  A case's ``articles`` key adds words over them.
The examples are the French words: a *contrat d'administration* binds a federal
social-security institution (IPSS) and the State for a few years.  What it reads (and
:func:`score` looks for):

- **Parts** ``Partie I. <title>`` (roman or arabic numbers; ``Titre II`` also works) group
  **strategic objectives** ``Objectif stratégique 3 : <title>`` (or ``OS 3 - <title>``); a part may
  have no objective (the *chapitres communs* shared by every IPSS).
- **Chapters** ``8. <title>`` numbered through the whole contract, **sections** ``8.1 <title>`` /
  ``8.1. <title>`` and **articles** ``Art 8.1.6`` / ``Art. 8.1.6`` / ``Article 8.1.6`` (or
  ``Art 19.1`` straight under a chapter).  One heading may name several articles
  (``Art 2.1.1, 2.1.2, 2.1.3``), or several headings may follow each other: they then share the
  table below them, one row per article in order.
- **Quantified articles** carry a table: objective | performance indicator | norm, e.g.
  «80 % dans les 5 jours ouvrables / 100 % dans le mois», «94 %», or a norm *state*
  («Norme à définir», «KPI défini», «Rapportage périodique»).  Text extraction flattens the
  table into one short line per wrapped cell line; cells are found again from the shapes of the
  lines (a gap, a sentence end, a capitalised word, a percentage, a norm keyword).  Articles
  without a table are prose: their first sentence is the title and the text the description.
- Numbered lists inside articles (``1. KPI défini``) look like chapter headings: a chapter is
  only accepted when its number follows the previous chapter's and the next section/article
  code does not still belong to the previous chapter.
- A table of contents at the start (lines ending with dot leaders and page numbers, or the
  same headings repeated before the body) creates no node: the body occurrence is kept.

Nodes are coded ``I`` (part), ``OS3`` (objective; ``II.OS1`` when objectives restart in every
part), ``8`` (chapter), ``8.1`` (section), ``8.1.6`` (article, printed ``Art 8.1.6``).  Missing
sections (``Art 8.1.1`` with no ``8.1`` heading) and chapters are created with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .document import Document, Line
from .draft import NodeDraft, PlanDraft
from .errors import IngestError
from .i18n import _
from .numbering import TOC_LINE, roman
from .pagetext import PAGE_NUMBER
from .readerwords import vocabularies

NAME = "articles"
DESCRIPTION_MAX = 1000
TITLE_MAX = 250
CELL_MAX = 56  # table cells are narrow: a longer line is full-width prose
HEADING_MAX = 170

# --------------------------------------------------------------------------------------------
# Line patterns: the shapes are general, the words come from the case (Vocabulary)
# --------------------------------------------------------------------------------------------

_ROMAN = r"[IVXLC]+"
_SECTION = re.compile(r"^(?P<ch>\d{1,2})\.(?P<num>\d{1,2})\.?\s+(?P<title>\S.*)$")
_CHAPTER_NUM = re.compile(r"^(?P<num>\d{1,2})\s*[.)]\s+(?P<title>\S.*)$")
_CODE = r"\d{1,2}(?:\.\d{1,2}){1,3}"
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-ZÀ-Ý][a-zà-ÿ]+\b")
_BULLET = re.compile(r"^[•▪◦●■□➢►\-−–—*o]\s")
_TITLE_PERIOD = re.compile(r"(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)")


class Vocabulary:
    """One language's ``articles`` words, compiled (vocabulary.json)."""

    def __init__(self, name: str, levels: list[str], data: dict[str, Any],
                 language: str = "fr") -> None:
        self.name = name
        self.language = language  # the draft's language
        self.levels = list(levels)
        self.kind = data.get("kind", "other")
        self.part = re.compile(
            rf"^(?:{data['part']}\s+(?P<num>{_ROMAN}|\d{{1,2}})"
            rf"|{data['part_roman']}\s+(?P<rnum>{_ROMAN}))"
            r"(?![\w’'])\s*[.:\-–—]?\s*(?P<title>.*)$")
        self.os = re.compile(
            rf"^(?:{data['objective']})\s*(?:n[°o]\s*)?(?P<num>\d{{1,2}})(?![\d.]\d)"
            r"\s*(?P<sep>[.:\-–—])?\s*(?P<title>.*)$")
        self.os_code = data.get("objective_code", "OS")
        self.chapter = re.compile(
            rf"^{data['chapter']}\s+(?P<num>\d{{1,2}})\b\s*[.:\-–—]?\s*(?P<title>.*)$")
        joins = "|".join(re.escape(w) for w in [*data["list_words"], *data["range_words"]])
        self.list_words = set(data["list_words"])
        self.range_words = set(data["range_words"])
        self.code_split = re.compile(rf"\s*({joins})\s*")
        self.article = re.compile(
            rf"^(?P<label>{data['article']}\.?)\s*(?P<codes>{_CODE}(?:\s*(?:{joins})\s*{_CODE})*)"
            r"\.?(?![\d])\s*[:.\-–—]?\s*(?P<title>.*)$")
        self.running_header = re.compile(data["running_header"])
        self.table_header = re.compile(data["table_header"])
        norms = data["norm_words"]
        self.norm_start = re.compile(rf"^(?:\d+(?:[.,]\d+)?\s*%|(?:{norms})\b"
                                     r"|\d{1,2}\.\s+\S|(?i:x{2,})\s)")
        self.norm_like = re.compile(rf"^(?:{norms})\b|^\d+(?:[.,]\d+)?\s*%|{data['norm_phrases']}",
                                    re.I)
        self.indicator_start = re.compile(rf"^(?:{data['indicator_words']})\b")
        self.function_words = frozenset(data["function_words"].split())
        self.signature = re.compile(data["signature"])
        self.title = re.compile(data["title"])
        self.default_title = data.get("default_title", "")
        self.period = re.compile(data["period"])
        parties = data["parties"]
        self.between = re.compile(parties["between"])
        self.skip_party = re.compile(parties["skip"])
        self.state = re.compile(parties["state"])
        self.party_article = re.compile(parties["article"])
        self.score_norms = re.compile(data["score_norms"])
        self.score_name = re.compile(data["score_name"])


_VOCABULARY: ContextVar[Vocabulary] = ContextVar("articles_vocabulary")


def _v() -> Vocabulary:
    """The vocabulary of the case being read (set by :func:`parse` and :func:`score`)."""
    return _VOCABULARY.get()


def vocabulary_of(case: Any) -> list[Vocabulary]:
    """The compiled ``articles`` words of a case (:class:`jalon.ingest.cases.Case`): every
    language's default words with the case's own over them."""
    return vocabularies("articles", Vocabulary, NAME, case)


@cache
def defaults() -> tuple[Vocabulary, ...]:
    """The default words of ``vocabulary.json`` (``articles``), one Vocabulary per language."""
    return vocabularies("articles", Vocabulary, NAME)


def choose(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> tuple[
        float, Vocabulary]:
    """The language whose words fit ``doc`` best, and its score (the first on a tie)."""
    vs = defaults() if v is None else (v,) if isinstance(v, Vocabulary) else v
    best: tuple[float, Vocabulary] | None = None
    texts = None
    for one in vs:
        token = _VOCABULARY.set(one)
        try:
            texts = texts if texts is not None else [_clean(ln.text) for ln in doc.lines]
            value = _score(doc, texts)
        except Exception:  # noqa: BLE001 - a score never fails
            value = 0.0
        finally:
            _VOCABULARY.reset(token)
        if best is None or value > best[0]:
            best = (value, one)
    assert best is not None
    return best


_PERCENT = re.compile(r"^\d+(?:[.,]\d+)?\s*%")
_TERMINAL = (".", "!", "?", ";", ":")
# --------------------------------------------------------------------------------------------
# Lines as the parser sees them
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int  # 1-based source line
    text: str  # whitespace collapsed
    gap: bool = False  # a gap (space-only line, or blank in a single-spaced text) precedes it
    page_start: bool = False
    cells: tuple[str, ...] | None = None


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _prepare(doc: Document) -> list[_Row]:
    """Non-empty lines without page furniture (page numbers, running headers, footnotes)."""
    lines = doc.lines
    blank = sum(1 for ln in lines if not ln.text.strip())
    # Extractions that double-space every line carry no meaning in blank lines; a line holding
    # only spaces is then the gap between two table cells.
    double_spaced = blank >= 0.35 * max(1, len(lines))
    rows: list[_Row] = []
    gap = after_header = False
    page = None
    for i, ln in enumerate(lines):
        raw = ln.text
        text = _clean(raw)
        page_start = ln.page is not None and page is not None and ln.page != page
        page = ln.page if ln.page is not None else page
        if not text and not ln.cells:
            if raw.strip() == "" and (raw != "" or not double_spaced):
                gap = True
            continue
        if raw[:1].isspace():
            page_start = True
        if _v().running_header.match(text):
            after_header = True
            continue
        if PAGE_NUMBER.match(text) and (after_header or text[:1].isalpha()
                                         or _before_page_break(lines, i)):
            after_header = False
            continue  # a page number; a bare number elsewhere may be a table cell
        after_header = False
        if _FOOTNOTE.match(text) and len(text) < 200 and _before_page_break(lines, i):
            continue
        rows.extend(_rows_of(ln.number, text, ln.cells, gap, page_start))
        gap = False
    return rows


def _before_page_break(lines: list[Line], i: int) -> bool:
    for ln in lines[i + 1:i + 6]:
        if ln.text.strip():
            return ln.text[:1].isspace() or (ln.page is not None and ln.page != lines[i].page)
    return True


def _rows_of(number: int, text: str, cells: tuple[str, ...] | None, gap: bool,
             page_start: bool) -> list[_Row]:
    if not cells:
        return [_Row(number, text, gap, page_start)]
    cells = tuple(_clean(c) for c in cells if c and c.strip())
    if not cells or all(_v().table_header.match(c) for c in cells):
        return []
    if _v().article.match(cells[0]) and len(cells) > 1:
        return [_Row(number, cells[0], gap, page_start),
                _Row(number, " | ".join(cells[1:]), True, False, cells[1:])]
    if len(cells) == 1:
        return [_Row(number, cells[0], gap, page_start)]
    return [_Row(number, text, True, page_start, cells)]


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------


@dataclass
class _Heading:
    kind: str  # part, os, chapter, section, article
    idx: int  # index of its row
    num: str  # "I", "3", "8", "1" (section number within its chapter)
    title: str
    printed: str
    end: int  # index of its last row (title continuation lines included)
    chapter: int | None = None  # for sections
    codes: list[str] = field(default_factory=list)  # for articles, as printed
    label: str = ""  # "Chapitre", "Art" …
    explicit: bool = False  # chapter with a "Chapitre" label


def _first_alpha(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return ch
    return ""


def _starts_lower(text: str) -> bool:
    return bool(text) and (text[0].islower() or text[0] == "(")


def _starts_upper(text: str) -> bool:
    ch = _first_alpha(text[:3])
    return bool(ch) and ch.isupper()


def _expand_codes(text: str) -> list[str]:
    """``2.1.1, 2.1.2 et 2.1.3`` / ``2.1.1 à 2.1.3`` → the codes, in order."""
    parts = _v().code_split.split(text)
    codes: list[str] = []
    pending_range = False
    for piece in parts:
        if piece in _v().list_words:
            continue
        if piece in _v().range_words:
            pending_range = True
            continue
        if pending_range and codes:
            start = codes[-1].rsplit(".", 1)
            end = piece.rsplit(".", 1)
            if start[0] == end[0] and int(end[1]) - int(start[1]) <= 30:
                codes.extend(f"{start[0]}.{k}" for k in range(int(start[1]) + 1, int(end[1]) + 1))
                pending_range = False
                continue
        pending_range = False
        codes.append(piece)
    return codes


def _heading_at(rows: list[_Row], i: int) -> _Heading | None:
    """The heading row ``i`` would be, if its text has a heading's shape (not yet validated)."""
    row = rows[i]
    text = row.text
    if row.cells or len(text) > HEADING_MAX or TOC_LINE.search(text):
        return None
    m = _v().article.match(text)
    if m:
        title = m.group("title").strip()
        if title and _starts_lower(title):
            return None  # "Art 16.6.3 constitue …": a reference that wraps to a line start
        label = m.group("label")
        label = label.capitalize()  # «ARTICLE», «art.» → «Article», «Art.»
        return _Heading("article", i, "", title, "", i, codes=_expand_codes(m.group("codes")),
                        label=label)
    m = _SECTION.match(text)
    if m and _starts_upper(m.group("title")) and not text.endswith(";"):
        return _titled(rows, _Heading("section", i, str(int(m.group("num"))), m.group("title"),
                                      f"{int(m.group('ch'))}.{int(m.group('num'))}", i,
                                      chapter=int(m.group("ch"))))
    m = _v().os.match(text)
    if m and (m.group("sep") or not m.group("title") or len(text) < 80):
        n = int(m.group("num"))
        return _titled(rows, _Heading("os", i, str(n), m.group("title"),
                                      f"{_v().levels[1]} {n}", i))
    m = _v().part.match(text)
    if m:
        num = m.group("num") or m.group("rnum")
        num = roman(int(num)) if num.isdigit() else num.upper()
        if not num:
            return None  # "Partie 0"
        return _titled(rows, _Heading("part", i, num, m.group("title"), f"{_v().levels[0]} {num}",
                                      i))
    m = _v().chapter.match(text)
    if m:
        n = int(m.group("num"))
        return _titled(rows, _Heading("chapter", i, str(n), m.group("title"), f"{_v().levels[2]} {n}",
                                      i, explicit=True))
    m = _CHAPTER_NUM.match(text)
    if m:
        title = m.group("title")
        if _starts_upper(title) and not title[:1].isdigit() \
                and not title.rstrip().endswith((".", ";", ",", ":")):
            n = int(m.group("num"))
            return _titled(rows, _Heading("chapter", i, str(n), title, str(n), i))
    return None


def _titled(rows: list[_Row], h: _Heading) -> _Heading:
    """Complete a heading's title: an empty title is on the next line; a wrapped one goes on."""
    title = h.title.strip().rstrip(":").strip()
    j = h.idx
    if not title and j + 1 < len(rows):
        nxt = rows[j + 1].text
        if len(nxt) <= 120 and _starts_upper(nxt) and _heading_kind(nxt) is None:
            title = nxt
            j += 1
    for _more in range(2):
        if j + 1 >= len(rows) or not title or title.endswith(_TERMINAL):
            break
        nxt = rows[j + 1]
        if nxt.cells or not _starts_lower(nxt.text) or len(nxt.text) > 90:
            break
        title = f"{title} {nxt.text}"
        j += 1
    h.title = title.strip().rstrip(":").strip()
    h.end = j
    return h


def _heading_kind(text: str) -> str | None:
    for kind, pattern in (("article", _v().article), ("section", _SECTION), ("os", _v().os),
                          ("part", _v().part), ("chapter", _v().chapter)):
        if pattern.match(text):
            return kind
    return None


def _candidates(rows: list[_Row]) -> list[_Heading]:
    out: list[_Heading] = []
    i = 0
    while i < len(rows):
        h = _heading_at(rows, i)
        if h is not None:
            out.append(h)
            i = h.end + 1
        else:
            i += 1
    return out


# --------------------------------------------------------------------------------------------
# Table of contents
# --------------------------------------------------------------------------------------------


_PAGE_REF = re.compile(r"\s+\d{1,3}$")


def _drop_toc(rows: list[_Row], cands: list[_Heading]) -> list[_Heading]:
    """Drop headings that a table of contents lists before the body repeats them."""
    def key(h: _Heading) -> tuple[str, str, str, str]:
        codes = ",".join(h.codes)
        return h.kind, h.num, codes, _PAGE_REF.sub("", h.title).casefold()

    later: dict[tuple[str, str, str, str], int] = {}
    drop: set[int] = set()
    for k in range(len(cands) - 1, -1, -1):
        h = cands[k]
        kk = key(h)
        if kk in later and h.title:
            nxt = cands[k + 1].idx if k + 1 < len(cands) else len(rows)
            if nxt - h.end <= 1 or _PAGE_REF.search(h.title):
                drop.add(k)  # listed with nothing under it (or a page number): a contents line
        later[kk] = k
    return [h for k, h in enumerate(cands) if k not in drop]


def _body_start(rows: list[_Row], cands: list[_Heading]) -> int:
    """Index of the first body row: after a table of contents that repeats the headings."""
    tops = [h for h in cands if h.kind in ("part", "os") or (h.kind == "chapter" and h.explicit)]
    if not tops:
        return 0
    first = tops[0]
    key = (first.kind, first.num)
    for h in tops[1:]:
        if (h.kind, h.num) != key:
            continue
        region = rows[first.idx:h.idx]
        heading_rows = {c.idx for c in cands if first.idx <= c.idx < h.idx}
        prose = sum(1 for k, r in enumerate(region, start=first.idx)
                    if len(r.text) >= 70 and k not in heading_rows)
        if prose <= max(2, len(region) // 10):
            return h.idx
        break
    return 0


# --------------------------------------------------------------------------------------------
# Validation of the heading candidates: which ones build the tree
# --------------------------------------------------------------------------------------------


def _lookahead(cands: list[_Heading]) -> tuple[list[int], list[int]]:
    """For each candidate: the index of the next non-chapter heading, and of the next chapter
    candidate with the same number (``len(cands)`` when there is none)."""
    n = len(cands)
    next_struct, next_same = [n] * n, [n] * n
    seen_struct = n
    seen_num: dict[str, int] = {}
    for k in range(n - 1, -1, -1):
        next_struct[k] = seen_struct
        h = cands[k]
        if h.kind == "chapter":
            next_same[k] = seen_num.get(h.num, n)
            seen_num[h.num] = k
        else:
            seen_struct = k
    return next_struct, next_same


def _chapter_verdict(cands: list[_Heading], k: int, current: int | None,
                     ahead: tuple[list[int], list[int]]) -> str:
    """Does what follows candidate ``k`` confirm it as chapter N? confirm / deny / neutral."""
    n = int(cands[k].num)
    nxt, same = ahead[0][k], ahead[1][k]
    if same < nxt:
        return "deny"  # the same number again before any section: this one was a list item
    if nxt >= len(cands) or cands[nxt].kind in ("part", "os"):
        return "neutral"
    h = cands[nxt]
    first = int(h.codes[0].split(".")[0]) if h.kind == "article" else h.chapter
    if first == n:
        return "confirm"
    if current is not None and first == current:
        return "deny"
    return "neutral"


def _validate(cands: list[_Heading]) -> list[_Heading]:
    """Keep the candidates that are real headings, in order."""
    has_tops = any(h.kind in ("part", "os") for h in cands)
    ahead = _lookahead(cands)
    out: list[_Heading] = []
    started = not has_tops
    chapter: int | None = None
    top_since_chapter = True
    sections: dict[int, int] = {}
    for k, h in enumerate(cands):
        if h.kind in ("part", "os"):
            started = True
            top_since_chapter = True
            out.append(h)
        elif not started:
            continue
        elif h.kind == "chapter":
            n = int(h.num)
            if chapter is not None and n <= chapter and not (n == 1 and top_since_chapter):
                continue  # chapters only go up, or restart after a part / objective heading
            verdict = _chapter_verdict(cands, k, chapter, ahead)
            expected = (chapter is None or n == chapter + 1 or (n == 1 and top_since_chapter)
                        or h.explicit)
            if verdict == "deny" or not (expected or verdict == "confirm"):
                continue
            if not has_tops and chapter is None and verdict != "confirm" and not h.explicit:
                continue
            chapter, top_since_chapter = n, False
            sections = {}
            out.append(h)
        elif h.kind == "section":
            if chapter is not None and h.chapter != chapter:
                continue
            if int(h.num) <= sections.get(h.chapter or 0, 0):
                continue
            sections[h.chapter or 0] = int(h.num)
            out.append(h)
        else:
            out.append(h)
    return out


# --------------------------------------------------------------------------------------------
# Tables of quantified articles
# --------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    lines: list[str]
    line: int

    @property
    def text(self) -> str:
        return _join(self.lines)


@dataclass
class _TableRow:
    objective: str = ""
    indicator: str = ""
    norms: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class _ArticleBody:
    intro: list[_Row] = field(default_factory=list)  # prose (or the sentence above a table)
    table: list[_TableRow] = field(default_factory=list)
    table_line: int | None = None


def _join(lines: list[str]) -> str:
    out = ""
    for text in lines:
        text = text.strip()
        if not text:
            continue
        if out.endswith("-") and text[:1].islower() and not out.endswith(" -"):
            out += text  # a word hyphenated at a line break: "rendez-" + "vous"
        else:
            out = f"{out} {text}" if out else text
    return out


def _is_cell_line(row: _Row) -> bool:
    return bool(row.cells) or (len(row.text) <= CELL_MAX and not _BULLET.match(row.text))


def _looks_like_table(rows: list[_Row]) -> int | None:
    """Index where a table starts in an article's rows, or None for a prose article."""
    start = 0
    while start < len(rows) and _v().table_header.match(rows[start].text):
        start += 1
    # a full-width sentence may stand above the table
    while start < len(rows) - 1 and not _is_cell_line(rows[start]) and start < 2:
        start += 1
    if start and not rows[start - 1].text.endswith("."):
        return None  # a paragraph going on (or announcing a list): prose
    while start < len(rows) - 1 and _v().table_header.match(rows[start].text):
        start += 1  # the table's header row under the sentence
    window = [r for r in rows[start:start + 4] if not _v().table_header.match(r.text)]
    if any(r.cells for r in window[:1]):
        return start
    if len(window) < 3 or sum(1 for r in window if _is_cell_line(r)) < 3:
        return None
    if not _is_cell_line(window[0]) or not _is_cell_line(window[1]):
        return None
    return start


def _table_extent(rows: list[_Row], start: int) -> int:
    """End (exclusive) of the table: prose resumes, minus the sub-heading that introduces it."""
    end = start
    while end < len(rows) and (_is_cell_line(rows[end]) or _v().table_header.match(rows[end].text)):
        end += 1
    if end < len(rows):  # prose follows: its sub-heading is not a table cell
        last = rows[end - 1] if end - 1 > start else None
        if last is not None and not last.cells and _starts_upper(last.text) \
                and not last.text.endswith(_TERMINAL) and not _v().norm_like.search(last.text) \
                and (last.gap or rows[end - 2].text.endswith(_TERMINAL) or last.page_start):
            end -= 1
    return end


def _last_word(text: str) -> str:
    words = re.split(r"[\s’']+", text.strip().rstrip(".,;:").lower())
    return words[-1] if words else ""


def _capitalised_word(text: str) -> bool:
    token = text.split()[0] if text.split() else ""
    if len(token) < 2:
        return token[:1].isupper() and token[:1].isalpha()
    return token[0].isupper() and (token[1].islower() or token[1] in "’'")


def _new_cell(prev: str, text: str, gap: bool, cell: _Cell) -> bool:
    """Does ``text`` start a new table cell after the line ``prev`` of ``cell``?"""
    if gap:
        return True
    if _PERCENT.match(text):
        return True
    if _last_word(prev) in _v().function_words and not prev.endswith(_TERMINAL):
        return False  # "… dans les" + "5 jours ouvrables"
    if _starts_lower(text) and not _v().norm_start.match(text):
        return False
    if _v().norm_start.match(text):
        return True
    if prev.endswith(_TERMINAL) and (_starts_upper(text) or text[:1].isdigit()):
        return True
    if text[:1].isdigit():
        # "70 % des guichets … sont ouverts" + "2,5 jours/semaine." goes on the same norm
        return not (_PERCENT.match(cell.lines[0]) or _v().norm_start.match(cell.lines[0]))
    if len(text.split()) == 1 and not text.endswith(_TERMINAL):
        return False  # a lone word wrapped from the cell above ("Info")
    return _capitalised_word(text)


def _cells(rows: list[_Row]) -> list[_Cell]:
    cells: list[_Cell] = []
    first_lines: set[str] = set()
    for row in rows:
        if _v().table_header.match(row.text):
            continue
        if row.cells:
            cells.extend(_Cell([c], row.number) for c in row.cells)
            continue
        cur = cells[-1] if cells else None
        if cur is None or row.text in first_lines \
                or _new_cell(cur.lines[-1], row.text, row.gap, cur):
            cells.append(_Cell([row.text], row.number))
            if len(cells) == 1:
                first_lines.add(row.text)
        else:
            cur.lines.append(row.text)
    return cells


def _table_rows(rows: list[_Row], n_codes: int) -> list[_TableRow]:
    """Group the cells of a flattened table into objective / indicator / norm rows."""
    if all(r.cells for r in rows if not _v().table_header.match(r.text)):
        return [_grid_row(r) for r in rows if r.cells]
    out: list[_TableRow] = []
    cur: _TableRow | None = None
    first_objective = ""
    for cell in _cells(rows):
        text = cell.text
        if cur is None:
            cur = _TableRow(objective=text, line=cell.line)
            first_objective = text
        elif not cur.indicator and not cur.norms:
            if _v().norm_like.search(text) and not _v().indicator_start.match(text):
                cur.norms.append(text)  # no indicator: the norm follows the objective
            else:
                cur.indicator = text
        elif _v().indicator_start.match(text) and cur.indicator:
            # a second indicator: a new row, whose objective is the cell before, if any
            objective = cur.norms.pop() if len(cur.norms) >= 2 else cur.objective
            out.append(cur)
            cur = _TableRow(objective=objective, indicator=text, line=cell.line)
        elif _starts_row(text, cur, first_objective, len(out) + 1, n_codes):
            out.append(cur)
            cur = _TableRow(objective=text, line=cell.line)
        else:
            cur.norms.append(text)
    if cur is not None:
        out.append(cur)
    return [r for r in out if r.indicator or r.norms]


def _grid_row(row: _Row) -> _TableRow:
    cells = list(row.cells or ())
    return _TableRow(cells[0] if cells else "", cells[1] if len(cells) > 1 else "",
                     cells[2:], row.number)


def _starts_row(text: str, cur: _TableRow, first_objective: str, n_rows: int,
                n_codes: int) -> bool:
    if not cur.norms:
        return False
    if first_objective and " ".join(text.split()[:3]) == " ".join(first_objective.split()[:3]):
        return True
    return text.endswith(".") and not _v().norm_like.search(text) and n_rows < n_codes


def _article_body(rows: list[_Row], n_codes: int) -> _ArticleBody:
    body = _ArticleBody()
    start = _looks_like_table(rows)
    if start is None:
        body.intro = rows
        return body
    end = _table_extent(rows, start)
    body.table = _table_rows(rows[start:end], n_codes)
    body.intro = rows[:start] if body.table else rows  # no row found: read it as prose
    body.table_line = rows[start].number if start < len(rows) else None
    return body


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def _bounded(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


_ENUMERATOR = re.compile(r"^(?:§\s*\d+(?:er)?\.?|\d{1,2}[.)]|[a-z]\)|[•▪\-−–])\s+")


def _first_sentence(text: str) -> str:
    text = _ENUMERATOR.sub("", text.strip())
    m = re.search(r"(?<=[.!?])\s+(?=[«\"(]?[A-ZÀ-Ý])", text)
    sentence = text[:m.start()] if m else text
    return _bounded(sentence, TITLE_MAX)


def _is_subheading(rows: list[_Row], i: int) -> bool:
    text = _ENUMERATOR.sub("", rows[i].text)
    return (len(text) < 60 and _starts_upper(text) and not text.endswith(_TERMINAL + (",",))
            and i + 1 < len(rows) and len(rows[i + 1].text) >= 60
            and not _BULLET.match(rows[i].text))


def _strip_trailing_subheading(rows: list[_Row]) -> list[_Row]:
    """A bullet or short line ending a prose article introduces the next one."""
    if len(rows) >= 2:
        last = rows[-1]
        if len(last.text) < 70 and not last.text.endswith(_TERMINAL + (",",)) \
                and rows[-2].text.endswith(_TERMINAL) and _starts_upper(
                    _BULLET.sub("", last.text)):
            return rows[:-1]
    return rows


# --------------------------------------------------------------------------------------------
# Building the tree
# --------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, draft: PlanDraft, rows: list[_Row], qualify_os: bool):
        self.draft = draft
        self.rows = rows
        self.qualify_os = qualify_os
        self.part: NodeDraft | None = None
        self.os: NodeDraft | None = None
        self.chapter: NodeDraft | None = None
        self.chapter_num: int | None = None
        self.section: NodeDraft | None = None
        self.section_num: int | None = None
        self.chapters: dict[tuple[str | None, int], NodeDraft] = {}  # (parent code, number)
        self.sections: dict[tuple[str, int], NodeDraft] = {}  # (chapter code, number)
        self.os_restart = False

    # -- headings -------------------------------------------------------------------------
    def part_heading(self, h: _Heading) -> NodeDraft:
        node = self.draft.add(h.title or h.printed, code=h.num, line=self.rows[h.idx].number,
                              level=_v().levels[0], printed=h.printed)
        self.part, self.os = node, None
        self._reset_chapter()
        return node

    def os_heading(self, h: _Heading) -> NodeDraft:
        code = f"{_v().os_code}{h.num}"
        if code in self.draft:
            self.os_restart = True
        if self.qualify_os and self.part is not None:
            code = f"{self.part.code}.{code}"
        node = self.draft.add(h.title or h.printed, code=code, parent=self._code(self.part),
                              line=self.rows[h.idx].number, level=_v().levels[1], printed=h.printed)
        self.os = node
        self._reset_chapter()
        return node

    def chapter_heading(self, h: _Heading) -> NodeDraft:
        return self._chapter(int(h.num), h.title, self.rows[h.idx].number, h.printed)

    def section_heading(self, h: _Heading) -> NodeDraft:
        line = self.rows[h.idx].number
        if self.chapter is None or h.chapter != self.chapter_num:
            self._missing_chapter(h.chapter or 0, line)
        return self._section(int(h.num), h.title, line, h.printed)

    def article_parent(self, code: str, line: int) -> NodeDraft | None:
        """The section (or chapter, for ``19.1``) an article code belongs under."""
        nums = [int(x) for x in code.split(".")]
        if self.chapter is None or nums[0] != self.chapter_num:
            known = self.chapters.get((self._code(self.os or self.part), nums[0]))
            if known is not None:
                self.chapter, self.chapter_num = known, nums[0]
                self.section, self.section_num = None, None
            else:
                self._missing_chapter(nums[0], line)
        assert self.chapter is not None
        if len(nums) == 2:
            return self.chapter
        if self.section is None or self.section_num != nums[1]:
            known_section = self.sections.get((self.chapter.code, nums[1]))
            if known_section is not None:
                self.section, self.section_num = known_section, nums[1]
            else:
                section = f"{_v().levels[3]} {nums[0]}.{nums[1]}"
                self.draft.warn(_("%(section)s absente : créée pour l'article %(code)s")
                                % {"section": section.lower(), "code": code}, line)
                self._section(nums[1], section, line, None)
        return self.section

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _code(node: NodeDraft | None) -> str | None:
        return node.code if node is not None else None

    def _reset_chapter(self) -> None:
        self.chapter, self.chapter_num = None, None
        self.section, self.section_num = None, None

    def _chapter(self, n: int, title: str, line: int, printed: str | None) -> NodeDraft:
        parent = self.os or self.part
        code = str(n)
        if code in self.draft and parent is not None:
            code = f"{parent.code}.{n}"  # chapter numbering restarts under each parent
        node = self.draft.add(title or f"{_v().levels[2]} {n}", code=code, parent=self._code(parent),
                              line=line, level=_v().levels[2], printed=printed)
        self.chapter, self.chapter_num = node, n
        self.section, self.section_num = None, None
        self.chapters[(self._code(parent), n)] = node
        return node

    def _missing_chapter(self, n: int, line: int) -> None:
        chapter = f"{_v().levels[2]} {n}"
        self.draft.warn(_("%(chapter)s absent : créé") % {"chapter": chapter.lower()}, line)
        self._chapter(n, chapter, line, None)

    def _section(self, n: int, title: str, line: int, printed: str | None) -> NodeDraft:
        assert self.chapter is not None
        node = self.draft.add(title or f"{_v().levels[3]} {self.chapter_num}.{n}",
                              code=f"{self.chapter.code}.{n}", parent=self.chapter.code,
                              line=line, level=_v().levels[3], printed=printed)
        self.section, self.section_num = node, n
        self.sections[(self.chapter.code, n)] = node
        return node


def _build(draft: PlanDraft, rows: list[_Row], headings: list[_Heading],
           qualify_os: bool) -> bool:
    """Fill ``draft``; return True when the strategic objectives restart in each part."""
    b = _Builder(draft, rows, qualify_os)
    k = 0
    while k < len(headings):
        h = headings[k]
        body_end = headings[k + 1].idx if k + 1 < len(headings) else len(rows)
        body = rows[h.end + 1:body_end]
        if h.kind == "article":
            k = _articles(b, headings, k)
            continue
        node = {"part": b.part_heading, "os": b.os_heading, "chapter": b.chapter_heading,
                "section": b.section_heading}[h.kind](h)
        _describe(node, body)
        k += 1
    return b.os_restart


def _describe(node: NodeDraft, body: list[_Row]) -> None:
    text = _join([r.text for r in body if not r.cells])
    if text:
        node.set("description", _bounded(text, DESCRIPTION_MAX), body[0].number)


def _articles(b: _Builder, headings: list[_Heading], k: int) -> int:
    """Build the article group starting at ``headings[k]``; return the next heading's index."""
    rows = b.rows
    group: list[tuple[str, _Heading]] = []
    j = k
    while j < len(headings) and headings[j].kind == "article":
        h = headings[j]
        group.extend((code, h) for code in h.codes)
        nxt = headings[j + 1].idx if j + 1 < len(headings) else len(rows)
        j += 1
        if nxt > h.end + 1 or j >= len(headings) or headings[j].kind != "article":
            break  # this heading has a body: the group ends here
    last = headings[j - 1]
    body_end = headings[j].idx if j < len(headings) else len(rows)
    body_rows = rows[last.end + 1:body_end]
    nodes = _article_nodes(b, group)
    if not nodes:
        return j
    _fill_articles(b.draft, nodes, body_rows)
    return j


def _article_nodes(b: _Builder, group: list[tuple[str, _Heading]]) -> list[
        tuple[NodeDraft, _Heading]]:
    out = []
    for code, h in group:
        line = b.rows[h.idx].number
        parent = b.article_parent(code, line)
        if parent is None:
            continue
        numbers = code.split(".")
        own = ".".join([parent.code] + numbers[1 if parent.level == _v().levels[2] else 2:])
        if own in b.draft:
            b.draft.warn(_("article %(code)s répété : ignoré") % {"code": code}, line, own)
            continue
        printed = f"{h.label} {code}" if h.label else code
        node = b.draft.add(h.title or printed, code=own, parent=parent.code, line=line,
                           level=_v().levels[4], printed=printed)
        out.append((node, h))
    return out


def _fill_articles(draft: PlanDraft, nodes: list[tuple[NodeDraft, _Heading]],
                   rows: list[_Row]) -> None:
    body = _article_body(rows, len(nodes))
    intro = _strip_trailing_subheading(body.intro) if not body.table else body.intro
    if body.table:
        _assign_rows(draft, nodes, body)
    elif len(nodes) > 1 and _split_by_subheadings(nodes, intro):
        return
    text = _join([r.text for r in intro])
    title = _ENUMERATOR.sub("", intro[0].text) if intro and _is_subheading(intro, 0) else ""
    for node, h in nodes:
        if text:
            node.set("description", _bounded(text, DESCRIPTION_MAX), intro[0].number)
        if not h.title and text and (not body.table or len(nodes) == 1):
            node.title = _bounded(title, TITLE_MAX) if title else _first_sentence(text)


def _assign_rows(draft: PlanDraft, nodes: list[tuple[NodeDraft, _Heading]],
                 body: _ArticleBody) -> None:
    rows = body.table
    if len(nodes) > 1 and len(rows) != len(nodes):
        draft.warn(_("%(articles)d articles pour %(rows)d lignes d'indicateurs : répartition "
                     "dans l'ordre") % {"articles": len(nodes), "rows": len(rows)},
                   body.table_line, nodes[0][0].code)
    for i, (node, h) in enumerate(nodes):
        if len(nodes) == 1:
            mine = rows
        elif i < len(nodes) - 1:
            mine = rows[i:i + 1]
        else:
            mine = rows[i:]
        for row in mine:
            target = " / ".join(row.norms)
            node.add_indicator(row.indicator or row.objective, target or None, line=row.line,
                               objective=row.objective, norm=target or None)
        if mine and mine[0].objective:
            node.set("objective", mine[0].objective, mine[0].line)
        if not h.title:
            node.title = _bounded(mine[0].objective, TITLE_MAX) if mine and mine[0].objective \
                else node.title


def _split_by_subheadings(nodes: list[tuple[NodeDraft, _Heading]], rows: list[_Row]) -> bool:
    """Several articles over prose: one unnumbered sub-heading each, in order."""
    marks = [i for i in range(len(rows)) if _is_subheading(rows, i)]
    if len(marks) != len(nodes) or not marks or marks[0] != 0:
        return False
    for (node, h), start, end in zip(nodes, marks, marks[1:] + [len(rows)], strict=True):
        if not h.title:
            node.title = rows[start].text
        text = _join([r.text for r in rows[start + 1:end]])
        if text:
            node.set("description", _bounded(text, DESCRIPTION_MAX), rows[start + 1].number)
    return True


# --------------------------------------------------------------------------------------------
# Plan metadata
# --------------------------------------------------------------------------------------------



def _metadata(draft: PlanDraft, doc: Document) -> None:
    texts = [_clean(ln.text) for ln in doc.lines]
    title = next((t for t in texts if _v().title.match(t)), "")
    draft.title = title or _v().default_title or Path(doc.name).stem
    m = _TITLE_PERIOD.search(title)
    if not m:
        m = next((p for p in (_v().period.search(t) for t in texts[:400] + [
            " ".join(texts[:400])]) if p), None)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b <= a + 15:
            draft.period_start, draft.period_end = a, b
    draft.organization = _organization(texts)


def _organization(texts: list[str]) -> str:
    """The party other than the State in «entre : − l'État fédéral et − <body>»."""
    head = [t for t in texts[:300] if t]
    for i, t in enumerate(head):
        if _v().between.match(t):
            for item in head[i + 1:i + 12]:
                name = _BULLET.sub("", item).strip()
                if _v().skip_party.match(name) or not name:
                    continue
                if _v().state.search(name):
                    continue
                name = _v().party_article.sub("", name).strip(" ,;")
                return _with_acronym(name, texts)
    return ""


def _with_acronym(name: str, texts: list[str]) -> str:
    words = [re.escape(w) for w in name.split()]
    pattern = re.compile(r"\s+".join(words) + r"\s*\((?P<acr>[A-ZÀ-Ý]{2,10})\)")
    m = pattern.search(" ".join(t for t in texts[:800] if t))
    return f"{name} ({m.group('acr')})" if m else name


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def score(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> float:
    """How strongly ``doc`` shows articles, parts, objectives, sections, norms and an
    agreement's name (0..1), with the words of the language that fits it best (the defaults of
    ``vocabulary.json``, or ``v``)."""
    return choose(doc, v)[0]


def _score(doc: Document, texts: list[str]) -> float:
    articles = sum(1 for t in texts if _v().article.match(t) and not TOC_LINE.search(t))
    objectives = sum(1 for t in texts if _v().os.match(t) and len(t) < HEADING_MAX)
    parts = sum(1 for t in texts if _v().part.match(t) and len(t) < HEADING_MAX)
    sections = sum(1 for t in texts if _SECTION.match(t) and _starts_upper(
        _SECTION.match(t).group("title")))
    norms = sum(1 for t in texts if _v().score_norms.match(t))
    named = any(_v().score_name.search(t) for t in texts)
    value = (0.45 * min(1.0, articles / 6) + 0.15 * min(1.0, objectives / 2)
             + 0.1 * min(1.0, parts / 2) + 0.1 * min(1.0, sections / 3)
             + 0.1 * min(1.0, norms / 2) + 0.1 * named)
    if articles == 0:
        value = min(value, 0.3)
    return round(min(1.0, value), 3)


def parse(doc: Document, v: Vocabulary | Sequence[Vocabulary] | None = None) -> PlanDraft:
    """Read ``doc`` with the words of the language that fits it best (fields as printed;
    finalize() normalises them)."""
    token = _VOCABULARY.set(choose(doc, v)[1])
    try:
        return _parse(doc)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - bad input must surface as IngestError only
        raise IngestError(_("document illisible (%(error)s)")
                          % {"error": f"{type(exc).__name__}: {exc}"}, file=doc.name) from None
    finally:
        _VOCABULARY.reset(token)




def _parse(doc: Document) -> PlanDraft:
    rows = _prepare(doc)
    end = next((i for i, r in enumerate(rows) if _v().signature.match(r.text) and i > len(rows) // 2),
               None)
    if end is not None:
        rows = rows[:end]  # the signatures close the contract
    headings, toc_line = _structure(rows)
    qualify = False
    for _pass in range(2):  # a second pass when the objectives restart in each part
        draft = _new_draft(doc, rows)
        if toc_line is not None:
            draft.warn(_("table des matières ignorée"), toc_line)
        restart = _build(draft, rows, headings, qualify)
        if not restart or qualify:
            break
        qualify = True
    if not draft.nodes:
        draft.warn(_("aucun article ni objectif stratégique reconnu"), None)
    return draft.finish()


def _structure(rows: list[_Row]) -> tuple[list[_Heading], int | None]:
    """The validated headings, and the first line of a table of contents (if any)."""
    cands = _candidates(rows)
    kept = _drop_toc(rows, cands)
    start = _body_start(rows, kept)
    toc = [r.number for r in rows if TOC_LINE.search(r.text)]
    kept_ids = {id(h) for h in kept}
    toc += [rows[h.idx].number for h in cands if id(h) not in kept_ids]
    if start:
        toc += [rows[h.idx].number for h in kept if h.idx < start]
        kept = [h for h in kept if h.idx >= start]
    return _validate(kept), min(toc) if toc else None


def _new_draft(doc: Document, rows: list[_Row]) -> PlanDraft:
    draft = PlanDraft(kind=_v().kind, levels=list(_v().levels), source=doc.name, layout=_v().name,
                      language=_v().language)
    _metadata(draft, doc)
    return draft
