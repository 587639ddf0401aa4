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

from ..document import Document, Line, Typed
from ..errors import IngestError
from ..i18n import _
from .limits import budget
from .text import decode

FULL_READ_LIMIT = 4 * 1024 * 1024  # XLSX up to this size are read whole (merged cells, outline)
FULL_READ_CELLS = 250_000  # … and up to this many cells (more are streamed, the clock watched)
MAX_CELL_REPEAT = 1000  # ODS "repeated" rows/columns holding data are expanded up to this
MAX_COLUMNS = 1000
DELIMITERS = ";,\t|"


def _line(number: int, cells: list[str], page: int | None,
          values: list[Typed | None] | None = None, outline: int = 0) -> Line | None:
    while cells and not cells[-1].strip():
        cells.pop()
    if not any(c.strip() for c in cells):
        return None
    cells = [unicodedata.normalize("NFC", c) for c in cells]
    text = " | ".join(" ".join(c.split()) for c in cells)
    typed = None
    if values and any(v is not None for v in values[:len(cells)]):
        typed = tuple(values[:len(cells)]) + (None,) * max(len(cells) - len(values), 0)
    return Line(number, text, page, "", tuple(cells), typed, outline)


# -- XLSX -------------------------------------------------------------------------------------
def read_xlsx(name: str, data: bytes) -> Document:
    import openpyxl

    full = len(data) <= FULL_READ_LIMIT and budget(name).declared_cells <= FULL_READ_CELLS
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=not full, data_only=True)
    except Exception:
        raise IngestError(_("XLSX corrompu ou illisible"), file=name) from None
    lines: list[Line] = []
    sheets: list[str] = []
    b = budget(name)
    try:
        for page, ws in enumerate(wb.worksheets, start=1):
            sheets.append(str(ws.title))
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a lying <dimension> must not make us walk 1M empty rows
            filled = _merged_fill(ws) if full else {}
            for row in ws.iter_rows():
                b.add(1, len(row))  # empty formatted rows and cells count: they cost time
                if not row:
                    continue
                number = getattr(row[0], "row", None)
                if number is None:  # EmptyCell of a sparse row
                    number = next((c.row for c in row if getattr(c, "row", None)), None)
                if number is None:
                    continue
                cells, values = [], []
                for c in row[:MAX_COLUMNS]:
                    ref = filled.get((number, getattr(c, "column", 0)))
                    src = ref if ref is not None else c
                    cells.append(_xlsx_cell(src))
                    values.append(_xlsx_typed(src))
                ln = _line(number, cells, page, values, _xlsx_outline(ws, number, row) if full
                           else 0)
                if ln:
                    lines.append(ln)
    except IngestError:
        raise
    except Exception:
        raise IngestError(_("XLSX corrompu ou illisible"), file=name) from None
    finally:
        wb.close()
    return Document(name, lines, "xlsx", sheets)


def _merged_fill(ws: Any) -> dict[tuple[int, int], Any]:
    """Cells covered by a vertical merge → the merge's top cell (merged cells filled down)."""
    out: dict[tuple[int, int], Any] = {}
    for rng in list(getattr(ws, "merged_cells", None) or ())[:10_000]:
        if rng.max_row == rng.min_row:
            continue  # merged across columns only: a title spanning the table
        top = ws.cell(rng.min_row, rng.min_col)
        for r in range(rng.min_row + 1, min(rng.max_row, rng.min_row + 5000) + 1):
            out[(r, rng.min_col)] = top
    return out


def _xlsx_outline(ws: Any, number: int, row: Any) -> int:
    level = 0
    try:
        dims = ws.row_dimensions
        if number in dims:  # indexing a missing row would create its dimension object
            level = int(dims[number].outline_level or 0)
    except Exception:
        level = 0
    for c in row:
        if getattr(c, "value", None) not in (None, ""):
            try:
                indent = int(c.alignment.indent or 0)
            except Exception:
                indent = 0
            return max(level, indent)
    return level


def _xlsx_typed(cell: Any) -> Typed | None:
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, dt.datetime):
        return Typed("date", value.date())
    if isinstance(value, dt.date):
        return Typed("date", value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in fmt:
            return Typed("percent", round(value * 100, 6))
        if "€" in fmt or "EUR" in fmt.upper() or "[$" in fmt:
            return Typed("currency", value)
        return Typed("number", value)
    return None


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
        raise IngestError(_("ODS corrompu ou illisible"), file=name) from None
    lines: list[Line] = []
    sheets: list[str] = []
    try:
        from odf.namespaces import TABLENS

        b = budget(name)
        tables = [t for t in odf.spreadsheet.childNodes if t.qname == (TABLENS, "table")]
        for page, table in enumerate(tables, start=1):
            sheets.append(str(table.attributes.get((TABLENS, "name"), "") or ""))
            for number, cells, values, outline in _ods_rows(table):
                b.add(1, len(cells))
                ln = _line(number, cells, page, values, outline)
                if ln:
                    lines.append(ln)
    except IngestError:
        raise
    except Exception:
        raise IngestError(_("ODS corrompu ou illisible"), file=name) from None
    return Document(name, lines, "ods", sheets)


def _ods_rows(table: Any) -> Iterator[tuple[int, list[str], list[Typed | None], int]]:
    """Rows of a sheet: (row number, cell texts, typed values, outline depth).  A cell merged
    over several rows (``table:number-rows-spanned``) fills the covered cells below it, as a
    reader of the sheet sees it (merged ancestor columns give every row its parent)."""
    number = 0
    spans: dict[int, list[Any]] = {}  # column → [text, typed, rows still covered]
    for row, depth in _ods_children(table, {"table-row"}, {"table-row-group", "table-rows",
                                                             "table-header-rows"}):
        repeat = _repeat(row, "number-rows-repeated")
        cells, values = _ods_cells(row, spans)
        for col in list(spans):
            spans[col][2] -= repeat
            if spans[col][2] <= 0:
                del spans[col]
        if not any(c.strip() for c in cells):
            number += repeat
            continue
        for _copy in range(min(repeat, MAX_CELL_REPEAT)):
            number += 1
            yield number, list(cells), list(values), depth
        number += max(repeat - MAX_CELL_REPEAT, 0)


def _ods_children(el: Any, wanted: set[str], groups: set[str],
                  depth: int = 0) -> Iterable[tuple[Any, int]]:
    for child in el.childNodes:
        local = getattr(child, "qname", (None, None))[1]
        if local in wanted:
            yield child, depth
        elif local in groups:
            yield from _ods_children(child, wanted, groups,
                                     depth + (local == "table-row-group"))


def _ods_cells(row: Any, spans: dict[int, list[Any]] | None = None
               ) -> tuple[list[str], list[Typed | None]]:
    """The row's cells; ``spans`` holds the vertical merges open above this row (read and
    updated: a cell spanning rows opens one)."""
    spans = {} if spans is None else spans
    cells: list[str] = []
    values: list[Typed | None] = []
    pending_empty = 0
    col = 0
    opened: dict[int, list[Any]] = {}
    for cell in row.childNodes:
        local = getattr(cell, "qname", (None, None))[1]
        if local not in ("table-cell", "covered-table-cell"):
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        here, col = col, col + repeat
        if local == "covered-table-cell":
            above = spans.get(here)
            text, typed = (above[0], above[1]) if above else ("", None)
        else:
            text = _ods_cell_text(cell)
            typed = _ods_typed(cell) if text else None
            rows = _repeat(cell, "number-rows-spanned")
            if rows > 1 and text:
                opened[here] = [text, typed, rows]
        if not text:
            pending_empty += repeat  # trailing empty cells are never expanded
            continue
        n = min(pending_empty, MAX_COLUMNS)
        cells.extend([""] * n)
        values.extend([None] * n)
        pending_empty = 0
        cells.extend([text] * min(repeat, MAX_CELL_REPEAT))
        values.extend([typed] * min(repeat, MAX_CELL_REPEAT))
        if len(cells) >= MAX_COLUMNS:
            break
    spans.update(opened)
    return cells[:MAX_COLUMNS], values[:MAX_COLUMNS]


def _ods_typed(cell: Any) -> Typed | None:
    from odf.namespaces import OFFICENS

    vtype = cell.attributes.get((OFFICENS, "value-type"))
    try:
        if vtype == "date":
            raw = cell.attributes.get((OFFICENS, "date-value"), "") or ""
            return Typed("date", dt.date.fromisoformat(raw[:10]))
        value = cell.attributes.get((OFFICENS, "value"))
        if value is None:
            return None
        number = float(value)
        number = int(number) if number.is_integer() else number
        if vtype == "float":
            return Typed("number", number)
        if vtype == "percentage":
            return Typed("percent", round(float(value) * 100, 6))
        if vtype == "currency":
            return Typed("currency", number)
    except ValueError:
        return None
    return None


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
    if vtype == "date":
        raw = cell.attributes.get((OFFICENS, "date-value"), "") or ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T00:00:00)?", raw):
            return raw[:10]  # the date, whatever the display format (never «date non reconnue»)
        return text or raw
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
    b = budget(name)
    try:
        for record in reader:
            b.add(1, len(record))
            ln = _line(start, [c.strip("\r") for c in record[:MAX_COLUMNS]], None)
            if ln:
                lines.append(ln)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise IngestError(_("CSV illisible (%(error)s)") % {"error": exc}, file=name,
                          line=start) from None
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
