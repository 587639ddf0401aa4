"""PDF: text lines per page, in reading order, with page numbers (pdfplumber).

Line numbers run through the whole document.  A vertical gap larger than half a line between
two lines of a page becomes an empty line, as in the usual text extractions of the seeds
(paragraphs and table rows separated by blank lines), so parsers see the same shapes whether a
plan arrives as text or as PDF.

Bad PDFs give an :class:`IngestError`: truncated or corrupt file, password protection, more
pages than ``JALON_IMPORT_MAX_PAGES`` (:mod:`.limits`), no extractable text (a scan needs OCR first).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from typing import Any

from ..document import Document, Line
from ..errors import IngestError
from ..i18n import _
from .limits import budget

PARAGRAPH_GAP = 0.5  # a gap above this fraction of the line height is a blank line
# Two glyphs further apart than this fraction of the font size are two words, even when the PDF
# has no space character between them (TeX, some Word exports); pdfplumber's fixed 3 pt default
# glues the words of small fonts together.
WORD_GAP = 0.15
# Borderless tables: a horizontal gap wider than this fraction of the font size separates two
# columns (spaces between words are about a quarter of it); a piece of text belongs to a column
# when it starts no more than COLUMN_TOLERANCE points before it; a vertical gap of more than
# TABLE_GAP line heights ends the table.
GUTTER = 0.8
COLUMN_TOLERANCE = 3.0
TABLE_GAP = 2.0
_CID = re.compile(r"\(cid:\d+\)")  # glyphs without a Unicode mapping (bullets, symbols)

for _noisy in ("pdfminer", "pdfplumber"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


def read_pdf(name: str, data: bytes) -> Document:
    import pdfplumber

    if b"%%EOF" not in data[-2048:]:  # every complete PDF ends with it (after its last xref)
        raise IngestError(_("PDF tronqué ou illisible"), file=name)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of errors on bad files
        raise _error(name, exc) from None
    try:
        with pdf:
            _check_page_count(name, pdf)
            lines = _lines(name, pdf)
    except IngestError:
        raise
    except Exception as exc:
        raise _error(name, exc) from None
    if not any(ln.text.strip() for ln in lines):
        raise IngestError(_("PDF sans texte extractible (document scanné ? faire un OCR "
                            "d'abord)"), file=name)
    return Document(name, lines, "pdf")


def _error(name: str, exc: BaseException) -> IngestError:
    if _is_encrypted_error(exc):
        return IngestError(_("PDF chiffré/protégé par mot de passe"), file=name)
    return IngestError(_("PDF tronqué ou illisible"), file=name)


def _is_encrypted_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, PDFPasswordIncorrect | PDFEncryptionError):
            return True
        if any(isinstance(a, BaseException) and _is_encrypted_error(a) for a in e.args):
            return True
        e = e.__cause__ or e.__context__
    return False


def _check_page_count(name: str, pdf: Any) -> None:
    count = _declared_page_count(pdf)
    if count is not None:
        budget(name).pages(count)


def _declared_page_count(pdf: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count"))
        return int(count)
    except Exception:
        return None


def _lines(name: str, pdf: Any) -> list[Line]:
    out: list[Line] = []
    columns: list[list[float]] = [[]]  # the last borderless table's column starts (next page)
    b = budget(name)
    for pageno, page in enumerate(pdf.pages, start=1):
        b.pages(pageno)  # the declared count may lie
        b.tick()
        tables = _tables(page)
        items = [item for item in page.extract_text_lines(strip=True, return_chars=True,
                                                           x_tolerance_ratio=WORD_GAP)
                 if not (tables and _inside(item, [t[0] for t in tables]))]
        items, unruled = _borderless_tables(page, items, columns)
        events: list[tuple[float, int, Any]] = [(item["top"], 0, item) for item in items]
        for t, (_bbox, rows, *continued) in enumerate(tables + unruled):
            for r, (top, cells) in enumerate(rows):
                split = bool(continued and continued[0] and r == 0 and _continues(cells))
                events.append((top, 1, (t, cells, split)))
        events.sort(key=lambda e: (e[0], e[1]))
        previous: dict[str, Any] | None = None
        table_no: int | None = None
        for _top, kind, payload in events:
            if kind == 1:
                t, cells, split = payload
                last = next((k for k in range(len(out) - 1, -1, -1) if out[k].cells), None)
                if split and last is not None:  # a row cut by the page break: joined
                    out[last] = _join_rows(out[last], cells)
                    table_no, previous = t, None
                    continue
                if table_no is not None and t != table_no:
                    out.append(Line(len(out) + 1, "", pageno))  # two tables, two blocks
                table_no, previous = t, None
                flat = " | ".join(" ".join(c.split()) for c in cells)
                out.append(Line(len(out) + 1, flat, pageno, cells=tuple(cells)))
                continue
            item = payload
            after_table, table_no = table_no is not None, None
            text = unicodedata.normalize("NFC", _CID.sub("", item["text"])).strip()
            if after_table or previous is not None and _paragraph_break(previous, item):
                out.append(Line(len(out) + 1, "", pageno))  # a table ends its block
            size, bold = _font(item.get("chars") or ())
            out.append(Line(len(out) + 1, text, pageno, size=size, bold=bold))
            previous = item
        page.close()  # frees the parsed layout of big documents
    return out


def _tables(page: Any) -> list[tuple[tuple[float, float, float, float],
                                     list[tuple[float, list[str]]]]]:
    """Ruled tables of the page (only looked for when the page draws lines): their box and
    their rows (top, cell texts) with wrapped lines joined."""
    if not (page.lines or page.rects):
        return []
    found = []
    for table in page.find_tables():
        rows = []
        for row, cells in zip(table.rows, table.extract(), strict=False):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                rows.append((row.bbox[1], texts))
        if rows and max(len(r[1]) for r in rows) >= 2:
            found.append((table.bbox, rows))
    return found


def _segments(item: dict[str, Any]) -> list[tuple[float, float]]:
    """The line's pieces separated by a column gutter: (x0, x1) of each run of glyphs whose gap
    to the previous one is under ``GUTTER`` × the font size (spaces between words are less)."""
    chars = sorted((c for c in item.get("chars") or () if c.get("text", "").strip()),
                   key=lambda c: c["x0"])
    out: list[list[float]] = []
    for c in chars:
        if out and c["x0"] - out[-1][1] <= GUTTER * (c.get("size") or 10):
            out[-1][1] = max(out[-1][1], c["x1"])
        else:
            out.append([c["x0"], c["x1"]])
    return [(a, b) for a, b in out]


def _column(seg: tuple[float, float], starts: list[float]) -> int | None:
    """The column a piece sits in: it begins at or after the column's start and ends before
    the next column's (left-aligned or right-aligned cells); None when it straddles two."""
    x0, x1 = seg
    for k in range(len(starts) - 1, -1, -1):
        if x0 >= starts[k] - COLUMN_TOLERANCE:
            nxt = starts[k + 1] if k + 1 < len(starts) else None
            return k if nxt is None or x1 <= nxt + COLUMN_TOLERANCE else None
    return None


def _fits(segs: list[tuple[float, float]], starts: list[float]) -> bool:
    return bool(segs) and all(_column(s, starts) is not None for s in segs)


def _borderless_tables(page: Any, items: list[dict[str, Any]], columns: list[list[float]]
                       ) -> tuple[list[dict[str, Any]], list[tuple[Any, list]]]:
    """Tables drawn without lines (a Word table with borders off, printed to PDF): columns are
    found from the x-positions of the text. A line of at least three pieces separated by column
    gutters is a header; the lines below whose pieces each sit inside one of its columns (same
    font size, no large vertical gap) are the table's rows — a new row where a paragraph gap
    separates the lines or where a line fills two columns or more, wrapped cell lines joined.
    The rows of a table continued on the next page (no header repeated) keep the last table's
    columns (``columns``, carried from page to page); a first row there whose texts start in
    lower case ends the row the page break cut (joined by :func:`_lines`); the page's last
    line, apart and alone, is its footer, not a row. Returns the lines left as text and the
    tables as ``(bbox, [(top, cells)])`` like :func:`_tables`."""
    segs = [_segments(it) for it in items]
    if not any(len(s) >= 2 for s in segs):
        columns[0] = []
        return items, []
    words: list[dict[str, Any]] | None = None
    used: set[int] = set()
    found: list[tuple[Any, list]] = []
    i = 0
    while i < len(items):
        header = len(segs[i]) >= 3
        if columns[0] and not found and len(segs[i]) >= 2 and _fits(segs[i], columns[0]):
            header, starts = False, columns[0]  # the table of the previous page goes on
        elif header:
            starts = [a for a, _b in segs[i]]
        else:
            i += 1
            continue
        size = _size_of(items[i])
        block = [i]
        for j in range(i + 1, len(items)):
            prev, item = items[block[-1]], items[j]
            height = max(prev["bottom"] - prev["top"], 1.0)
            if item["top"] - prev["bottom"] > TABLE_GAP * height or \
                    abs(_size_of(item) - size) > 0.6 or not _fits(segs[j], starts):
                break
            if j == len(items) - 1 and len(segs[j]) < 2 and _paragraph_break(prev, item):
                break  # the page's last line, apart and alone: its footer («Page 2»)
            block.append(j)
        if not any(len(segs[j]) >= 2 for j in block[1:]) and header:
            i += 1  # a line with gaps but nothing aligned under it: not a table
            continue
        if words is None:
            words = page.extract_words(x_tolerance_ratio=WORD_GAP)
        found.append(_table_rows(block, items, segs, starts, words) + (not header,))
        used.update(block)
        columns[0] = starts
        i = block[-1] + 1
    if not used or max(used) < len(items) - 3:
        columns[0] = []  # the page's last table ends before the page does: no continuation
    return [it for k, it in enumerate(items) if k not in used], found


def _continues(cells: list[str]) -> bool:
    """Lines that only continue the cells of the row above (a row cut by a page break, or a
    wrapped line of a table without gaps between rows): the text of its first filled cell — the
    title, in a plan's table — goes on in lower case («papier», «kwartaal»; people's names in
    the next cells keep their capitals)."""
    texts = [c.strip() for c in cells if c.strip()]
    return bool(texts) and texts[0][0].islower()


def _join_rows(above: Line, cells: list[str]) -> Line:
    width = max(len(above.cells or ()), len(cells))
    old = list(above.cells or ()) + [""] * (width - len(above.cells or ()))
    new = list(cells) + [""] * (width - len(cells))
    joined = [" ".join(x for x in (a, b) if x) for a, b in zip(old, new, strict=True)]
    return Line(above.number, " | ".join(" ".join(c.split()) for c in joined), above.page,
                cells=tuple(joined))


def _size_of(item: dict[str, Any]) -> float:
    return _font(item.get("chars") or ())[0] or 0.0


def _table_rows(block: list[int], items: list[dict[str, Any]],
                segs: list[list[tuple[float, float]]], starts: list[float],
                words: list[dict[str, Any]]) -> tuple[Any, list]:
    rows: list[tuple[float, list[list[str]]]] = []
    # rows apart (paragraph gaps): a new row after each gap, wrapped lines never start one;
    # rows packed together: a new row at each line that fills two columns or more
    gapped = any(_paragraph_break(items[a], items[b])
                 for a, b in zip(block, block[1:], strict=False))
    previous = None
    for j in block:
        item = items[j]
        pieces = [(_column(seg, starts),
                   " ".join(w["text"] for w in words
                            if item["top"] - 1 <= (w["top"] + w["bottom"]) / 2 <= item["bottom"] + 1
                            and seg[0] - 0.5 <= w["x0"] and w["x1"] <= seg[1] + 0.5))
                  for seg in segs[j]]
        new_row = previous is None or (
            _paragraph_break(previous, item) if gapped
            else len(pieces) >= 2 and not _continues([text for _k, text in pieces]))
        if new_row:
            rows.append((item["top"], [[] for _ in starts]))
        cells = rows[-1][1]
        for k, text in pieces:
            cells[k].append(text)
        previous = item
    x0 = min(items[j]["x0"] for j in block)
    x1 = max(items[j]["x1"] for j in block)
    bbox = (x0, items[block[0]]["top"], x1, items[block[-1]]["bottom"])
    return bbox, [(top, [_cell_text("\n".join(parts)) for parts in cells])
                  for top, cells in rows]


def _cell_text(text: str | None) -> str:
    """A cell's lines joined: a wrapped line continues, a bullet starts a new item."""
    if not text:
        return ""
    out = ""
    for part in unicodedata.normalize("NFC", _CID.sub("", text)).split("\n"):
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif re.match(r"^[•\-–—*]\s", part):
            out += "\n" + part
        elif out.endswith("-") and not out.endswith(" -") or \
                re.search(r"\d[/.]\d*$", out) and part[:1].isdigit():
            out += part  # «rez-de-» + «chaussée», «31/03/202» + «6»: one word cut by the width
        else:
            out += " " + part
    return out


def _inside(item: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    mid_y = (item["top"] + item["bottom"]) / 2
    mid_x = (item["x0"] + item["x1"]) / 2
    return any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)


def _font(chars: Any) -> tuple[float | None, bool]:
    """The line's font size (largest, to 0.5 pt) and whether most of its glyphs are bold."""
    sizes = [c.get("size") for c in chars if c.get("text", "").strip()]
    if not sizes:
        return None, False
    names = [str(c.get("fontname", "")) for c in chars if c.get("text", "").strip()]
    bold = sum(1 for n in names if re.search(r"bold|black|heavy|semibold|demi", n, re.I))
    return round(max(sizes) * 2) / 2, bold * 2 > len(names)


def _paragraph_break(previous: dict[str, Any], item: dict[str, Any]) -> bool:
    height = max(previous["bottom"] - previous["top"], 1.0)
    return item["top"] - previous["bottom"] > PARAGRAPH_GAP * height
