"""Measurement periods: ``2024`` (year), ``2024-Q1`` (quarter), ``2024-03`` (month)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext as _

MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
          "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
          "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
          "augustus": 8, "oktober": 10, "december": 12, "january": 1, "february": 2,
          "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
          # abbreviations as tables print them («déc-21», «janv. 2022»)
          "janv": 1, "jan": 1, "fevr": 2, "fev": 2, "feb": 2, "avr": 4, "apr": 4, "juil": 7,
          "jul": 7, "aou": 8, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
          "mrt": 3, "okt": 10}


class PeriodError(ValueError):
    pass


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.lower())
                   if unicodedata.category(c) != "Mn").strip()


def parse_period(text: str) -> tuple[str, dt.date]:
    """Return the canonical period key and the last day of the period."""
    return _parse_period(str(text))


@lru_cache(maxsize=4096)
def _parse_period(text: str) -> tuple[str, dt.date]:
    s = _fold(str(text))
    if m := re.fullmatch(r"(\d{4})", s):
        y = int(m[1])
        return f"{y}", dt.date(y, 12, 31)
    if m := (re.fullmatch(r"(\d{4})\s*[-/ ]?\s*[qt]([1-4])", s)
             or re.fullmatch(r"[qt]([1-4])\s*[-/ ]?\s*(\d{4})", s)):
        a, b = m[1], m[2]
        y, q = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        month = q * 3
        return f"{y}-Q{q}", dt.date(y, month, calendar.monthrange(y, month)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", s):
        y, mo = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", s):
        mo, y = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"([a-z]+)\.?\s*[-\s]\s*(\d{4}|\d{2})", s):
        if m[1] not in MONTHS:
            raise PeriodError(_("période illisible : « %(text)s »") % {"text": text})
        mo, y = MONTHS[m[1]], int(m[2]) if len(m[2]) == 4 else 2000 + int(m[2])
    else:
        raise PeriodError(_("période illisible : « %(text)s » (attendu : 2024, 2024-Q1 ou 2024-03)")
                          % {"text": text})
    if not 1 <= mo <= 12:
        raise PeriodError(_("mois invalide : « %(text)s »") % {"text": text})
    return f"{y}-{mo:02d}", dt.date(y, mo, calendar.monthrange(y, mo)[1])
