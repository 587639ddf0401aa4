"""PDF: text lines per page, in reading order, with page numbers (pdfplumber).

Line numbers run through the whole document.  A vertical gap larger than half a line between
two lines of a page becomes an empty line, as in the usual text extractions of the seeds
(paragraphs and table rows separated by blank lines), so parsers see the same shapes whether a
plan arrives as text or as PDF.

Bad PDFs give an :class:`IngestError`: truncated or corrupt file, password protection, more
pages than :data:`MAX_PAGES`, no extractable text (a scan needs OCR first).
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

MAX_PAGES = 2000
PARAGRAPH_GAP = 0.5  # a gap above this fraction of the line height is a blank line
# Two glyphs further apart than this fraction of the font size are two words, even when the PDF
# has no space character between them (TeX, some Word exports); pdfplumber's fixed 3 pt default
# glues the words of small fonts together.
WORD_GAP = 0.15
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
    if count is not None and count > MAX_PAGES:
        raise IngestError(_("PDF trop long (%(n)s pages, limite %(limit)s)")
                          % {"n": count, "limit": MAX_PAGES}, file=name)


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
    for pageno, page in enumerate(pdf.pages, start=1):
        if pageno > MAX_PAGES:
            raise IngestError(_("PDF trop long (plus de %(limit)s pages)") % {"limit": MAX_PAGES},
                              file=name)
        tables = _tables(page)
        events: list[tuple[float, int, Any]] = []
        for item in page.extract_text_lines(strip=True, return_chars=True,
                                            x_tolerance_ratio=WORD_GAP):
            if tables and _inside(item, [t[0] for t in tables]):
                continue
            events.append((item["top"], 0, item))
        for t, (_bbox, rows) in enumerate(tables):
            for top, cells in rows:
                events.append((top, 1, (t, cells)))
        events.sort(key=lambda e: (e[0], e[1]))
        previous: dict[str, Any] | None = None
        table_no: int | None = None
        for _top, kind, payload in events:
            if kind == 1:
                t, cells = payload
                if table_no is not None and t != table_no:
                    out.append(Line(len(out) + 1, "", pageno))  # two tables, two blocks
                table_no, previous = t, None
                flat = " | ".join(" ".join(c.split()) for c in cells)
                out.append(Line(len(out) + 1, flat, pageno, cells=tuple(cells)))
                continue
            item = payload
            table_no = None
            text = unicodedata.normalize("NFC", _CID.sub("", item["text"])).strip()
            if previous is not None and _paragraph_break(previous, item):
                out.append(Line(len(out) + 1, "", pageno))
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
