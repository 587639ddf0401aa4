"""Bounded reading: a crafted file cannot hold a web worker forever.

Four limits, from the environment (docs/settings.md), each named in its one-line refusal:

==============================  ==========  ====================================================
``JALON_IMPORT_MAX_LINES``      200000      lines read: spreadsheet rows (empty formatted rows
                                            included), DOCX paragraphs and table rows, text lines
``JALON_IMPORT_MAX_CELLS``      2000000     spreadsheet cells read (empty formatted cells
                                            included)
``JALON_IMPORT_MAX_PAGES``      2000        PDF pages
``JALON_IMPORT_TIME_LIMIT``     60          seconds the reading may take (under the web server's
                                            120 s worker timeout)
==============================  ==========  ====================================================

Office files are counted **before** a library parses them: their XML is inflated as a stream
(constant memory) and its row/cell/paragraph elements counted, so a sheet of a million formatted
empty rows is refused in a second instead of being loaded. The readers' loops then count what
they produce and look at the clock (:func:`budget`), for what the elements do not show (ODS
rows repeated by ``number-rows-repeated``, PDF pages).
"""

from __future__ import annotations

import contextvars
import os
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import IngestError
from ..i18n import _

DEFAULTS = {"lines": 200_000, "cells": 2_000_000, "pages": 2000, "seconds": 60.0}
SETTINGS = {"lines": "JALON_IMPORT_MAX_LINES", "cells": "JALON_IMPORT_MAX_CELLS",
            "pages": "JALON_IMPORT_MAX_PAGES", "seconds": "JALON_IMPORT_TIME_LIMIT"}


@dataclass(frozen=True)
class Limits:
    lines: int = DEFAULTS["lines"]
    cells: int = DEFAULTS["cells"]
    pages: int = DEFAULTS["pages"]
    seconds: float = DEFAULTS["seconds"]


def limits_from_env() -> Limits:
    """The limits set in the environment; a missing, unreadable or non-positive value keeps the
    default."""
    values = {}
    for key, var in SETTINGS.items():
        raw = os.environ.get(var, "").strip()
        try:
            value = float(raw) if key == "seconds" else int(raw)
        except ValueError:
            continue
        if value > 0:
            values[key] = value
    return Limits(**values)


def _n(value: float) -> str:
    """1.234 as Belgians write it, 0,5 for a fraction of a second."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:g}".replace(".", ",")


class Budget:
    """What one reading may still consume; every refusal names the limit and its setting."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.lines = self.cells = 0
        self.declared_cells = 0  # cells counted in an office file's XML before loading it
        self.deadline = time.monotonic() + limits.seconds

    def refuse(self, kind: str, seen: int | None = None) -> IngestError:
        limit = getattr(self.limits, kind)
        what = {"lines": _("plus de %(limit)s lignes (limite %(setting)s)"),
                "cells": _("plus de %(limit)s cellules (limite %(setting)s)"),
                "pages": _("%(seen)s pages, plus que la limite de %(limit)s (%(setting)s)"),
                "seconds": _("lecture arrêtée après %(limit)s s (limite %(setting)s)")}[kind]
        return IngestError(_("document trop grand à lire : %(what)s")
                           % {"what": what % {"limit": _n(limit), "seen": _n(seen or 0),
                                              "setting": SETTINGS[kind]}},
                           file=self.name)

    def add(self, lines: int = 1, cells: int = 0) -> None:
        """Count lines/rows and cells read; look at the clock every 256 lines."""
        self.lines += lines
        self.cells += cells
        if self.lines > self.limits.lines:
            raise self.refuse("lines")
        if self.cells > self.limits.cells:
            raise self.refuse("cells")
        if not self.lines & 0xFF:
            self.tick()

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.refuse("seconds")

    def pages(self, count: int) -> None:
        if count > self.limits.pages:
            raise self.refuse("pages", count)


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("jalon_read_budget",
                                                                       default=None)


@contextmanager
def reading(name: str, limits: Limits | None = None) -> Iterator[Budget]:
    """The budget of one document's reading (nested readings share the outer one)."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    b = Budget(name, limits or limits_from_env())
    token = _CURRENT.set(b)
    try:
        yield b
    finally:
        _CURRENT.reset(token)


def budget(name: str = "") -> Budget:
    """The current reading's budget (a fresh one with the environment's limits outside
    :func:`reading`, e.g. a reader called directly)."""
    current = _CURRENT.get()
    return current if current is not None else Budget(name, limits_from_env())


# -- counting elements before parsing ---------------------------------------------------------
_CHUNK = 256 * 1024


def count_elements(zf: zipfile.ZipFile, entry: str, patterns: tuple[bytes, ...],
                   b: Budget) -> list[int]:
    """Occurrences of each byte pattern in a ZIP entry, inflated as a stream (constant
    memory); the clock is looked at every chunk."""
    counts = [0] * len(patterns)
    keep = max(len(p) for p in patterns) - 1
    tail = b""
    with zf.open(entry) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            window = tail + chunk
            for i, pattern in enumerate(patterns):
                # occurrences wholly inside the tail were counted with the previous chunk
                counts[i] += window.count(pattern) - tail.count(pattern)
            tail = window[-keep:] if keep else b""
            b.tick()
    return counts


def check_office_counts(name: str, zf: zipfile.ZipFile, kind: str, b: Budget) -> None:
    """Refuse an XLSX, ODS or DOCX whose XML holds more rows/cells/paragraphs than the limits,
    before any library loads it."""
    if kind == "xlsx":
        entries = [i.filename for i in zf.infolist()
                   if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        patterns: tuple[bytes, ...] = (b"<row", b":row ", b"<c ", b":c ")
    elif kind == "ods":
        entries = ["content.xml"] if "content.xml" in zf.namelist() else []
        patterns = (b"<table:table-row", b"<table:table-cell")
    else:
        entries = ["word/document.xml"] if "word/document.xml" in zf.namelist() else []
        patterns = (b"<w:p>", b"<w:p ", b"<w:tr>", b"<w:tr ")
    lines = cells = 0
    for entry in entries:
        counts = count_elements(zf, entry, patterns, b)
        if kind == "xlsx":
            lines, cells = lines + counts[0] + counts[1], cells + counts[2] + counts[3]
        elif kind == "ods":
            lines, cells = lines + counts[0], cells + counts[1]
        else:
            lines += sum(counts)
        if lines > b.limits.lines:
            raise b.refuse("lines")
        if cells > b.limits.cells:
            raise b.refuse("cells")
    b.declared_cells = cells
