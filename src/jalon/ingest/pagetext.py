"""The text of a paged document without its page noise, for readers that give text only.

A PDF turned into text repeats a footer on every page (``Note de politique générale 2022  7
CPAS de …``, its page number changing), prints page numbers alone on a line and leaves footnote
blocks (a rule, then ``12 Source : …`` lines) in the middle of the prose.  :class:`PageLines`
masks them: ``text(i)`` is the line's text, or ``""`` for noise.  ``footer`` keeps the first
footer seen (it often names the document and its author).

:func:`repair` rejoins words the extraction split with a stray space (``no mbre`` →
``nombre``) when the whole word occurs elsewhere in the document and a piece hardly does.
Pure Python; used by :mod:`jalon.ingest.outline` and :mod:`jalon.ingest.figures`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .document import Document

BULLET = re.compile(
    r"^\s*(?:[\ufffd\uf0b7\uf0a7\uf0d8\uf076\u2022\u25aa\u25cf\u25a0\u25ba\u25e6\u2023\u2043"
    r"\u00b7\u27a2\u2713\u2714]\s*|[-–—*o]\s+)"
)
# a line that is only a page number, as extractions leave them: «12», «12.», «- 12 -», «page 3»,
# «p. 3», «blz. 3», «3 / 40», «3 sur 40», «3 van 40», «3 of 40» (every reader drops these)
PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|blz\.?|p\.)\s*)?[-–]?\s*\d{1,3}\.?\s*"
                         r"(?:(?:/|sur|van|of)\s*\d{1,3})?\s*[-–]?\s*$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\d{1,3}\s+\S")
_YEAR = r"(?:19|20)\d{2}"
CONNECTORS = {
    "de", "des", "du", "d", "la", "le", "les", "l", "et", "ou", "à", "au", "aux", "en", "pour",
    "par", "sur", "dans", "avec", "un", "une", "que", "qui", "dont", "vers", "entre", "sans",
    "sous", "chez", "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces", "notre", "nos",
}
HEADING_STYLE = ("heading", "titre", "title")


def is_bullet(raw: str) -> bool:
    return bool(BULLET.match(raw))



def last_word(text: str) -> str:
    words = re.findall(r"[\w’']+", text.lower())
    return words[-1].strip("’'") if words else ""



def _footer_key(raw: str, is_heading: Callable[[str], bool]) -> str | None:
    s = raw.strip()
    if len(s) < 15 or ":" in s or is_bullet(raw) or is_heading(s):
        return None
    if not re.search(r"\d", s) or len(s.split()) < 3:
        return None
    return re.sub(r"\d+", "#", s)


def _footnote_block(raw: list[str], i: int) -> int:
    """If line ``i`` is the rule above a footnote block, return the index after the block."""
    s = raw[i]
    if not (len(s) >= 20 and not s.strip()) and not re.fullmatch(r"\s*_{10,}\s*", s):
        return i
    j = i + 1
    while j < len(raw) and not raw[j].strip():
        j += 1
    if j >= len(raw) or not _FOOTNOTE.match(raw[j].strip()):
        return i
    k = j + 1
    while k < len(raw) and k - j < 25:
        line = raw[k]
        # the next page starts with a line indented by the extraction
        if line.strip() and line[:1] == " " and not _FOOTNOTE.match(line.strip()):
            break
        k += 1
    return k


class PageLines:
    """The document's lines with page footers, page numbers and footnotes masked;
    ``is_heading(text)`` spares a numbered heading that would look like a footer."""

    def __init__(self, doc: Document, is_heading: Callable[[str], bool] = lambda s: False,
                 ) -> None:
        self.is_heading = is_heading
        self.raw = [(ln.text or "").replace("\t", " ") for ln in doc.lines]
        self.numbers = [ln.number for ln in doc.lines]
        self.styles = [(ln.style or "").lower() for ln in doc.lines]
        self.footer = ""
        self.skip = self._noise()

    def __len__(self) -> int:
        return len(self.raw)

    def _noise(self) -> set[int]:
        skip: set[int] = set()
        variants: dict[str, set[str]] = {}
        keys: Counter[str] = Counter()
        for s in self.raw:
            key = _footer_key(s, self.is_heading)
            if key:
                keys[key] += 1
                variants.setdefault(key, set()).add(s.strip())
        # a page footer repeats with its page number changing (or, unchanged, many times)
        footers = {k for k, n in keys.items()
                   if len(k) <= 120 and (len(variants[k]) >= 2 or n >= 3)}
        for i, s in enumerate(self.raw):
            key = _footer_key(s, self.is_heading)
            if key in footers:
                skip.add(i)
                self.footer = self.footer or s.strip()
            elif s.strip() and PAGE_NUMBER.match(s):
                skip.add(i)
        i = 0
        while i < len(self.raw):
            end = _footnote_block(self.raw, i)
            if end > i:
                skip.update(range(i, end))
                i = end
            else:
                i += 1
        return skip

    def text(self, i: int) -> str:
        if i < 0 or i >= len(self.raw) or i in self.skip:
            return ""
        return self.raw[i].strip()

    def bullet(self, i: int) -> bool:
        return bool(self.text(i)) and is_bullet(self.raw[i])

    def next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.raw)):
            if self.text(j):
                return j
        return None

    def prev_content(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if self.text(j):
                return j
        return None

    def styled(self, i: int) -> bool:
        return self.styles[i].startswith(HEADING_STYLE)


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------



_WORD = re.compile(r"[^\W\d_]+")


def vocabulary(lines: PageLines) -> Counter[str]:
    vocab: Counter[str] = Counter()
    for s in lines.raw:
        vocab.update(w.lower() for w in _WORD.findall(s))
    return vocab


def repair(title: str, vocab: Counter[str]) -> str:
    """Rejoin ``no mbre`` → ``nombre`` when the whole word occurs in the document and one of
    the pieces hardly does."""
    words = title.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 < len(words):
            nxt = words[i + 1]
            tail = re.search(r"[^\W\d_]+$", w)
            head = re.match(r"[^\W\d_]+", nxt)
            if tail and head and nxt[0].islower():
                a, b = tail.group().lower(), head.group().lower()
                if vocab[a + b] >= 1 and min(vocab[a], vocab[b]) <= 2 and a + b not in (a, b):
                    words[i + 1] = w + nxt
                    i += 1
                    continue
        out.append(w)
        i += 1
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# The document's name and author
# --------------------------------------------------------------------------------------------


def running_metadata(lines: PageLines, words: dict[str, str]) -> tuple[str, str, int | None]:
    """(title, organisation, year) from the running footer (``Note de politique 2022  7  CPAS
    de …``: the part with a ``title_words`` word or a year, the part with an
    ``organization_words`` word), else the first line that matches ``title`` and the most
    frequent ``organization_in_text`` of the document; ``words`` holds those regexes."""
    pats = {k: re.compile(v) for k, v in words.items()}
    title = org = ""
    if lines.footer:
        m = re.match(r"^(.*?\D)\s+\d{1,3}\s+(\D.*)$", lines.footer)
        for part in [m.group(1).strip(), m.group(2).strip()] if m else [lines.footer]:
            if not title and (pats["title_words"].search(part) or re.search(_YEAR, part)):
                title = part
            elif not org and pats["organization_words"].search(part):
                org = part
    if not title:
        title = next((t for t in (lines.text(i) for i in range(min(len(lines), 60)))
                      if t and len(t) < 100 and pats["title"].search(t)), "")
    if not org:
        counts = Counter(" ".join(m.group().split()) for s in lines.raw
                         for m in pats["organization_in_text"].finditer(s))
        org = counts.most_common(1)[0][0] if counts else ""
    years = re.findall(_YEAR, title)
    return title, org, int(years[-1]) if years else None
