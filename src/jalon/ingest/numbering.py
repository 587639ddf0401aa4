"""Numbers in front of headings and items, of any scheme and depth.

:func:`parse_number` reads the start of a line and returns a :class:`Number`:

=============================================  ==============================  ===============
printed                                        kind                            code / parts
=============================================  ==============================  ===============
``1.`` ``1.2`` ``1.2.3`` ``2)``                ``("num", depth)``              ``1.2`` / (1, 2)
``II.`` ``IV -``                               ``("roman",)``                  ``II`` / (II,)
``A.`` ``b)``                                  ``("upper",)`` / ``("lower",)``  ``A`` / (A,)
``C1`` ``C1.1`` ``DS 2.3``                     ``("alnum", "C", depth)``       ``C1.1`` / (C, 1, 1)
``OS 2`` ``OO 2.3`` ``BD1`` ``AC1.1.1``        ``("level", level name)``       ``OO2.3`` / (2, 3)
``Objectif stratégique 2 :`` ``Art. 8.1.6``    ``("level", level name)``       ``2`` / (2,)
=============================================  ==============================  ===============

Level words (``OS``, ``Objectif opérationnel``, ``Actie``, ``Art.`` …) come from the ``levels``
of ``vocabulary.json``.  ``parts`` is what hierarchy is read from: a number whose parts extend an
open one's (``2.3`` after ``2``) is its child.  ``restarts`` marks single-part numbers (``1``,
``a``, ``II``) that a plan may restart under each parent: the engine qualifies them by the
parent's code so that codes stay unique (the printed form is kept in ``code_as_printed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import mapping as vocab

_SEP = r"\s*(?:[:.)\]–—-]+\s*|\s+)"
_NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,6})(\.?\)?)(?=\s|$|[:–—-])\s*([:–—-]?)\s*(.*)$")
# «CODE — Title» as Jalon's exports and many plans print it (DS-S-1, 2.I.3, OS1.2)
_DASHED = re.compile(r"^([A-Za-z0-9]{1,6}(?:[.\-][A-Za-z0-9]{1,6}){0,7}) [–—] (\S.*)$")
_ROMAN = re.compile(r"^([IVXLC]{1,7})\s*(?:[.)]|\s[-–—:])\s*(.*)$")
_LETTER = re.compile(r"^([A-Za-z])[.)]\s+(.*)$")
_LETTER_DASH = re.compile(r"^([A-Z])\s+[–—-]\s+(.*)$")
_ALNUM = re.compile(r"^([A-Z][A-Za-z]{0,3})[ -]?(\d{1,3}(?:\.\d{1,3}){0,6})\.?(?=\s|$|[:–—-])"
                    r"\s*[:–—-]?\s*(.*)$")
_CODE_AFTER_WORD = re.compile(
    r"^(\d{1,3}(?:\.\d{1,3}){0,6}|[IVXLC]{1,7}|[A-Z]\d{0,3}(?:\.\d{1,3}){0,5}|[a-z])"
    r"(?=[\s:.)–—-]|$)\.?\)?\s*(?:[:–—-]\s*)?(.*)$")
_ROMAN_VALUE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


@dataclass(frozen=True)
class Number:
    kind: tuple[str, ...]
    code: str  # normalised, no spaces: "OO2.3", "1.2", "II"
    printed: str  # as printed: "OO 2.3"
    parts: tuple[str, ...]
    title: str
    level: str = ""  # a level name when a level word was printed
    restarts: bool = False


def parse_number(text: str) -> Number | None:
    text = " ".join(text.split())
    if not text:
        return None
    return _prefixed(text) or _bare(text)


def _title_ok(title: str) -> bool:
    """What follows a number must read as a title, not as a figure or an amount."""
    return title == "" or bool(re.match(r"^[\"«“'(]?[^\W\d_]", title))


def _prefixed(text: str) -> Number | None:
    words = text.split(" ")
    # «BD1», «AC1.1.1», «OS2»: letters glued to the number
    m = re.match(r"^([A-Za-z]{1,4})\.?\s?(\d{1,3}(?:\.\d{1,3}){0,6})\.?(?=\s|$|[:–—-])\s*"
                 r"[:–—-]?\s*(.*)$", text)
    if m:
        level = vocab.level_for(m.group(1))
        if level and _title_ok(m.group(3)):
            digits = m.group(2)
            letters = m.group(1).rstrip(".")
            glued = len(letters) <= 3 and letters.isupper()
            code = f"{letters}{digits}" if glued else digits
            printed = text[:m.start(3)].strip(" :–—-")
            return Number(("level", level), code, printed, tuple(digits.split(".")),
                          m.group(3).strip(), level, restarts=not glued and "." not in digits)
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        head = " ".join(words[:n])
        level = vocab.level_for(head.rstrip(".:"))
        if not level:
            continue
        rest = " ".join(words[n:])
        m = _CODE_AFTER_WORD.match(rest)
        if not m or not _title_ok(m.group(2)):
            continue
        code = m.group(1)
        parts = tuple(code.split(".")) if re.match(r"\d", code) else (code,)
        printed = (head + " " + rest[:m.start(2)]).strip(" :–—-")
        level = vocab.printed_level(head, level)
        return Number(("level", level), code, printed, parts, m.group(2).strip(), level,
                      restarts="." not in code)
    return None


def _bare(text: str) -> Number | None:
    m = _NUM.match(text)
    if m and _title_ok(m.group(4)) and m.group(4):
        code = m.group(1)
        if not ("." in code or m.group(2) or m.group(3)):  # «3 phases»: a count
            return None
        parts = tuple(code.split("."))
        return Number(("num", len(parts)), code, code, parts, m.group(4).strip(),
                      restarts=len(parts) == 1)
    m = _DASHED.match(text)
    if m and re.search(r"\d", m.group(1)) or m and re.fullmatch(r"[A-Z]{1,3}", m.group(1)):
        code = m.group(1)
        parts = tuple(p for p in re.split(r"[.\-]", code) if p)
        return Number(("dashed", str(len(parts))), code, code, parts, m.group(2).strip())
    m = _ALNUM.match(text)
    if m and _title_ok(m.group(3)) and m.group(3):
        letters, digits = m.group(1), m.group(2)
        if letters.isupper() or len(letters) == 1:
            parts = (letters, *digits.split("."))
            code = f"{letters}{digits}"
            printed = text[:m.start(3)].strip(" :–—-")
            return Number(("alnum", letters, str(len(parts))), code, printed, parts,
                          m.group(3).strip())
    m = _ROMAN.match(text)
    if m and _ROMAN_VALUE.match(m.group(1)) and (len(m.group(1)) > 1 or m.group(1) in "IVX") \
            and _title_ok(m.group(2)) and m.group(2):
        return Number(("roman",), m.group(1), m.group(1), (m.group(1),), m.group(2).strip(),
                      restarts=True)
    m = _LETTER.match(text) or _LETTER_DASH.match(text)
    if m and _title_ok(m.group(2)) and m.group(2):
        letter = m.group(1)
        kind = ("upper",) if letter.isupper() else ("lower",)
        return Number(kind, letter, letter, (letter,), m.group(2).strip(), restarts=True)
    return None


def code_parts(code: str) -> tuple[str, ...]:
    """The parts of a code in a cell (``1.2.3`` → (1, 2, 3), ``C1.1`` → (C, 1, 1),
    ``OO 2.3`` → (2, 3) when OO is a level word)."""
    code = " ".join(code.split()).strip(" .:")
    if not code:
        return ()
    m = re.match(r"^([A-Za-z]{1,4})[ .-]?(\d{1,3}(?:\.\d{1,3}){0,6})$", code)
    if m:
        if vocab.level_for(m.group(1)):
            return tuple(m.group(2).split("."))
        return (m.group(1), *m.group(2).split("."))
    if re.fullmatch(r"\d{1,4}(?:[.-]\d{1,4}){0,6}", code):
        return tuple(re.split(r"[.-]", code))
    if re.fullmatch(r"[A-Za-z]{1,4}", code):
        return (code,)
    return tuple(p for p in re.split(r"[.\-/ ]+", code) if p)


def digit_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The numeric parts only: ``SD1`` / ``OD1.1`` / ``A1.1.1`` continue one another by their
    digits even though their letters differ."""
    return tuple(p for p in parts if p.isdigit())


_TOC_ENTRY = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+\S")
# a line of a table of contents: dot leaders (spaced or not), an ellipsis or underscores, then
# the page number
TOC_LINE = re.compile(r"(?:(?:\.\s?){4,}|…+|(?:_\s?){4,})\s*\d{1,4}\s*$")


def toc_numbers(texts) -> set[str]:
    """Section numbers listed in a table of contents (lines ending in dot leaders + page)."""
    out = set()
    for text in texts:
        m = _TOC_ENTRY.match(text)
        if m and TOC_LINE.search(text):
            out.add(m.group("num"))
    return out


def follows(number: str, path: list[str]) -> bool:
    """Does a decimal heading number continue the numbering of the open ones (``path``, outer
    first): first child of the last, or a next sibling (at most 3 further) of one of them?"""
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


def roman_value(text: str) -> int | None:
    """``IV`` → ``4``; None when ``text`` is not a Roman number (the inverse of :func:`roman`)."""
    if not text or not _ROMAN_VALUE.match(text):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return total


def roman(n: int) -> str:
    """``4`` → ``IV`` (``""`` for 0)."""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out
