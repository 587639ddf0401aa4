"""Cells that cannot execute: the one rule every XLSX, ODS and CSV writer applies to text.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some read a tab or
a carriage return before them the same way): an imported title
``=HYPERLINK("http://evil.example","Click me")`` would become a live link in a council file.
OWASP's advice (CSV injection): prefix such text with a single quote, so that it shows as text.
Numbers written as numbers are not text and are left alone.  Pure code, no Django.
"""

from __future__ import annotations

from typing import Any

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> str:
    """``value`` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_START):
        return "'" + text
    return text


def safe_cell(value: Any) -> Any:
    """Numbers (int, float, Decimal), dates and booleans unchanged; anything else through
    :func:`safe_text`."""
    import datetime as dt
    from decimal import Decimal

    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return safe_text(value)
