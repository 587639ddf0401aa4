"""Deadlines in Belgian working days (Monday–Friday, Belgian public holidays excluded).

Uses the maintained ``holidays`` package for the calendar (Easter Monday, 1 May, Ascension,
Whit Monday, 21 July, 15 August, 1 and 11 November, 25 December, 1 January).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _belgian(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _belgian(day.year)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself not counted).

    ``n`` may be negative (working days before).  ``n == 0`` returns ``start`` moved forward to
    a working day if it is not one.
    """
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days after ``start`` ``end`` falls."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1)
               if is_working_day(start + dt.timedelta(days=i)))


def annual_evaluation_due(year: int) -> dt.date:
    """The annual evaluation of year N is due on 31 March of N+1 (the next working day if that
    is a weekend or holiday)."""
    return add_working_days(dt.date(year + 1, 3, 31), 0)
