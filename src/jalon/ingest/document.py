"""What a reader hands to a parser: the lines of a document with their positions.

Readers turn bytes into a :class:`Document`; parsers never look at bytes or file names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Typed:
    """A cell's value as the spreadsheet typed it (not as text).

    ``kind`` is ``date`` (value: :class:`datetime.date`), ``number`` (float or int),
    ``percent`` (value in percent: a cell 0.8 formatted ``0%`` gives 80) or ``currency``
    (an amount in the cell's currency, euros unless the format says otherwise).
    """

    kind: str
    value: Any


@dataclass(frozen=True)
class Line:
    """One line of text as the document shows it.

    ``number`` is 1-based and is what warnings and provenance cite.  ``cells`` is set when the
    line is a table row (DOCX, XLSX, CSV, PDF tables); ``text`` is then the cells joined by
    `` | ``.  ``style`` carries a heading level when the format knows it (``"heading 2"``).
    """

    number: int
    text: str
    page: int | None = None
    style: str = ""
    cells: tuple[str, ...] | None = None
    # typed values per cell (same length as ``cells``; None where the cell is text)
    values: tuple[Typed | None, ...] | None = None
    outline: int = 0  # spreadsheet outline level or indentation of the row's first cell
    size: float | None = None  # PDF: the largest font size of the line
    bold: bool = False  # PDF / DOCX: the whole line is bold


@dataclass
class Document:
    name: str  # shown in messages only; parsers must not branch on it
    lines: list[Line] = field(default_factory=list)
    kind: str = "text"  # text, pdf, docx, xlsx, ods, csv, json
    sheets: list[str] = field(default_factory=list)  # sheet names, by ``Line.page`` - 1

    @classmethod
    def from_text(cls, name: str, text: str, kind: str = "text") -> Document:
        return cls(name, [Line(i, t) for i, t in enumerate(text.splitlines(), start=1)], kind)

    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]
