"""Spreadsheets: XLSX (openpyxl), ODS (odfpy) and CSV.

Every non-empty row becomes a :class:`Line` with ``cells`` (trailing empty cells dropped) and
``text`` = the cells joined by `` | ``.  ``number`` is the row number as the spreadsheet shows it
(for CSV, the file line where the record starts) and ``page`` is the sheet (1-based, in workbook
order), so a warning can say "row 12" and the user finds it.

Cell values become text the way the sheet displays them: whole numbers without ``.0``, dates as
``YYYY-MM-DD``, percentages (``0%`` formats) as ``75 %``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from ..document import Document, Line
from ..errors import IngestError
from .text import decode

MAX_CELL_REPEAT = 1000  # ODS "repeated" rows/columns holding data are expanded up to this
MAX_COLUMNS = 1000
DELIMITERS = ";,\t|"


def _line(number: int, cells: list[str], page: int | None) -> Line | None:
    while cells and not cells[-1].strip():
        cells.pop()
    if not any(c.strip() for c in cells):
        return None
    cells = [unicodedata.normalize("NFC", c) for c in cells]
    text = " | ".join(" ".join(c.split()) for c in cells)
    return Line(number, text, page, "", tuple(cells))


# -- XLSX -------------------------------------------------------------------------------------
def read_xlsx(name: str, data: bytes) -> Document:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise IngestError("XLSX corrompu ou illisible", file=name) from None
    lines: list[Line] = []
    try:
        for page, ws in enumerate(wb.worksheets, start=1):
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a lying <dimension> must not make us walk 1M empty rows
            for row in ws.iter_rows():
                if not row:
                    continue
                number = getattr(row[0], "row", None)
                if number is None:  # EmptyCell of a sparse row
                    number = next((c.row for c in row if getattr(c, "row", None)), None)
                if number is None:
                    continue
                ln = _line(number, [_xlsx_cell(c) for c in row[:MAX_COLUMNS]], page)
                if ln:
                    lines.append(ln)
    except IngestError:
        raise
    except Exception:
        raise IngestError("XLSX corrompu ou illisible", file=name) from None
    finally:
        wb.close()
    return Document(name, lines, "xlsx")


def _xlsx_cell(cell: Any) -> str:
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
        return f"{_number(value * 100)} %"
    return cell_text(value)


def cell_text(value: Any) -> str:
    """A cell value as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")


def _number(value: float) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        rounded = round(value, 9)
        if rounded.is_integer():
            return str(int(rounded))
        return repr(rounded)
    return str(value)


# -- ODS --------------------------------------------------------------------------------------
def read_ods(name: str, data: bytes) -> Document:
    from odf.opendocument import load

    try:
        odf = load(io.BytesIO(data))
    except Exception:
        raise IngestError("ODS corrompu ou illisible", file=name) from None
    lines: list[Line] = []
    try:
        from odf.namespaces import TABLENS

        tables = [t for t in odf.spreadsheet.childNodes if t.qname == (TABLENS, "table")]
        for page, table in enumerate(tables, start=1):
            for number, cells in _ods_rows(table):
                ln = _line(number, cells, page)
                if ln:
                    lines.append(ln)
    except Exception:
        raise IngestError("ODS corrompu ou illisible", file=name) from None
    return Document(name, lines, "ods")


def _ods_rows(table: Any) -> Iterator[tuple[int, list[str]]]:
    number = 0
    for row in _ods_children(table, {"table-row"}, {"table-row-group", "table-rows",
                                                      "table-header-rows"}):
        repeat = _repeat(row, "number-rows-repeated")
        cells = _ods_cells(row)
        if not any(c.strip() for c in cells):
            number += repeat
            continue
        for _ in range(min(repeat, MAX_CELL_REPEAT)):
            number += 1
            yield number, list(cells)
        number += max(repeat - MAX_CELL_REPEAT, 0)


def _ods_children(el: Any, wanted: set[str], groups: set[str]) -> Iterable[Any]:
    for child in el.childNodes:
        local = getattr(child, "qname", (None, None))[1]
        if local in wanted:
            yield child
        elif local in groups:
            yield from _ods_children(child, wanted, groups)


def _ods_cells(row: Any) -> list[str]:
    cells: list[str] = []
    pending_empty = 0
    for cell in row.childNodes:
        local = getattr(cell, "qname", (None, None))[1]
        if local not in ("table-cell", "covered-table-cell"):
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        text = _ods_cell_text(cell) if local == "table-cell" else ""
        if not text:
            pending_empty += repeat  # trailing empty cells are never expanded
            continue
        cells.extend([""] * min(pending_empty, MAX_COLUMNS))
        pending_empty = 0
        cells.extend([text] * min(repeat, MAX_CELL_REPEAT))
        if len(cells) >= MAX_COLUMNS:
            break
    return cells[:MAX_COLUMNS]


def _repeat(el: Any, attr: str) -> int:
    from odf.namespaces import TABLENS

    raw = el.attributes.get((TABLENS, attr))
    try:
        return max(int(raw), 1) if raw else 1
    except ValueError:
        return 1


def _ods_cell_text(cell: Any) -> str:
    from odf.namespaces import OFFICENS, TEXTNS

    paragraphs = [_odf_text(p) for p in cell.childNodes
                  if getattr(p, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h"))]
    text = "\n".join(paragraphs).strip()
    vtype = cell.attributes.get((OFFICENS, "value-type"))
    value = cell.attributes.get((OFFICENS, "value"))
    if vtype == "float" and value is not None:
        try:
            return _number(float(value))
        except ValueError:
            return text
    if vtype == "percentage" and value is not None:
        try:
            return f"{_number(float(value) * 100)} %"
        except ValueError:
            return text
    if vtype == "date" and not text:
        return cell.attributes.get((OFFICENS, "date-value"), "")
    return text


def _odf_text(node: Any) -> str:
    """Text of an ODF paragraph: spaces (text:s), tabs and line breaks included."""
    from odf.namespaces import TEXTNS

    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(str(child.data))
            continue
        qname = getattr(child, "qname", None)
        if qname == (TEXTNS, "s"):
            out.append(" " * int(child.attributes.get((TEXTNS, "c"), "1") or 1))
        elif qname == (TEXTNS, "tab"):
            out.append("\t")
        elif qname == (TEXTNS, "line-break"):
            out.append("\n")
        else:
            out.append(_odf_text(child))
    return "".join(out)


# -- CSV --------------------------------------------------------------------------------------
def read_csv(name: str, data: bytes, text: str | None = None) -> Document:
    if text is None:
        text = decode(data, name)
    delimiter = sniff_delimiter(text) or ";"
    lines: list[Line] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            ln = _line(start, [c.strip("\r") for c in record[:MAX_COLUMNS]], None)
            if ln:
                lines.append(ln)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise IngestError(f"CSV illisible ({exc})", file=name, line=start) from None
    return Document(name, lines, "csv")


def sniff_delimiter(text: str) -> str | None:
    """The delimiter of a CSV text: :class:`csv.Sniffer`'s guess when the rows agree with it,
    else the delimiter that splits most lines into the same number of fields.

    Returns None when no delimiter gives a consistent table (the text is prose).
    """
    best = csv_consistency(text)
    if best is None:
        return None
    try:
        sniffed = csv.Sniffer().sniff(text[:20_000], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and sniffed != best[0]:
        other = csv_consistency(text, only=sniffed)
        if other is not None and other[1] >= best[1]:
            return sniffed
    return best[0]


def csv_consistency(text: str, max_lines: int = 200,
                    only: str | None = None) -> tuple[str, float, int] | None:
    """(delimiter, share of rows with the usual field count, that count) for the best one."""
    sample = [ln for ln in re.split(r"\r\n|\r|\n", text[:200_000]) if ln.strip()][:max_lines]
    if len(sample) < 2:
        return None
    best: tuple[str, float, int] | None = None
    for delim in only or DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delim))
        except csv.Error:
            continue
        counts = [len(r) for r in rows]
        usual = max(set(counts), key=counts.count)
        if usual < 2:
            continue
        share = counts.count(usual) / len(counts)
        if best is None or (share, usual) > (best[1], best[2]):
            best = (delim, share, usual)
    return best
