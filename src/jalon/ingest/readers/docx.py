"""DOCX: the body in reading order (python-docx).

* A paragraph becomes a line (one per manual line break).  Its ``style`` is ``"heading N"`` for
  the built-in heading styles whatever the language of Word (Heading N, Titre N, Kop N …) or an
  outline level, ``"title"`` for the Title style, else ``""``.
* Word's automatic numbering is not part of the paragraph text; it is rendered in front of it
  (``1.2.``, ``a)``, ``•``) as a PDF of the document would print it, so codes typed by numbering
  styles survive.
* A table row becomes one line with ``cells``, one per grid column so that columns stay aligned
  with the header: a cell merged over several columns gives its text once followed by empty
  cells, and the continuation of a cell merged over several rows is empty (as printed).
  ``text`` is the cells joined by `` | ``; nested tables are flattened into their cell.  Empty
  rows are skipped.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..document import Document, Line
from ..errors import IngestError
from ..i18n import _
from ..numbering import roman

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"^(?:heading|titre|kop|überschrift|titolo|título|nagłówek)\s*(\d+)$", re.I)
_TITLE = re.compile(r"^(?:title|titre|titel|titolo|título)$", re.I)


def read_docx(name: str, data: bytes) -> Document:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise IngestError(_("DOCX corrompu ou illisible"), file=name) from None
    try:
        reader = _BodyReader(document)
        reader.walk(document.element.body)
    except IngestError:
        raise
    except Exception:
        raise IngestError(_("DOCX corrompu ou illisible"), file=name) from None
    return Document(name, reader.lines, "docx")


@dataclass
class _Numbering:
    """Enough of numbering.xml to print list and heading numbers."""

    abstract_of: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    levels: dict[str, dict[int, tuple[int, str, str]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, document: Any) -> _Numbering:
        num = cls()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return num
        for absnum in root.iter(W + "abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in absnum.iter(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                start = _val(lvl.find(W + "start"), "1")
                fmt = _val(lvl.find(W + "numFmt"), "decimal")
                text = _val(lvl.find(W + "lvlText"), "")
                levels[ilvl] = (int(start) if start.isdigit() else 1, fmt, text)
            num.levels[absnum.get(W + "abstractNumId", "")] = levels
        for n in root.iter(W + "num"):
            ref = n.find(W + "abstractNumId")
            if ref is not None:
                num.abstract_of[n.get(W + "numId", "")] = ref.get(W + "val", "")
        return num

    def label(self, num_id: str, ilvl: int) -> str:
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "")
        if not levels or ilvl not in levels or abstract is None:
            return ""
        counters = self.counters.setdefault(abstract, {})
        start, fmt, _ = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        return self._render(levels, counters, ilvl)

    @staticmethod
    def _render(levels: dict[int, tuple[int, str, str]], counters: dict[int, int],
                ilvl: int) -> str:
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            start, kfmt, _ = levels.get(k, (1, "decimal", ""))
            return _format_number(counters.get(k, start), kfmt)

        return re.sub(r"%(\d)", sub, text).strip()


def _val(el: Any, default: str) -> str:
    return el.get(W + "val", default) if el is not None else default


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        s = roman(n) or "0"
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        s = _letters(n)
        return s if fmt == "upperLetter" else s.lower()
    return str(n)




def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out or "0"


class _BodyReader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[Line] = []
        self.numbering = _Numbering.load(document)
        self.styles: dict[str, Any] = {}
        try:
            for st in document.styles.element.iter(W + "style"):
                self.styles[st.get(W + "styleId", "")] = st
        except Exception:
            pass

    # -- walking --------------------------------------------------------------------------
    def walk(self, parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
                self.walk(child if child.tag != W + "sdt" else _content(child))

    def add(self, text: str, style: str = "", cells: tuple[str, ...] | None = None,
            bold: bool = False) -> None:
        text = unicodedata.normalize("NFC", text)
        self.lines.append(Line(len(self.lines) + 1, text, None, style, cells, bold=bold))

    def paragraph(self, p: Any) -> None:
        from docx.text.paragraph import Paragraph

        para = Paragraph(p, self.document._body)
        style_id = _style_id(p)
        style = self.heading_style(p, style_id)
        text = para.text
        label = self.number_label(p, style_id)
        if label:
            text = f"{label} {text}"
        runs = [r for r in para.runs if r.text.strip()]
        bold = bool(runs) and all(r.bold for r in runs)
        for part in text.split("\n"):
            self.add(part.rstrip(), style, bold=bold)

    def table(self, tbl: Any) -> None:
        for tr in tbl.iterchildren(W + "tr"):
            cells = self.row_cells(tr)
            if any(c.strip() for c in cells):
                flat = " | ".join(" ".join(c.split()) for c in cells)
                self.add(flat, "", cells)

    def row_cells(self, tr: Any) -> tuple[str, ...]:
        """One text per grid column: a merged cell's text once, then empty strings."""
        trpr = tr.find(W + "trPr")
        before = _val(trpr.find(W + "gridBefore"), "0") if trpr is not None else "0"
        cells: list[str] = [""] * min(int(before) if before.isdigit() else 0, 64)
        for tc in tr.iterchildren(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = _val(tcpr.find(W + "gridSpan"), "1") if tcpr is not None else "1"
            cells.append(self.cell_text(tc))
            cells.extend([""] * (min(int(span), 64) - 1 if span.isdigit() else 0))
        return tuple(cells)

    def cell_text(self, tc: Any) -> str:
        tcpr = tc.find(W + "tcPr")
        vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
        if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
            return ""
        parts: list[str] = []
        self._collect(tc, parts)
        return "\n".join(parts).strip()

    def _collect(self, el: Any, parts: list[str]) -> None:
        from docx.text.paragraph import Paragraph

        for child in el.iterchildren():
            if child.tag == W + "p":
                parts.append(Paragraph(child, self.document._body).text)
            elif child.tag == W + "tbl":
                for tr in child.iterchildren(W + "tr"):
                    row = self.row_cells(tr)
                    parts.append(" | ".join(" ".join(c.split()) for c in row if c))
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
                self._collect(child if child.tag != W + "sdt" else _content(child), parts)

    # -- styles and numbering -------------------------------------------------------------
    def _style_chain(self, style_id: str) -> list[Any]:
        chain, seen = [], set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            st = self.styles[style_id]
            chain.append(st)
            based = st.find(W + "basedOn")
            style_id = based.get(W + "val", "") if based is not None else ""
        return chain

    def heading_style(self, p: Any, style_id: str) -> str:
        level = _outline_level(p.find(W + "pPr"))
        chain = self._style_chain(style_id)
        for st in chain:  # the style, then the styles it is based on
            name = _val(st.find(W + "name"), "")
            if m := _HEADING.match(name) or _HEADING.match(style_id):
                return f"heading {int(m.group(1))}"
            if _TITLE.match(name) or _TITLE.match(style_id):
                return "title"
        if level is None:
            for st in chain:
                level = _outline_level(st.find(W + "pPr"))
                if level is not None:
                    break
        return f"heading {level + 1}" if level is not None and level < 9 else ""

    def number_label(self, p: Any, style_id: str) -> str:
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is None:
            for st in self._style_chain(style_id):
                spr = st.find(W + "pPr")
                numpr = spr.find(W + "numPr") if spr is not None else None
                if numpr is not None:
                    break
        if numpr is None:
            return ""
        num_id = _val(numpr.find(W + "numId"), "")
        ilvl = _val(numpr.find(W + "ilvl"), "0")
        if not num_id or num_id == "0" or not ilvl.isdigit():
            return ""
        return self.numbering.label(num_id, int(ilvl))


def _content(sdt: Any) -> Any:
    content = sdt.find(W + "sdtContent")
    return content if content is not None else sdt.makeelement(W + "sdtContent", {})


def _style_id(p: Any) -> str:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return "Normal"
    return _val(ppr.find(W + "pStyle"), "Normal")


def _outline_level(ppr: Any) -> int | None:
    if ppr is None:
        return None
    v = _val(ppr.find(W + "outlineLvl"), "")
    return int(v) if v.isdigit() else None
