"""Values as Belgian plans print them: fuzzy dates, money, FTE, progress, names, lists, norms.

Pure functions, no Django.  Every parser returns "nothing" (``None`` / ``[]``) rather than
guessing when the text does not say; none of them raises on any string, except
``parse_measure`` (a measured value must be a number or say why it is missing).

Belgian number formatting: ``.`` groups thousands (``600.000``), ``,`` is the decimal mark
(``1,8``), a space may also group thousands (``8 500``).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "FuzzyDate", "parse_fuzzy_date", "parse_money", "parse_fte", "parse_progress",
    "split_names", "split_items", "NormTier", "Norm", "parse_norm",
    "format_number", "format_money", "format_date", "parse_number", "parse_measure",
    "MeasureValueError",
]

_SPACES = "\u00a0\u202f\u2009\u2007"  # no-break, narrow no-break, thin, figure spaces
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, en/em dashes, minus


def _clean(text: str) -> str:
    """NFC, odd spaces → space, dashes → '-', whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFC", str(text))
    for ch in _SPACES:
        text = text.replace(ch, " ")
    for ch in _DASHES:
        text = text.replace(ch, "-")
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def fold_accents(text: str) -> str:
    """Lower case without accents: «Échéance» → «echeance» (NFKD: the ligature «ﬁ» → «fi»).
    The base of every keyword match; callers add what their matching needs."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _fold(text: str) -> str:
    """Lower case without accents, for matching keywords."""
    return fold_accents(_clean(text))


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

# A number as printed: 1.234.567,89 / 1 234 567 / 600.000 / 1,8 / 2500 / 0.5
_NUM = r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"


def parse_number(text: str) -> float | None:
    """Parse one number in Belgian (or plain) notation; None when it is not a number."""
    s = _clean(text).replace(" ", "")
    if not s:
        return None
    neg = s.startswith("-")
    s = s.lstrip("+-")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):  # 1.234.567,89
        value = float(s.replace(".", "").replace(",", "."))
    elif re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", s):  # 1,234,567.89 (English)
        value = float(s.replace(",", ""))
    elif re.fullmatch(r"\d+,\d+", s):  # 1,8
        value = float(s.replace(",", "."))
    elif re.fullmatch(r"\d+(?:\.\d+)?", s):  # 2500, 0.5, 22.4
        value = float(s)
    else:
        return None
    return -value if neg else value


# A measured value as people type it in a spreadsheet or a form.
MISSING_MARKERS = {
    # not available (non disponible, niet beschikbaar, not available)
    "nd": "not_available", "n/d": "not_available", "na": "not_available",
    "n/a": "not_available", "nb": "not_available", "n/b": "not_available",
    # not communicated (non communiqué, niet meegedeeld)
    "nc": "not_communicated", "n/c": "not_communicated", "nm": "not_communicated",
}


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class MeasureValueError(ValueError):
    pass


def parse_measure(text) -> tuple[Decimal | None, str]:
    """A measured value as typed: ``(value, "")`` or ``(None, reason)`` for a missing one.

    Accepted: ``81``, ``81,5``, ``81.5``, ``81 %``, ``1.234,5``, ``1 234,5``, ``1,234.5``,
    ``-3``; ``n.d.``/``nd``/``n/a``/``n.b.`` (not available) and ``nc``/``n.c.`` (not
    communicated) are missing values with their reason.  A lone ``1.234`` is read as the
    decimal number a spreadsheet writes (1.234), not as a thousand; numbers stay exact
    (``Decimal``).  Anything else raises :class:`MeasureValueError`.
    """
    if isinstance(text, Decimal):
        return text, ""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return Decimal(str(text)), ""
    if isinstance(text, str) and _PLAIN_NUMBER.fullmatch(text):  # the common case: «91.5»
        return Decimal(text), ""
    s = _clean(str(text or "")).replace(" ", "")
    marker = s.casefold().replace(".", "")
    if marker in MISSING_MARKERS:
        return None, MISSING_MARKERS[marker]
    if s.endswith("%"):
        s = s[:-1]
    neg = s.startswith("-")
    s = s.lstrip("+-")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}", s):  # 1.234,5 1.234.567
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}", s):  # 1,234.5
        s = s.replace(",", "")
    elif re.fullmatch(r"\d*,\d+", s):  # 81,5
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d*)?|\.\d+", s):
        raise MeasureValueError(f"valeur non numérique : {text!r}")
    value = Decimal(s)
    return (-value if neg else value), ""


# ---------------------------------------------------------------------------------------------
# Fuzzy dates
# ---------------------------------------------------------------------------------------------

KINDS = ("day", "month", "quarter", "semester", "year", "range", "open", "relative",
         "invalid", "done")


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a plan prints it, with the range of days the text covers.

    ``kind`` is one of :data:`KINDS`.  ``open`` (``Continu``, ``Permanent``) and ``done``
    (``Réalisé``) may have no dates; ``relative`` (``T + 4 ans``) has ``offset_years`` and dates
    only when a reference year was given.  ``invalid`` keeps the text and has no dates.
    """

    text: str
    start: date | None
    end: date | None
    kind: str
    offset_years: int | None = None

    @property
    def valid(self) -> bool:
        return self.kind != "invalid"


_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
    # Dutch and English months: bilingual bodies print them too
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10, "december": 12, "january": 1, "february": 2, "march": 3,
    "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
    "november": 11,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:1|2|3|4)\s*(?:er|ere|re|e|eme|nd|nde|d)?"
_ORD_WORDS = {"premier": 1, "premiere": 1, "second": 2, "seconde": 2, "deuxieme": 2,
              "troisieme": 3, "quatrieme": 4, "dernier": 4}

_OPEN_RE = re.compile(
    r"(?:en\s+)?continu(?:e|ite)?|(?:en\s+)?permanen(?:t|te|ce)|(?:de\s+)?maniere\s+continue"
    r"|recurrent(?:e)?|ongoing|continuous|doorlopend|permanent|en\s+cours"
    r"|annuel(?:le)?(?:ment)?|chaque\s+annee|tous\s+les\s+ans|jaarlijks"
)
_DONE_RE = re.compile(r"(?:deja\s+)?(?:realise|realisee|realises|realisees|fait|faite|termine"
                      r"|terminee|acheve|achevee|cloture|cloturee|done|gerealiseerd)\b")
_RELATIVE_RE = re.compile(r"[tn]\s*\+\s*(\d{1,2})(?:\s*(?:ans?|annees?|jaar|years?))?")
_PREFIX_RE = re.compile(
    r"^(?:(?:en|pour|courant|durant|au\s+cours\s+de|avant|d'ici|d'ici\s+a|au\s+plus\s+tard"
    r"(?:\s+(?:en|pour|le|a|fin))?|des\s+le|le|vers|horizon|echeance\s*:?|deadline\s*:?"
    r"|date\s*:?|debut\s*:|fin\s*:|(?:fin|debut|courant|mi)\s+(?:du|de\s+la|de|d'))\s*)+"
)
_YEAR_MIN, _YEAR_MAX = 1900, 2199


def _year(s: str, century_from: int | None = None) -> int | None:
    y = int(s)
    if len(s) == 2:
        y += (century_from // 100 * 100) if century_from else 2000
        if century_from and y < century_from:
            y += 100
        if century_from and y - century_from > 30:  # "2020-19", "2020-99": not a period
            return None
    elif len(s) != 4:
        return None
    return y if _YEAR_MIN <= y <= _YEAR_MAX else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _single(s: str, reference_year: int | None,
            century_from: int | None = None) -> FuzzyDate | None:
    """Parse one date expression (already folded); None when not recognised."""
    text = s
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ t]00:00(?::00)?)?", s)  # ISO (spreadsheet cells)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return FuzzyDate(text, d, d, "day")
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})", s)
    if m:
        y = _year(m.group(3))
        try:
            d = date(y, int(m.group(2)), int(m.group(1))) if y else None
        except ValueError:
            d = None
        return FuzzyDate(text, d, d, "day") if d else None
    m = re.fullmatch(r"(?:(\d{1,2}|1er)\s+)?(" + _MONTH_RE + r")\.?\s+(\d{4})", s)
    if m:
        y, mo = _year(m.group(3)), _MONTHS[m.group(2)]
        if not y:
            return None
        if m.group(1):
            try:
                d = date(y, mo, int(m.group(1).replace("er", "")))
            except ValueError:
                return None
            return FuzzyDate(text, d, d, "day")
        return FuzzyDate(text, date(y, mo, 1), _month_end(y, mo), "month")
    m = re.fullmatch(r"(debut|fin|mi|mi-)\s*-?\s*(" + _MONTH_RE + r")\.?\s+(\d{4})", s)
    if m:
        y, mo = _year(m.group(3)), _MONTHS[m.group(2)]
        if not y:
            return None
        return FuzzyDate(text, date(y, mo, 1), _month_end(y, mo), "month")
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{4})", s)
    if m:
        y, mo = _year(m.group(2)), int(m.group(1))
        if not y or not 1 <= mo <= 12:
            return None
        return FuzzyDate(text, date(y, mo, 1), _month_end(y, mo), "month")
    m = (re.fullmatch(r"(" + _ORD + r"|" + "|".join(_ORD_WORDS) + r")\s+semestre\s+(?:de\s+)?"
                      r"(\d{4})", s)
         or re.fullmatch(r"s\s*([12])\s*[-/]?\s*(\d{4})", s)
         or _swap(re.fullmatch(r"(\d{4})\s*[-/]?\s*s\s*([12])", s)))
    if m:
        n, y = _ordinal(m.group(1)), _year(m.group(2))
        if not y or n not in (1, 2):
            return None
        return FuzzyDate(text, date(y, 6 * n - 5, 1), _month_end(y, 6 * n), "semester")
    m = (re.fullmatch(r"(" + _ORD + r"|" + "|".join(_ORD_WORDS) + r")\s+trimestre\s+(?:de\s+)?"
                      r"(\d{4})", s)
         or re.fullmatch(r"[tq]\s*([1-4])\s*[-/]?\s*(\d{4})", s)
         or _swap(re.fullmatch(r"(\d{4})\s*[-/]?\s*[tq]\s*([1-4])", s)))
    if m:
        n, y = _ordinal(m.group(1)), _year(m.group(2))
        if not y or n not in (1, 2, 3, 4):
            return None
        return FuzzyDate(text, date(y, 3 * n - 2, 1), _month_end(y, 3 * n), "quarter")
    m = re.fullmatch(r"(debut|fin|mi|mi-)\s*-?\s*(?:d'annee\s+|de\s+l'annee\s+|annee\s+)?"
                     r"(\d{4})", s)
    if m:
        y = _year(m.group(2))
        if not y:
            return None
        if m.group(1) == "debut":
            return FuzzyDate(text, date(y, 1, 1), date(y, 3, 31), "quarter")
        if m.group(1) == "fin":
            return FuzzyDate(text, date(y, 10, 1), date(y, 12, 31), "quarter")
        return FuzzyDate(text, date(y, 4, 1), date(y, 9, 30), "semester")
    m = re.fullmatch(r"(\d{4}|\d{2})", s)
    if m:
        y = _year(m.group(1), century_from)
        if not y or (len(m.group(1)) == 2 and century_from is None):
            return None
        return FuzzyDate(text, date(y, 1, 1), date(y, 12, 31), "year")
    m = _RELATIVE_RE.fullmatch(s)
    if m:
        n = int(m.group(1))
        if reference_year and _YEAR_MIN <= reference_year and reference_year + n <= _YEAR_MAX:
            return FuzzyDate(text, date(reference_year, 1, 1), date(reference_year + n, 12, 31),
                             "relative", n)
        return FuzzyDate(text, None, None, "relative", n)
    return None


class _Swapped:
    """A match whose two groups are read in the other order ("2024 Q1" as "Q1 2024")."""

    def __init__(self, m: re.Match[str]):
        self._m = m

    def group(self, i: int) -> str:
        return self._m.group(3 - i)


def _swap(m: re.Match[str] | None) -> _Swapped | None:
    return _Swapped(m) if m else None


def _ordinal(s: str) -> int:
    s = s.strip()
    if s in _ORD_WORDS:
        return _ORD_WORDS[s]
    m = re.match(r"\d", s)
    return int(m.group(0)) if m else 0


_RANGE_SEPS = (r"\s+(?:au|a|jusqu'a|jusqu'en|jusque|tot|to|-)\s+", r"\s*-\s*", r"\s*/\s*")


def _expr(s: str, reference_year: int | None) -> FuzzyDate | None:
    """One date or a range of two dates."""
    s = _PREFIX_RE.sub("", s).strip(" .,:;")
    one = _single(s, reference_year)
    if one:
        return one
    m = re.fullmatch(r"(" + _MONTH_RE + r")\.?\s*(?:-|/|a|au)\s*(" + _MONTH_RE
                     + r")\.?\s+(\d{4})", s)
    if m:  # "janvier-juin 2021"
        y, m1, m2 = _year(m.group(3)), _MONTHS[m.group(1)], _MONTHS[m.group(2)]
        if y and m1 <= m2:
            return FuzzyDate(s, date(y, m1, 1), _month_end(y, m2), "range")
        return None
    years = re.split(r"\s*(?:-|,|;|/|\bet\b)\s*", s)
    if len(years) > 2 and re.fullmatch(r"\d{4}", years[0]) \
            and all(re.fullmatch(r"\d{2}|\d{4}", y) for y in years):  # "2020-2021-2022"
        values = [_year(years[0])]
        for y in years[1:]:
            values.append(_year(y, century_from=values[-1]) if values[-1] else None)
        if all(values) and values == sorted(values):
            return FuzzyDate(s, date(values[0], 1, 1), date(values[-1], 12, 31), "range")
    m = re.fullmatch(r"(?:de|du|entre)\s+(.+?)\s+(?:a|au|et|jusqu'a|jusqu'en)\s+(.+)", s)
    pairs = [(m.group(1), m.group(2))] if m else []
    m = re.fullmatch(r"(.+?)\s*(?:,|et)\s*(.+)", s)
    if m:  # "2021, 2022", "2021 et 2022"
        pairs.append((m.group(1), m.group(2)))
    for sep in _RANGE_SEPS:
        parts = re.split(sep, s)
        if len(parts) == 2:
            pairs.append((parts[0], parts[1]))
    for a, b in pairs:
        first = _single(a.strip(), reference_year)
        if not first or first.start is None:
            continue
        second = _single(b.strip(), reference_year, century_from=first.start.year)
        if second and second.end is not None and second.end >= first.start:
            return FuzzyDate(s, first.start, second.end, "range")
    return None


def _combine(parts: list[FuzzyDate | None]) -> FuzzyDate | None:
    """One date for several valid ones: done wins, then open, else the range they span."""
    if not parts or any(p is None or not p.valid for p in parts):
        return None
    starts = [p.start for p in parts if p and p.start]
    ends = [p.end for p in parts if p and p.end]
    kinds = {p.kind for p in parts if p}
    start = min(starts) if starts else None
    if "done" in kinds:
        return FuzzyDate("", start, max(ends) if ends else None, "done")
    if "open" in kinds:
        return FuzzyDate("", start, None, "open")
    if len(parts) == 1 and parts[0]:
        return parts[0]
    if "relative" in kinds and not starts:
        return None
    end = max(ends) if ends else None
    return FuzzyDate("", start, end, "range") if start and end and start <= end else None


def parse_fuzzy_date(text: str, reference_year: int | None = None) -> FuzzyDate | None:
    """Parse a date as printed (``2020-21``, ``09/2019``, ``T + 4 ans``, ``Continu``…).

    Returns None for an empty text, a :class:`FuzzyDate` otherwise (kind ``invalid`` when the
    text is not understood; the text is always kept as printed, whitespace collapsed).
    """
    if text is None:
        return None
    original = " ".join(unicodedata.normalize("NFC", str(text)).split())
    if not original:
        return None
    s = _fold(original).strip(" .,:;")
    if len(re.sub(r"\([^)]*\)?", "", s)) > 120:  # a sentence, not a date
        return FuzzyDate(original, None, None, "invalid")
    if not s or s in {"-", "/", "?", "n/a", "na", "nc"}:
        return FuzzyDate(original, None, None, "invalid")

    found = _expr(s, reference_year)
    if found:
        return FuzzyDate(original, found.start, found.end, found.kind, found.offset_years)
    if ";" in s or "\n" in s:  # several values joined by a parser: "Continu; 2023"
        combined = _combine([parse_fuzzy_date(part, reference_year)
                             for part in re.split(r"[;\n]", original) if part.strip()])
        if combined:
            return FuzzyDate(original, combined.start, combined.end, combined.kind,
                             combined.offset_years)

    # words around a date: "Réalisé (2022)", "Continu depuis 2021", "2025 - 2027 (En cours)"
    bare = re.sub(r"\([^)]*\)?", " ", s)
    bare = " ".join(bare.split()).strip(" .,:;")
    if _DONE_RE.match(bare) or _DONE_RE.fullmatch(s):
        rest = _DONE_RE.sub("", s, count=1).strip(" .,:;()")
        when = _expr(re.sub(r"[()]", " ", rest).strip(), reference_year) if rest else None
        return FuzzyDate(original, when.start if when else None, when.end if when else None,
                         "done")
    if _OPEN_RE.match(bare):
        rest = re.sub(r"^(?:" + _OPEN_RE.pattern + r")", "", s).strip(" .,:;")
        rest = re.sub(r"[()]", " ", rest).strip(" .,:;")
        since = re.match(r"^(?:a\s+partir\s+de|des|depuis)\s+", rest)
        when = _expr(rest[since.end():] if since else rest, reference_year) if rest else None
        if when is None:
            return FuzzyDate(original, None, None, "open")
        return FuzzyDate(original, when.start, None if since else when.end, "open")
    m = re.fullmatch(r"(.+?)(?:\s*(?:->|-|→|\.\.\.|…|\?|et\s+(?:suivante?s?|apres"
                     r"|au-dela)))+", s)
    if m:  # "2020 - …", "2022 et suivantes"
        when = _expr(m.group(1), reference_year)
        if when and when.start:
            return FuzzyDate(original, when.start, None, "open")
    if re.match(r"^(?:a\s+partir\s+de|des|depuis)\s", s):
        when = _expr(re.sub(r"^(?:a\s+partir\s+de|des|depuis)\s+", "", s), reference_year)
        if when:
            return FuzzyDate(original, when.start, None, "open")
    if bare and bare != s:
        found = _expr(bare, reference_year)
        if found:
            return FuzzyDate(original, found.start, found.end, found.kind, found.offset_years)
    return FuzzyDate(original, None, None, "invalid")


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------

_MULT = [
    (r"milliards?|mia|mrd|md", 1e9),
    (r"millions?|mios?|mln|m", 1e6),
    (r"milliers?|k", 1e3),
]
_MULT_RE = "|".join(p for p, _ in _MULT)
_CUR_RE = r"€|eur(?:os?)?\b|euro\b"
_NEXT_OK = r"(?![a-z0-9])"  # the unit must end the word ("5 Mons" is not 5 M)

# 5 M€, 600.000€, 1,8 M, 15 k€, 350.000 euros, 8 à 10 millions d'euros
_MONEY_AFTER = re.compile(
    r"(?<![\d.,/a-z])(" + _NUM + r")\s*(?:(" + _MULT_RE + r")" + _NEXT_OK
    + r"\s*(?:d'\s*)?(" + _CUR_RE + r")?|(" + _CUR_RE + r"))"
)
# € 5.136.000, EUR 2.500, € 1,5 M
_MONEY_BEFORE = re.compile(
    r"(?:€|\beur(?:os?)?\b)\s*(" + _NUM + r")(?:\s*(" + _MULT_RE + r")" + _NEXT_OK + r")?"
)
# a bare number followed by "à"/"-"/"et" then an amount with its unit: "8 à 10 millions"
_LEADING_OF_RANGE = re.compile(r"(?<![\d.,/a-z])(" + _NUM + r")\s*(?:a|-|et|/)\s*$")
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|pour\s*cent|etp|fte|jours?|j\b|mois|ans?\b|annees?|semaines?|h\b|heures?"
    r"|personnes?|agents?|m2|m²|km|lits?|places?|logements?|x\b|fois|ieme|eme|e\b|er\b|[a-z])"
)


def _mult(unit: str | None) -> float:
    if not unit:
        return 1.0
    for pattern, factor in _MULT:
        if re.fullmatch(pattern, unit):
            return factor
    return 1.0


def _is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(19|20|21)\d\d", raw))


def parse_money(text: str) -> list[float]:
    """Amounts in euros printed in ``text``, in order (``[]`` when the text states none).

    An amount needs a currency (``€``, ``euros``) or a multiplier (``M``, ``k``, ``millions``);
    when there is none, bare numbers count (``7500 (mise en œuvre) / 6400``) unless they look
    like years, percentages, dates, counts of something else or are tiny.  A text that is just
    a number is that amount.
    """
    if text is None:
        return []
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return [float(text)] if text >= 0 else []
    s = _fold(str(text))
    if not s:
        return []
    whole = parse_number(s.strip(" .€"))
    if whole is not None and whole >= 0:
        return [round(whole, 2)]

    found: list[tuple[int, float]] = []
    taken: list[tuple[int, int]] = []
    for m in _MONEY_AFTER.finditer(s):
        value = parse_number(m.group(1))
        unit = m.group(2)
        if value is None:
            continue
        if unit and not m.group(3) and unit in ("m", "k") and _is_year(m.group(1)):
            continue
        factor = _mult(unit)
        found.append((m.start(), round(value * factor, 2)))
        taken.append(m.span())
        lead = _LEADING_OF_RANGE.search(s[: m.start()])
        if lead:
            v = parse_number(lead.group(1))
            if v is not None:
                found.append((lead.start(), round(v * factor, 2)))
                taken.append(lead.span())
    for m in _MONEY_BEFORE.finditer(s):
        if any(a <= m.start(1) < b for a, b in taken):
            continue
        value = parse_number(m.group(1))
        if value is not None:
            found.append((m.start(), round(value * _mult(m.group(2)), 2)))
            taken.append(m.span())
    if found:
        return [v for _, v in sorted(found)]
    return _bare_amounts(s)


def _bare_amounts(s: str) -> list[float]:
    """Bare numbers of a money field: not years, percentages, dates or counts of things."""
    out = []
    for m in re.finditer(r"(?<![\d.,/a-z+-])(" + _NUM + r")(?![\d/])", s):
        raw = m.group(1)
        after = s[m.end():]
        if _is_year(raw) or _NOT_MONEY_AFTER.match(after):
            continue
        if re.match(r"\s*[/.-]\s*\d", after):  # part of a date
            continue
        value = parse_number(raw)
        if value is None or value < 100:
            continue
        out.append(round(value, 2))
    return out


# ---------------------------------------------------------------------------------------------
# FTE and progress
# ---------------------------------------------------------------------------------------------

_FRACTIONS = {"½": ",5", "¼": ",25", "¾": ",75", "⅓": ",33", "⅔": ",67"}
_FTE_LABEL = re.compile(r"^\s*(?:[•\-*]\s*)?(?:ressources\s+)?humaines?\s*(?:\(\s*etp\s*\))?\s*:?"
                        r"|^\s*(?:etp|fte)\s*:")


_WORD_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}


def _fractions(s: str) -> str:
    for ch, dec in _FRACTIONS.items():
        s = re.sub(r"(\d)\s*" + ch, lambda m, d=dec: m.group(1) + d, s)
        s = s.replace(ch, "0" + dec)
    return s


def parse_fte(text: str | float | int | None) -> float | None:
    """Full-time equivalents: ``0,5 ETP`` → 0.5, ``1 (en phase …)`` → 1.0, ``½ ETP`` → 0.5.

    Several ``n ETP`` add up (``1 ETP + 0,5 ETP`` → 1.5).  Without the unit, only a number that
    opens the text counts.  ``mi-temps`` → 0.5, ``temps plein`` → 1.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if 0 <= text < 100000 else None
    s = _fold(_fractions(str(text)))
    s = _FTE_LABEL.sub("", s).strip()
    s = re.sub(r"(?<![\d/])(\d)\s*/\s*([2-5])(?![\d/])",  # "1/2 ETP"
               lambda m: format(int(m.group(1)) / int(m.group(2)), ".2f").rstrip("0"), s)
    if not s:
        return None
    tagged = re.findall(r"(?<![\d.,/])(\d+(?:[.,]\d+)?)\s*(?:etp|fte|equivalents?\s+temps\s+plein)",
                        s)
    if tagged:
        values = [parse_number(t) for t in tagged]
        return round(sum(v for v in values if v is not None), 3)
    m = re.match(r"(\d+(?:[.,]\d+)?)(?![\d/.,]|\s*(?:%|€|eur|k€|m€|ans?\b|mois|jours?))", s)
    if m:
        if re.match(r"\s*(?:a|-)\s*\d", s[m.end():]):  # "2 à 3 personnes": a range, not a value
            return None
        value = parse_number(m.group(1))
        return value if value is not None and value <= 500 else None  # not a year
    m = re.match(r"(?!un\s+(?:mi|demi)\b)(un|une|deux|trois|quatre|cinq)\s+"
                 r"(?:etp|personnes?|agents?|collaborat|travailleu"
                 r"|ouvriers?|employes?|assistante?s?|equivalents?\s+temps\s+plein)", s)
    if m:  # "une personne en sus"
        return float(_WORD_NUMBERS[m.group(1)])
    if re.search(r"\b(?:mi|demi)-?\s*(?:temps|etp)\b", s):
        return 0.5
    if re.fullmatch(r"(?:un\s+|1\s+)?(?:agent\s+a\s+)?temps\s+plein", s):
        return 1.0
    return None


def parse_progress(text: str | float | int | None) -> int | None:
    """Progress in percent, 0..100: ``75 %``, ``+/- 35 %``, ``± 50%``, ``100%``; else None."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = _fold(text)
        m = re.search(r"(?<![\d.,])(-?\d+(?:[.,]\d+)?)\s*(?:%|pour\s*cent|pct\b)", s)
        if m is None:
            m = re.fullmatch(r"(?:\+/-|±|env(?:iron)?\.?|ca\.?|~)?\s*(-?\d+(?:[.,]\d+)?)", s)
        if m is None:
            if re.fullmatch(r"(?:100\s*%\s*)?(?:realise|realisee|termine|terminee|acheve|achevee"
                            r"|fait|cloture|cloturee)\.?", s):
                return 100
            if re.fullmatch(r"(?:pas|non)\s+(?:encore\s+)?(?:commence|commencee|demarre|demarree"
                            r"|entame|entamee)\.?", s):
                return 0
            return None
        value = float(m.group(1).replace(",", "."))
        if "%" not in s and "cent" not in s and 0 < value < 1:
            return None  # "0,5": a fraction or a percentage? do not guess
    if not 0 <= value <= 100:
        return None
    return int(round(value))


# ---------------------------------------------------------------------------------------------
# Names and items
# ---------------------------------------------------------------------------------------------

_BULLETS = "•·◦▪▫■□●○‣⁃➢➤►▶→✓✔"
_BULLET_LINE = re.compile(
    r"^\s*(?:[" + _BULLETS + r"]\s*|[*\-]\s+|\d{1,2}[.)]\s+|[a-z][)]\s+|[a-z][.]\s+(?=\S)"
    r"|o\s+(?=\S))"
)
_NAME_SEPS = re.compile(r"\s*(?:[/+,;\n" + _BULLETS + r"]|\s+et\s+|\s+&\s+|\s+-\s+)\s*")


def _split_outside_parens(text: str, pattern: re.Pattern[str]) -> list[str]:
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif depth == 0:
            m = pattern.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return parts


_UNIT_CODE = re.compile(r"[A-Z][A-Za-z]{0,5}(?:-[A-Z0-9]{1,5})+")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}")


def _split_codes(piece: str) -> list[str]:
    """``DS-C DS-H`` (service codes side by side, no separator) → two names."""
    tokens = piece.split()
    if len(tokens) > 1 and all(_UNIT_CODE.fullmatch(t) or _ACRONYM.fullmatch(t) for t in tokens) \
            and any(_UNIT_CODE.fullmatch(t) for t in tokens):
        return tokens
    return [piece]


def split_names(text: str | list[str] | None) -> list[str]:
    """Names (people, services, bodies) in a printed list.

    Splits on ``/``, ``+``, ``,``, ``;``, `` et ``, `` & ``, newlines and bullets (not inside
    parentheses); strips, drops empties, keeps order, drops duplicates (case-insensitive).
    """
    if text is None:
        return []
    pieces: list[str] = []
    for item in ([text] if isinstance(text, str) else list(text)):
        if not isinstance(item, str):
            item = str(item)
        item = unicodedata.normalize("NFC", item)
        for ch in _SPACES:
            item = item.replace(ch, " ")
        for ch in _DASHES:
            item = item.replace(ch, "-")
        pieces.extend(_split_outside_parens(item, _NAME_SEPS))
    pieces = [q for p in pieces for q in _split_codes(p)]
    out: list[str] = []
    seen: set[str] = set()
    for p in pieces:
        p = " ".join(p.split()).strip(" .:;,-*" + _BULLETS)
        if not p:
            continue
        key = _fold(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


_STRONG_BULLET = re.compile(r"\s*(?=[" + _BULLETS + r"])")


_NUMBER_MARK = re.compile(r"\s(\d{1,3})([.)])\s")


def _explode(line: str, alone: bool) -> list[str]:
    """Split a line holding several items glued together ("• a • b"), keeping the markers.

    ``alone``: the line is the whole text (a parser collapsed the list onto one line); then
    ``- a - b`` and ``1. a 2. b`` also split.
    """
    if any(ch in line for ch in _BULLETS):
        return [p for p in _STRONG_BULLET.split(line) if p.strip()]
    if not alone:
        return [line]
    m = re.match(r"\s*([*\-])\s+", line)
    if m:  # "- a - b": the same marker between spaces, not a range of numbers ("2023 - 2024")
        return re.split(r"(?<!\d)\s+(?=" + re.escape(m.group(1)) + r"\s+(?!\d))", line)
    m = re.match(r"\s*1([.)])\s+", line)
    if m:  # "1. a 2. b 3. c": numbers in sequence
        parts, start, n = [], 0, 2
        for nxt in _NUMBER_MARK.finditer(line):
            if nxt.group(1) == str(n) and nxt.group(2) == m.group(1):
                parts.append(line[start:nxt.start()])
                start = nxt.start() + 1
                n += 1
        return parts + [line[start:]]
    return [line]


def split_items(text: str | list[str] | None) -> list[str]:
    """Items of a bulleted or numbered list (``•``, ``-``, ``–``, ``*``, ``1.``, ``a)``…).

    A line that does not open with a bullet continues the item before it (wrapped line).
    A text without bullets is one item.
    """
    if text is None:
        return []
    if not isinstance(text, str):
        out = []
        for item in text:
            out.extend(split_items(item) if isinstance(item, str) else [str(item)])
        return out
    t = unicodedata.normalize("NFC", text)
    for ch in _SPACES:
        t = t.replace(ch, " ")
    t = re.sub("[\u2013\u2014\u2012]", "-", t)
    raw = [ln for ln in t.splitlines() if ln.strip()]
    lines = [piece for ln in raw for piece in _explode(ln, alone=len(raw) == 1)]
    items: list[str] = []
    current: str | None = None
    for ln in lines:
        if _BULLET_LINE.match(ln):
            if current is not None:
                items.append(current)
            current = _BULLET_LINE.sub("", ln, count=1)
        elif current is None:
            current = ln
        elif current.rstrip().endswith("-") and re.match(r"\s*[a-zà-ÿ]", ln):
            current = current.rstrip()[:-1] + ln.strip()  # "commen-" + "taire"
        else:
            current = current + " " + ln
    if current is not None:
        items.append(current)
    result: list[str] = []
    for item in items:
        item = _strip_markers(item)
        if item and not re.fullmatch(r"[" + _BULLETS + r"*\-.]+", item):
            result.append(item)
    return result


def _strip_markers(item: str) -> str:
    """Drop leading bullets / numbers and edge punctuation until none is left."""
    previous = None
    while item != previous:
        previous = item
        item = " ".join(_BULLET_LINE.sub("", item, count=1).split()).strip(" ;,")
    return item


# ---------------------------------------------------------------------------------------------
# Norms (targets of a performance contract)
# ---------------------------------------------------------------------------------------------


@dataclass
class NormTier:
    value: float | None
    unit: str  # "%", "jours", "€", "" …
    within: str = ""  # the delay as printed, e.g. "les 5 jours ouvrables", "le mois"
    within_days: int | None = None  # the delay in days when it is counted in days or weeks
    working_days: bool = False


@dataclass
class Norm:
    text: str
    state: str  # "to_define", "defined", "monitoring"
    tiers: list[NormTier] = field(default_factory=list)


_TO_DEFINE = re.compile(r"\bx{2,}\b|a\s+definir|a\s+determiner|a\s+fixer|a\s+preciser"
                        r"|a\s+etablir|pas\s+encore\s+defini|non\s+defini|\btbd\b|\?\?")
_MONITORING = re.compile(r"monitoring|\bsuivi\b|rapportage|a\s+titre\s+informatif|pour\s+info"
                         r"|mesure\s+seulement|kpi\s+mesure|observation")
_DEFINED = re.compile(r"\b(?:norme|kpi|indicateur|cible)s?\s+(?:est\s+|sont\s+)?(?:defini|valide"
                      r"|adapte|fixe|approuve)e?s?\b")
_TIER = re.compile(
    r"(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>%|pour\s*cent|jours?\s+ouvrables?|jours?\s+calendriers?"
    r"|jours?|semaines?|mois|heures?|h\b|minutes?|min\b|secondes?|sec\b|€|euros?)?"
    r"(?:\s*(?P<prep>dans|en|endeans|sous|au\s+plus\s+tard|d'ici|avant|apres|a)\s+"
    r"(?P<within>(?:les|le|la|l'|un|une)?\s*(?:\d+\s*)?(?:jours?\s+ouvrables?"
    r"|jours?\s+calendriers?|jours?\s+ouvres|jours?|semaines?|mois|ans?|annees?|heures?"
    r"|trimestres?)"
    r"(?:\s+calendriers?|\s+ouvrables?)?))?"
)


def _within_days(within: str) -> int | None:
    m = re.search(r"(\d+)\s*(jours?|semaines?)", within)
    if not m:
        return None
    n = int(m.group(1))
    return n * 7 if m.group(2).startswith("semaine") else n


def parse_norm(text: str | None) -> Norm:
    """A contract norm: ``80 % dans les 5 jours ouvrables / 100 % dans le mois`` → two tiers;
    ``Norme à définir`` / ``xx jours`` → to_define; ``KPI défini`` → defined without a value;
    ``Monitoring`` → monitoring."""
    original = _clean(text or "")
    s = _fold(original)
    if not s:
        return Norm(original, "to_define", [])
    if _TO_DEFINE.search(s):
        return Norm(original, "to_define", [])
    tiers = []
    original_folded = s
    for m in _TIER.finditer(s):
        unit = m.group("unit") or ""
        within = " ".join((m.group("within") or "").split())
        if not unit and not within:
            continue  # a bare number ("1. KPI défini"), not a target
        value = parse_number(m.group("value"))
        working = bool(re.search(r"ouvr", within or unit))
        unit_clean = {"pour cent": "%", "euros": "€", "euro": "€"}.get(unit, unit)
        if unit_clean.startswith("jour"):
            unit_clean = "jours"
        tiers.append(NormTier(value, unit_clean, _restore(original, original_folded, within),
                              _within_days(within), working))
    if tiers or _DEFINED.search(s):
        return Norm(original, "defined", tiers)
    if _MONITORING.search(s):
        return Norm(original, "monitoring", [])
    return Norm(original, "defined", [])


def _restore(original: str, folded: str, piece: str) -> str:
    """The printed (accented) form of a folded piece, when lengths line up."""
    if not piece:
        return ""
    i = folded.find(piece)
    if i >= 0 and len(folded) == len(original):
        return original[i:i + len(piece)]
    return piece


# ---------------------------------------------------------------------------------------------
# Belgian formatting
# ---------------------------------------------------------------------------------------------


def format_number(x: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` → ``"1.235"``; ``format_number(1234.5, 2)`` → ``"1.234,50"``."""
    if x is None:
        return ""
    value = Decimal(str(x))
    if not value.is_finite():
        return str(x)
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # 2,5 → 3
    s = f"{abs(value):,.{decimals}f}"  # 1,234.50
    s = s.replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if value < 0 else "") + s


def format_money(x: float | int | None) -> str:
    """``1234.56`` → ``"1.234,56 €"``; whole amounts without decimals: ``"2.500 €"``."""
    if x is None:
        return ""
    whole = format_number(x, 2).endswith(",00")
    return f"{format_number(x, 0 if whole else 2)} €"


def format_percent(x: float | int | Decimal | None) -> str:
    """At most one decimal, none when the rounded figure is whole: ``45`` → ``"45 %"``,
    ``45.46`` → ``"45,5 %"``, ``69.98`` → ``"70 %"`` (never «70,0 %» beside «10 %»)."""
    if x is None:
        return ""
    one = format_number(x, 1)
    return f"{one[:-2] if one.endswith(',0') else one} %"


def format_date(d: date | None) -> str:
    """``date(2024, 12, 31)`` → ``"31/12/2024"``."""
    return d.strftime("%d/%m/%Y") if d else ""


def colon(mark: str = ":") -> str:
    """A colon (or ``mark``: «;», «?», «!») as the active language writes it: «Statut : » in
    French (a space before), «Status: » in English and Dutch."""
    from django.utils.translation import get_language

    return f" {mark}" if (get_language() or "fr").startswith("fr") else mark


def format_period(key: str | None) -> str:
    """A measurement period's key as people write it, in the active language: ``2026-Q1`` →
    «T1 2026» (fr), «K1 2026» (nl), «Q1 2026» (en); ``2026-03`` → «mars 2026», «maart 2026»,
    «March 2026»; a year stays ``2026``; anything else is shown as it is."""
    from django.utils import formats
    from django.utils.translation import pgettext

    if not key:
        return ""
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", key):
        # Translators: a quarter and its year, e.g. «T1 2026» (trimestre) / «K1 2026» / «Q1 2026».
        return pgettext("quarter", "T%(q)s %(year)s") % {"q": m[2], "year": m[1]}
    if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
        month = int(m[2])
        if 1 <= month <= 12:
            return formats.date_format(date(int(m[1]), month, 1), "F Y")
    return key
