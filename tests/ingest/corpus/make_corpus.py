"""Generate the import corpus: plans of fictitious Belgian public bodies and their expected trees.

Run from the repository root::

    PYTHONPATH=src /work/main/.venv/bin/python tests/ingest/corpus/make_corpus.py

Every document is described ONCE, as plain data (a tree of :class:`Node` with contract fields),
and rendered by a format-specific writer (DOCX, XLSX, ODS, CSV, text; PDFs are LibreOffice's
conversion of the generated DOCX).  The expected tree (``<file>.expected.json``) is derived from
the same description, so a document and its expectation cannot drift apart.  The output is
deterministic (fixed metadata and ZIP timestamps; PDF dates and ids fixed), so regenerating
gives byte-identical files unless the description or a library changes.  LibreOffice is needed
only to generate, never at test time: the generated files are committed.

To add a document: add a function decorated with ``@document`` that returns a :class:`Doc`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402

OUT = HERE / "documents"
FIXED = dt.datetime(2026, 1, 15, 9, 0, 0)
ZIP_TIME = (2026, 1, 15, 9, 0, 0)

# ---------------------------------------------------------------------------------------------
# The description: a tree of nodes with contract fields
# ---------------------------------------------------------------------------------------------
DATE_KEYS = ("start", "end", "deadline")
LIST_KEYS = ("departments", "owners", "team", "partners", "risks", "deliverables")


@dataclass
class Node:
    title: str
    code: str | None = None  # as printed; None when the document prints no code
    fields: dict[str, Any] = field(default_factory=dict)  # contract fields (see README)
    extra: dict[str, Any] = field(default_factory=dict)  # columns outside the contract
    children: list[Node] = field(default_factory=list)
    depth: int = 0
    parent: Node | None = None
    theme: int | None = None  # the bank's theme it comes from (fitting services, indicators)


@dataclass
class Doc:
    name: str  # file name, extension included
    body: str  # the fictitious public body
    lang: str
    title: str
    exercises: str
    roots: list[Node]
    writer: Callable[[Doc], bytes]
    opts: dict[str, Any] = field(default_factory=dict)
    pdf: bool = False  # also convert to PDF (DOCX only)

    def walk(self) -> list[Node]:
        out: list[Node] = []

        def rec(n: Node) -> None:
            out.append(n)
            for c in n.children:
                rec(c)

        for r in self.roots:
            rec(r)
        return out

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if not n.children]


# ---------------------------------------------------------------------------------------------
# Building trees from the word banks
# ---------------------------------------------------------------------------------------------
LEVELS = ("axe", "os", "oo", "action")


def _bank(lang: str) -> list[tuple[str, list]]:
    """The bank as a tree axe > os > oo > action of (title, children) tuples."""
    themes = C.FR_THEMES if lang == "fr" else C.NL_THEMES
    os_nodes = [(goal, [(oo, [(a, []) for a in acts]) for oo, acts in oos])
                for goal, oos in themes]
    axes = C.FR_AXES if lang == "fr" else ["Samenleven", "Wonen en omgeving", "Bestuur"]
    size = -(-len(os_nodes) // len(axes))
    return [(ax, os_nodes[i * size:(i + 1) * size]) for i, ax in enumerate(axes)]


def _theme_of(lang: str) -> dict[str, int]:
    themes = C.FR_THEMES if lang == "fr" else C.NL_THEMES
    out = {}
    for i, (goal, oos) in enumerate(themes):
        out[goal] = i
        for oo, acts in oos:
            out[oo] = i
            out.update(dict.fromkeys(acts, i))
    return out


def _at(nodes: list, level: int, want: int) -> list:
    if level == want:
        return nodes
    return [x for _, kids in nodes for x in _at(kids, level + 1, want)]


def make_tree(rng: random.Random, lang: str, levels: tuple[str, ...],
              counts: list[tuple[int, int]]) -> list[Node]:
    """Pick a tree from the bank: one level name per depth, (min, max) children per depth."""
    idx = [LEVELS.index(level) for level in levels]
    theme_of = _theme_of(lang)

    def pick(cands: list, depth: int) -> list[Node]:
        lo, hi = counts[depth]
        k = min(len(cands), rng.randint(lo, hi))
        chosen = sorted(rng.sample(range(len(cands)), k))
        out = []
        for i in chosen:
            title, kids = cands[i]
            node = Node(title, depth=depth, theme=theme_of.get(title))
            if depth + 1 < len(levels):
                node.children = pick(_at(kids, idx[depth] + 1, idx[depth + 1]), depth + 1)
                for c in node.children:
                    c.parent = node
            out.append(node)
        return out

    return pick(_at(_bank(lang), 0, idx[0]), 0)


def number(roots: list[Node], scheme: Callable[[int, list[int]], str]) -> None:
    """Give every node the code the document prints: scheme(depth, 1-based path)."""

    def rec(nodes: list[Node], path: list[int]) -> None:
        for i, n in enumerate(nodes, 1):
            n.code = scheme(n.depth, path + [i])
            rec(n.children, path + [i])

    rec(roots, [])


def dotted(depth: int, path: list[int]) -> str:
    return ".".join(map(str, path))


def roman(n: int) -> str:
    out = ""
    for value, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]


class Fields:
    """Random but plausible field values for one document (seeded by the document's name)."""

    def __init__(self, rng: random.Random, lang: str, date_kinds: tuple[str, ...] = ("day",),
                 cents: bool = False, years: tuple[int, int] = (2025, 2030)):
        self.rng, self.lang, self.date_kinds, self.cents = rng, lang, date_kinds, cents
        self.years = years  # the plan's period: dates fall inside it
        fr = lang == "fr"
        self.people = C.FR_PEOPLE if fr else C.NL_PEOPLE
        self.services = C.FR_SERVICES if fr else C.NL_SERVICES
        self.partners = C.FR_PARTNERS if fr else C.NL_PARTNERS
        self.indicators = C.FR_INDICATORS if fr else C.NL_INDICATORS
        self.statuses = C.FR_STATUS if fr else C.NL_STATUS
        self.funding = C.FR_FUNDING if fr else C.NL_FUNDING

    def some(self, pool: list[str], most: int = 2) -> list[str]:
        k = 1 if self.rng.random() < 0.75 else min(most, len(pool))
        return self.rng.sample(pool, k)

    def date(self, after: dt.date | None = None) -> dt.date | str:
        rng = self.rng
        first, last = self.years
        year = rng.randint(first, last) if after is None else \
            rng.randint(min(after.year + 1, last), min(after.year + 3, last))
        kind = rng.choice(self.date_kinds)
        month = rng.choice([3, 6, 6, 9, 12, 12, 12])
        if kind == "day":
            last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
            return dt.date(year, month, last if rng.random() < 0.8 else 1)
        if kind == "month":
            return f"{(MONTHS_FR if self.lang == 'fr' else MONTHS_NL)[month - 1]} {year}"
        if kind == "semester":
            return f"S{1 if month <= 6 else 2} {year}"
        if kind == "quarter":
            return f"T{(month - 1) // 3 + 1} {year}" if self.lang == "fr" else \
                f"Q{(month - 1) // 3 + 1} {year}"
        return str(year)

    def start(self) -> dt.date:
        first, last = self.years
        return dt.date(self.rng.randint(first, max(first, min(first + 2, last - 1))),
                       self.rng.choice([1, 1, 4, 9]), 1)

    def amount(self) -> float:
        base = self.rng.choice([1500, 2500, 5000, 7500, 12000, 15000, 25000, 40000, 60000,
                                85000, 120000, 250000, 450000])
        if self.cents:
            return round(base + self.rng.randint(0, 999) + self.rng.randint(0, 99) / 100, 2)
        return float(base)

    def make(self, spec: dict[str, float], theme: int | None = None) -> dict[str, Any]:
        """spec: field key → probability that the document states it for this node."""
        rng, f = self.rng, {}
        fr = self.lang == "fr"
        services, indicators = self.services, self.indicators
        if theme is not None:
            services = (C.FR_THEME_SERVICES if fr else C.NL_THEME_SERVICES)[theme]
            indicators = (C.FR_THEME_INDICATORS if fr else C.NL_THEME_INDICATORS)[theme]
        for key, p in spec.items():
            if rng.random() >= p:
                continue
            if key in ("owners", "team"):
                f[key] = self.some(self.people)
            elif key == "departments":
                f[key] = self.some(services)
            elif key == "partners":
                f[key] = self.some(self.partners)
            elif key == "start":
                f[key] = self.start()
            elif key in ("end", "deadline"):
                s = f.get("start")
                f[key] = self.date(s if isinstance(s, dt.date) else None)
            elif key == "budget_eur":
                f[key] = [self.amount()]
            elif key == "progress":
                f[key] = rng.choice([0, 10, 25, 40, 50, 60, 75, 80, 90, 100])
            elif key == "fte":
                f[key] = rng.choice([0.5, 1.0, 1.5, 2.0, 0.2])
            elif key == "status":
                f[key] = rng.choice(self.statuses)
            elif key == "funding":
                f[key] = rng.choice(self.funding)
            elif key == "indicators":
                f[key] = [rng.choice(indicators)]
            elif key == "risks":
                f[key] = rng.sample(C.FR_RISKS if fr else C.NL_RISKS, rng.randint(1, 2))
            elif key == "comment":
                f[key] = rng.choice(C.FR_COMMENTS)
            elif key == "deliverables":
                f[key] = rng.sample(C.FR_DELIVERABLES if fr else C.NL_DELIVERABLES,
                                    rng.randint(1, 2))
            else:
                raise ValueError(key)
        return f


def fill(doc_roots: list[Node], gen: Fields, by_depth: dict[int, dict[str, float]],
         leaf: dict[str, float] | None = None) -> None:
    """Give fields to nodes: by depth, and to leaves (whatever their depth) when given."""
    stack = list(doc_roots)
    while stack:
        n = stack.pop(0)
        spec = leaf if (leaf is not None and not n.children) else by_depth.get(n.depth, {})
        n.fields = gen.make(spec, n.theme)
        stack[0:0] = n.children


# ---------------------------------------------------------------------------------------------
# Values as printed (Belgian formats)
# ---------------------------------------------------------------------------------------------
def be_number(x: float, decimals: int = 0) -> str:
    s = f"{x:,.{decimals}f}"  # 12,500.00
    return s.replace(",", " ").replace(".", ",").replace(" ", ".")


def money(amounts: list[float], style: str) -> str:
    dec = 2 if any(a != int(a) for a in amounts) else 0
    parts = [be_number(a, dec) for a in amounts]
    if style == "prefix":
        return " / ".join(f"€ {p}" for p in parts)
    if style == "bare":
        return " / ".join(parts)
    if style == "eur":
        return " / ".join(f"{p} EUR" for p in parts)
    return " / ".join(f"{p} €" for p in parts)


def date_text(v: dt.date | str, fmt: str = "%d/%m/%Y") -> str:
    return v.strftime(fmt) if isinstance(v, dt.date) else v


def value_text(key: str, v: Any, opts: dict[str, Any]) -> str:
    if key in DATE_KEYS:
        return date_text(v, opts.get("date_fmt", "%d/%m/%Y"))
    if key in LIST_KEYS:
        return opts.get("list_sep", ", ").join(v)
    if key == "budget_eur":
        return money(v, opts.get("money", "suffix"))
    if key == "progress":
        return f"{v:g} %"
    if key == "fte":
        return be_number(v, 0 if v == int(v) else 1)
    return str(v)


def pct_value(target: str) -> float | None:
    m = re.fullmatch(r"(-?\d+) %", target)
    return int(m.group(1)) / 100 if m else None


# ---------------------------------------------------------------------------------------------
# Expected tree
# ---------------------------------------------------------------------------------------------
def expected_fields(n: Node) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, v in n.fields.items():
        if key in DATE_KEYS:
            out[key] = v.isoformat() if isinstance(v, dt.date) else v
        elif key == "indicators":
            out[key] = [{"name": name, "target": target} for name, target in v]
        elif key == "budget_eur":
            out[key] = [float(a) for a in v]
        else:
            out[key] = v
    return out


def expected(doc: Doc) -> dict[str, Any]:
    nodes = []
    titles = set()
    for n in doc.walk():
        assert n.title not in titles, f"{doc.name}: title twice: {n.title}"
        titles.add(n.title)
        item: dict[str, Any] = {"title": n.title,
                                "parent": n.parent.title if n.parent else None}
        if n.code:
            item["code"] = n.code
        item["fields"] = expected_fields(n)
        nodes.append(item)
    return {"title": doc.title or None, "nodes": nodes}


# ---------------------------------------------------------------------------------------------
# Writers: DOCX
# ---------------------------------------------------------------------------------------------
def _docx_new(doc: Doc):
    import docx

    d = docx.Document()
    cp = d.core_properties
    cp.author = cp.last_modified_by = doc.body
    cp.title = doc.title
    cp.created = cp.modified = cp.last_printed = FIXED
    cp.revision = 1
    _page(d, landscape=doc.opts.get("landscape", False))
    _running_header_footer(d, f"{doc.body} – {doc.title}")
    return d


def _page(d, landscape: bool) -> None:
    """A4 (the python-docx template is US Letter), 2 cm margins, landscape for wide tables."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    sec = d.sections[0]
    sec.page_width, sec.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(2)


def _widths(table, widths_cm: list[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for i, w in enumerate(widths_cm):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def _running_header_footer(d, text: str) -> None:
    """A running header and a « Page N » footer, as printed on every page of the PDF."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section = d.sections[0]
    section.header.paragraphs[0].text = text
    p = section.footer.paragraphs[0]
    p.text = "Page "
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE">'
                          f'<w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _style(d, name: str, size: int, base: str | None = None, outline: int | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    try:
        return d.styles[name]
    except KeyError:
        pass
    st = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = d.styles[base] if base else d.styles["Normal"]
    st.font.size = Pt(size)
    st.font.bold = True
    st.paragraph_format.space_before = Pt(12)
    st.paragraph_format.keep_with_next = True
    if outline is not None:
        ppr = st.element.get_or_add_pPr()
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.append(lvl)
    return st


def _heading(d, doc: Doc, n: Node) -> None:
    """The node's heading paragraph: opts['headings'][depth] = (style or None, text format)."""
    style, fmt = doc.opts["headings"][n.depth]
    text = fmt.format(code=n.code or "", title=n.title)
    p = d.add_paragraph(style=style)
    run = p.add_run(text)
    if style is None:
        run.bold = True


def _label_lines(d, doc: Doc, n: Node) -> None:
    sep = doc.opts.get("label_sep", " : ")
    style = doc.opts.get("label_style")  # e.g. "List Bullet": Word's bullets, not typed
    for key, label in doc.opts["labels"]:
        if key == "ind_name":
            for name, target in n.fields.get("indicators", []):
                d.add_paragraph(f"{label}{sep}{name}", style=style)
                d.add_paragraph(f"{dict(doc.opts['labels'])['ind_target']}{sep}{target}",
                                style=style)
        elif key in n.fields and key != "ind_target":
            d.add_paragraph(f"{label}{sep}{value_text(key, n.fields[key], doc.opts)}",
                            style=style)


PPR_BEFORE_NUMPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                    "widowControl")


def _auto_numbering(d, styles: list[str]) -> None:
    """Word's multilevel list linked to heading styles: 1. / 1.1. / 1.1.1. not in the text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{d.styles[name].style_id}"/>'
        f'<w:lvlText w:val="{".".join(f"%{k + 1}" for k in range(i + 1))}."/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{567 * (i + 1)}" '
        f'w:hanging="{567 * (i + 1)}"/></w:pPr></w:lvl>' for i, name in enumerate(styles))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90">'
                               f'<w:abstractNumId w:val="90"/></w:num>'))
    for i, name in enumerate(styles):
        ppr = d.styles[name].element.get_or_add_pPr()
        numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{i}"/>'
                          f'<w:numId w:val="90"/></w:numPr>')
        before = [c for c in ppr if c.tag in {qn("w:" + t) for t in PPR_BEFORE_NUMPR}]
        if before:
            before[-1].addnext(numpr)
        else:
            ppr.insert(0, numpr)


def _intro(d, doc: Doc) -> None:
    d.add_paragraph(doc.title, style="Title")
    for text in doc.opts.get("intro", []):
        d.add_paragraph(text)


def docx_outline(doc: Doc) -> bytes:
    """Headings (styles or bold lines) for every node, ``Label : value`` lines under them."""
    d = _docx_new(doc)
    for spec in doc.opts.get("styles", []):
        _style(d, *spec)
    if doc.opts.get("auto_numbering"):
        _auto_numbering(d, doc.opts["auto_numbering"])
    _intro(d, doc)
    for n in doc.walk():
        _heading(d, doc, n)
        _label_lines(d, doc, n)
    return _save_docx(d)


def _cell_text(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for extra in lines[1:]:
        cell.add_paragraph(extra)


def _column_text(n: Node, key: str, doc: Doc) -> str:
    if key == "title":
        return n.title
    if key == "code":
        return n.code or ""
    if key == "ind_name":
        return "\n".join(name for name, _ in n.fields.get("indicators", []))
    if key == "ind_target":
        return "\n".join(t for _, t in n.fields.get("indicators", []))
    if key.startswith("x:"):
        return str(n.extra.get(key[2:], ""))
    if key in n.fields:
        v = n.fields[key]
        if key in ("risks", "deliverables"):
            return "\n".join(f"– {x}" for x in v)
        return value_text(key, v, doc.opts)
    return ""


def docx_tables(doc: Doc) -> bytes:
    """Headings for the upper levels; the leaves of each parent in one table with a header."""
    d = _docx_new(doc)
    for spec in doc.opts.get("styles", []):
        _style(d, *spec)
    _intro(d, doc)
    cols = doc.opts["columns"]
    for n in doc.walk():
        if not n.children:
            continue
        _heading(d, doc, n)
        _label_lines(d, doc, n)
        leaves = [c for c in n.children if not c.children]
        if not leaves:
            continue
        t = d.add_table(rows=1, cols=len(cols))
        if doc.opts.get("borders", True):
            t.style = "Table Grid"  # else the default style: no borders, columns by position
        for i, (header, _) in enumerate(cols):
            t.rows[0].cells[i].text = header
            for r in t.rows[0].cells[i].paragraphs[0].runs:
                r.bold = True
        for leaf in leaves:
            cells = t.add_row().cells
            for i, (_, key) in enumerate(cols):
                _cell_text(cells[i], _column_text(leaf, key, doc))
        if doc.opts.get("widths"):
            _widths(t, doc.opts["widths"])
        d.add_paragraph("")
    return _save_docx(d)


def docx_sheets(doc: Doc) -> bytes:
    """Headings for the upper levels; each leaf as a two-column label/value table."""
    d = _docx_new(doc)
    for spec in doc.opts.get("styles", []):
        _style(d, *spec)
    _intro(d, doc)
    rows = doc.opts["sheet"]
    for n in doc.walk():
        if n.children:
            _heading(d, doc, n)
            continue
        pairs = [(label, _column_text(n, key, doc)) for label, key in rows]
        pairs = [(label, text) for label, text in pairs if text]
        t = d.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for label, text in pairs:
            cells = t.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            _cell_text(cells[1], text)
        _widths(t, [4.5, 12.5])
        d.add_paragraph("")
    return _save_docx(d)


def _save_docx(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return normalise_zip(buf.getvalue())


# ---------------------------------------------------------------------------------------------
# Writers: spreadsheets (a table model, then XLSX / ODS / CSV)
# ---------------------------------------------------------------------------------------------
@dataclass
class Cell:
    value: Any  # str, int, float, dt.date
    kind: str = "text"  # text, number, money, pct, date


def _cell(n: Node, key: str, doc: Doc) -> Cell:
    typed = doc.opts.get("typed", True)
    if key == "level":
        names = doc.opts.get("level_names")
        return Cell(names[n.depth]) if names else Cell(n.depth + 1, "number")
    if key == "parent":
        p = n.parent
        if p is None:
            return Cell("")
        if doc.opts.get("parent_title"):
            return Cell(p.title)
        return Cell(int(p.code), "number") if p.code and p.code.isdigit() else Cell(p.code or "")
    if key == "code" and n.code and n.code.isdigit() and doc.opts.get("numeric_ids"):
        return Cell(int(n.code), "number")
    if key.startswith("anc"):  # the ancestor's title at that depth (repeated columns)
        depth = int(key[3:])
        a = n
        while a.depth > depth:
            a = a.parent
        return Cell(a.title if a.depth == depth else "")
    if typed and key in DATE_KEYS and isinstance(n.fields.get(key), dt.date):
        return Cell(n.fields[key], "date")
    if typed and key == "budget_eur" and key in n.fields and len(n.fields[key]) == 1:
        return Cell(n.fields[key][0], "money")
    if typed and key == "progress" and key in n.fields:
        return Cell(n.fields[key] / 100, "pct")
    if typed and key == "ind_target" and n.fields.get("indicators"):
        target = n.fields["indicators"][0][1]
        if pct_value(target) is not None:
            return Cell(pct_value(target), "pct")
        if target.isdigit():
            return Cell(int(target), "number")
    return Cell(_column_text(n, key, doc))


def table_rows(doc: Doc) -> tuple[list[list[Cell]], list[tuple[int, int, int]]]:
    """Rows (title rows, header, data) and vertical merges (first row, last row, column)."""
    cols = doc.opts["columns"]
    rows: list[list[Cell]] = [[Cell(t)] for t in doc.opts.get("title_rows", [])]
    if rows:
        rows.append([])
    rows.append([Cell(h) for h, _ in cols])
    repeated = doc.opts.get("repeated", False)
    nodes = doc.leaves() if repeated else doc.walk()
    first = len(rows)
    for n in nodes:
        if doc.opts.get("blank_between_roots") and n.depth == 0 and len(rows) > first:
            rows.append([])  # an empty row between the strategic objectives
        rows.append([_cell(n, key, doc) for _, key in cols])
    merges = []
    if doc.opts.get("merge"):
        merged_keys = set(doc.opts.get("merge_fields", ()))
        for ci, (_, key) in enumerate(cols):
            if not key.startswith("anc") and key not in merged_keys:
                continue
            start = first
            for ri in range(first + 1, len(rows) + 1):
                same = ri < len(rows) and rows[ri][ci].value == rows[start][ci].value and \
                    all(rows[ri][cj].value == rows[start][cj].value
                        for cj in range(ci) if cols[cj][1].startswith("anc"))
                if not same:
                    if ri - 1 > start:
                        merges.append((start, ri - 1, ci))
                    start = ri
        for a, b, ci in merges:
            for ri in range(a + 1, b + 1):
                rows[ri][ci] = Cell("")
    if doc.opts.get("total_row"):  # a total under the table, not an item
        keys = [key for _, key in cols]
        total = sum(a for n in nodes for a in n.fields.get("budget_eur", []))
        row = [Cell("") for _ in cols]
        row[keys.index("title")] = Cell(doc.opts["total_row"])
        row[keys.index("budget_eur")] = Cell(total, "money")
        rows.append([])
        rows.append(row)
    return rows, merges


def write_xlsx(doc: Doc) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    rows, merges = table_rows(doc)
    wb = openpyxl.Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = doc.body
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.title = doc.title
    ws = wb.active
    ws.title = doc.opts.get("sheet_name", "Plan")
    fmts = {"date": "DD/MM/YYYY", "money": '#,##0.00\\ "€"', "pct": "0%", "number": "#,##0"}
    for ri, row in enumerate(rows, 1):
        for ci, cell in enumerate(row, 1):
            if cell.value in ("", None):
                continue
            c = ws.cell(ri, ci, cell.value)
            if cell.kind in fmts:
                c.number_format = fmts[cell.kind]
    header_row = len(doc.opts.get("title_rows", [])) + (2 if doc.opts.get("title_rows") else 1)
    for c in ws[header_row]:
        c.font = Font(bold=True)
    if doc.opts.get("title_rows"):
        ws.cell(1, 1).font = Font(bold=True, size=14)
    for a, b, ci in merges:
        ws.merge_cells(start_row=a + 1, end_row=b + 1, start_column=ci + 1, end_column=ci + 1)
    keys = [key for _, key in doc.opts["columns"]]
    if doc.opts.get("indent") or doc.opts.get("outline"):
        from openpyxl.styles import Alignment

        first = header_row + 1
        for ri, n in enumerate(doc.walk(), first):
            if doc.opts.get("indent"):  # Excel's « Increase indent », not spaces
                ws.cell(ri, keys.index("title") + 1).alignment = Alignment(indent=2 * n.depth)
            if doc.opts.get("outline") and n.depth:  # Data › Group rows
                ws.row_dimensions[ri].outlineLevel = n.depth
        if doc.opts.get("outline"):
            ws.sheet_properties.outlinePr.summaryBelow = False
    for ci, (_header, key) in enumerate(doc.opts["columns"], 1):
        width = 50 if key in ("title",) or key.startswith("anc") else 18
        ws.column_dimensions[openpyxl.utils.get_column_letter(ci)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def display(cell: Cell) -> str:
    if cell.kind == "date":
        return cell.value.strftime("%d/%m/%Y")
    if cell.kind == "money":
        return be_number(cell.value, 2) + " €"
    if cell.kind == "pct":
        return f"{round(cell.value * 100)} %"
    if cell.kind == "number":
        return be_number(cell.value)
    return str(cell.value)


def write_ods(doc: Doc) -> bytes:
    from odf import number as N
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    rows, merges = table_rows(doc)
    ods = OpenDocumentSpreadsheet()
    date_style = N.DateStyle(name="Ndate")
    for part in (N.Day(style="long"), N.Text(text="/"), N.Month(style="long"),
                 N.Text(text="/"), N.Year(style="long")):
        date_style.addElement(part)
    cur_style = N.CurrencyStyle(name="Neur")
    cur_style.addElement(N.Number(decimalplaces="2", minintegerdigits="1", grouping="true"))
    cur_style.addElement(N.Text(text=" "))
    cur_style.addElement(N.CurrencySymbol(language="fr", country="BE", text="€"))
    pct_style = N.PercentageStyle(name="Npct")
    pct_style.addElement(N.Number(decimalplaces="0", minintegerdigits="1"))
    pct_style.addElement(N.Text(text=" %"))
    num_style = N.NumberStyle(name="Nnum")
    num_style.addElement(N.Number(decimalplaces="0", minintegerdigits="1", grouping="true"))
    for s in (date_style, cur_style, pct_style, num_style):
        ods.automaticstyles.addElement(s)
    cell_styles = {}
    for kind, ds in (("date", "Ndate"), ("money", "Neur"), ("pct", "Npct"),
                     ("number", "Nnum")):
        st = Style(name=f"ce_{kind}", family="table-cell", datastylename=ds)
        ods.automaticstyles.addElement(st)
        cell_styles[kind] = st
    bold = Style(name="ce_bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    ods.automaticstyles.addElement(bold)
    wide = Style(name="co_wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="8cm"))
    narrow = Style(name="co_narrow", family="table-column")
    narrow.addElement(TableColumnProperties(columnwidth="3.5cm"))
    ods.automaticstyles.addElement(wide)
    ods.automaticstyles.addElement(narrow)

    table = Table(name=doc.opts.get("sheet_name", "Plan"))
    for _, key in doc.opts["columns"]:
        table.addElement(TableColumn(stylename=wide if key == "title" or key.startswith("anc")
                                     else narrow))
    header_row = len(doc.opts.get("title_rows", [])) + (1 if doc.opts.get("title_rows") else 0)
    spans = {(a, ci): b - a + 1 for a, b, ci in merges}
    covered = {(ri, ci) for a, b, ci in merges for ri in range(a + 1, b + 1)}
    for ri, row in enumerate(rows):
        tr = TableRow()
        if not row:
            tr.addElement(TableCell())
        for ci, cell in enumerate(row):
            if (ri, ci) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attrs: dict[str, Any] = {}
            if (ri, ci) in spans:
                attrs["numberrowsspanned"] = spans[(ri, ci)]
            if cell.value in ("", None):
                tr.addElement(TableCell(**attrs))
                continue
            if cell.kind == "date":
                tc = TableCell(valuetype="date", datevalue=cell.value.isoformat(),
                               stylename=cell_styles["date"], **attrs)
            elif cell.kind == "money":
                tc = TableCell(valuetype="currency", currency="EUR", value=cell.value,
                               stylename=cell_styles["money"], **attrs)
            elif cell.kind == "pct":
                tc = TableCell(valuetype="percentage", value=cell.value,
                               stylename=cell_styles["pct"], **attrs)
            elif cell.kind == "number":
                tc = TableCell(valuetype="float", value=cell.value,
                               stylename=cell_styles["number"], **attrs)
            else:
                tc = TableCell(valuetype="string",
                               stylename=bold if ri <= header_row else None, **attrs)
            for line in display(cell).split("\n"):
                tc.addElement(P(text=line))
            tr.addElement(tc)
        table.addElement(tr)
    ods.spreadsheet.addElement(table)
    buf = io.BytesIO()
    ods.write(buf)
    return normalise_zip(buf.getvalue())


def write_csv(doc: Doc) -> bytes:
    rows, _ = table_rows(doc)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    width = len(doc.opts["columns"])
    for row in rows:
        texts = [display(c) if c.kind != "money" else be_number(c.value, 2) for c in row]
        w.writerow(texts + [""] * (width - len(texts)))
    return buf.getvalue().encode(doc.opts.get("encoding", "cp1252"))


# ---------------------------------------------------------------------------------------------
# Writers: plain text
# ---------------------------------------------------------------------------------------------
def write_text(doc: Doc) -> bytes:
    lines = [doc.title.upper(), ""] + doc.opts.get("intro", []) + [""]
    sep = doc.opts.get("label_sep", " : ")
    labels = dict(doc.opts["labels"])
    for n in doc.walk():
        indent = "   " * n.depth if doc.opts.get("indent") else ""
        fmt = doc.opts["headings"][n.depth][1]
        if n.depth == 0:
            lines.append("")
        lines.append(indent + fmt.format(code=n.code or "", title=n.title))
        for key, label in doc.opts["labels"]:
            if key == "ind_name":
                for name, target in n.fields.get("indicators", []):
                    lines.append(f"{indent}   {label}{sep}{name}")
                    lines.append(f"{indent}   {labels['ind_target']}{sep}{target}")
            elif key in n.fields and key != "ind_target":
                lines.append(f"{indent}   {label}{sep}{value_text(key, n.fields[key], doc.opts)}")
    return ("\n".join(lines).strip() + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------
_STAMPS = re.compile(rb"(<(dcterms:created|dcterms:modified|meta:creation-date|dc:date)"
                     rb"[^>]*>)[^<]*(</\2>)")


def normalise_zip(data: bytes) -> bytes:
    """Same entries in the same order, with fixed timestamps and metadata dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename in ("docProps/core.xml", "meta.xml"):
                blob = _STAMPS.sub(rb"\g<1>2026-01-15T09:00:00Z\g<3>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = (zipfile.ZIP_STORED if info.filename == "mimetype"
                                else zipfile.ZIP_DEFLATED)
            zi.external_attr = 0o644 << 16
            out.writestr(zi, blob)
    return buf.getvalue()


def normalise_pdf(data: bytes) -> bytes:
    """Fix the creation date and the document id (same length, so offsets stay right)."""
    fixed = b"20260115090000"

    def stamp(m: re.Match) -> bytes:
        digits = m.group(2)
        return m.group(1) + fixed[:len(digits)].ljust(len(digits), b"0")

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d+)", stamp, data)
    data = re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + b"0" * 32, data)
    return re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + b"0" * 32 + b">", data)


def to_pdf(docx_files: list[Path]) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice (LibreOffice) is needed to generate the PDFs")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, *map(str, docx_files)],
                       check=True, capture_output=True, timeout=300,
                       env={**os.environ, "TZ": "UTC"})
        for f in docx_files:
            pdf = Path(tmp) / (f.stem + ".pdf")
            (OUT / pdf.name).write_bytes(normalise_pdf(pdf.read_bytes()))


# ---------------------------------------------------------------------------------------------
# The documents
# ---------------------------------------------------------------------------------------------
DOCUMENTS: list[Callable[[], Doc]] = []


def document(fn: Callable[[], Doc]) -> Callable[[], Doc]:
    DOCUMENTS.append(fn)
    return fn


def rng_for(name: str) -> random.Random:
    return random.Random(name)


def extras(doc: Doc, header: str, pool: list[str], p: float = 0.5) -> None:
    rng = rng_for(doc.name + header)
    for n in doc.walk():
        if rng.random() < p:
            n.extra[header] = rng.choice(pool)


# -- Word -------------------------------------------------------------------------------------
@document
def fr_cpas_titres() -> Doc:
    name = "fr_cpas_titres.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 2), (2, 3)])
    fill(roots, Fields(rng, "fr", ("day", "day", "month")),
         {1: {"departments": 0.6}},
         leaf={"owners": 1, "deadline": 0.9, "budget_eur": 0.6, "indicators": 0.5})
    return Doc(name, "CPAS de Villers-la-Fontaine", "fr",
               "Programme stratégique transversal 2025-2030",
               "Word, hiérarchie par les seuls styles Titre 1/2/3 (styles nommés en français, "
               "sans numéros), champs en lignes « Libellé : valeur »", roots, docx_outline,
               {"styles": [("Titre 1", 16, None, 0), ("Titre 2", 14, None, 1),
                           ("Titre 3", 12, None, 2)],
                "headings": [("Titre 1", "{title}"), ("Titre 2", "{title}"),
                             ("Titre 3", "{title}")],
                "labels": [("departments", "Service"), ("owners", "Porteur"),
                           ("deadline", "Échéance"), ("budget_eur", "Budget"),
                           ("ind_name", "Indicateur"), ("ind_target", "Cible")],
                "intro": ["Le présent programme a été adopté par le Conseil de l'action "
                          "sociale en sa séance du 18 décembre 2024.",
                          "Il décline la vision du CPAS en objectifs stratégiques, "
                          "opérationnels et en actions."]},
               pdf=True)


@document
def nl_ocmw_kop() -> Doc:
    name = "nl_ocmw_kop.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(2, 2), (2, 2), (2, 3)])
    fill(roots, Fields(rng, "nl", ("day", "month"), years=(2026, 2031)), {0: {"owners": 0.5}},
         leaf={"owners": 0.9, "departments": 0.6, "end": 0.9, "budget_eur": 0.5,
               "partners": 0.4, "status": 0.7})
    return Doc(name, "OCMW Heidebeek", "nl", "Strategisch plan OCMW Heidebeek 2026-2031",
               "Word in het Nederlands, hiërarchie enkel door de stijlen Kop 1/2/3 (zonder "
               "nummers), velden als « Label: waarde »", roots, docx_outline,
               {"styles": [("Kop 1", 16, None, 0), ("Kop 2", 14, None, 1),
                           ("Kop 3", 12, None, 2)],
                "headings": [("Kop 1", "{title}"), ("Kop 2", "{title}"), ("Kop 3", "{title}")],
                "label_sep": ": ", "money": "prefix",
                "labels": [("owners", "Verantwoordelijke"), ("departments", "Dienst"),
                           ("end", "Einddatum"), ("budget_eur", "Budget"),
                           ("partners", "Partners"), ("status", "Status")],
                "intro": ["Goedgekeurd door de raad voor maatschappelijk welzijn op "
                          "16 december 2025."]})


@document
def fr_province_tableaux() -> Doc:
    name = "fr_province_tableaux.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 3), (3, 4)])
    number(roots, lambda depth, path: ".".join(map(str, path)) if depth < 2 else None)
    fill(roots, Fields(rng, "fr", ("day", "quarter", "year")), {},
         leaf={"owners": 0.95, "departments": 0.7, "deadline": 0.9, "budget_eur": 0.7,
               "indicators": 0.6})
    return Doc(name, "Province de Haute-Sambre", "fr",
               "Plan stratégique provincial 2025-2030",
               "Word, un tableau par objectif opérationnel (en-tête Action | Pilote | Service | "
               "Échéance | Budget | Indicateur | Cible), objectifs en titres préfixés "
               "« Objectif stratégique 1 : »", roots, docx_tables,
               {"headings": [("Heading 1", "Objectif stratégique {code} : {title}"),
                             ("Heading 2", "Objectif opérationnel {code} : {title}")],
                "labels": [], "landscape": True, "widths": [7.5, 3.5, 3.5, 2.6, 2.6, 3.6, 2.4],
                "columns": [("Action", "title"), ("Pilote", "owners"),
                            ("Service", "departments"), ("Échéance", "deadline"),
                            ("Budget", "budget_eur"), ("Indicateur", "ind_name"),
                            ("Cible", "ind_target")],
                "intro": ["Approuvé par le Conseil provincial le 24 octobre 2024."]},
               pdf=True)


@document
def nl_gemeente_zonder_randen() -> Doc:
    name = "nl_gemeente_zonder_randen.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(2, 2), (2, 3), (3, 4)])
    number(roots, lambda depth, path: ".".join(map(str, path)) if depth < 2 else None)
    fill(roots, Fields(rng, "nl", ("day", "quarter")), {},
         leaf={"owners": 0.9, "departments": 0.6, "end": 0.9, "budget_eur": 0.6})
    return Doc(name, "Gemeente Zandhoven-aan-de-Nete", "nl",
               "Meerjarenplan Zandhoven-aan-de-Nete 2026-2031",
               "Word, één tabel per operationele doelstelling **zonder randen** (Actie | "
               "Verantwoordelijke | Dienst | Einddatum | Raming), zoals een pdf die uit Word "
               "wordt afgedrukt met de randen uit: kolommen enkel door hun positie",
               roots, docx_tables,
               {"headings": [("Heading 1", "Strategische doelstelling {code}: {title}"),
                             ("Heading 2", "Operationele doelstelling {code}: {title}")],
                "labels": [], "landscape": True, "borders": False, "money": "prefix",
                "widths": [8.2, 4.8, 4.4, 3.0, 3.0],
                "columns": [("Actie", "title"), ("Verantwoordelijke", "owners"),
                            ("Dienst", "departments"), ("Einddatum", "end"),
                            ("Raming", "budget_eur")],
                "intro": ["Goedgekeurd door de gemeenteraad op 15 december 2025."]},
               pdf=True)


@document
def fr_cpas_sans_bordures() -> Doc:
    name = "fr_cpas_sans_bordures.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(2, 2), (3, 3), (6, 8)])
    fill(roots, Fields(rng, "fr", ("day", "semester", "year")), {},
         leaf={"owners": 0.95, "deadline": 0.9, "indicators": 0.6})
    return Doc(name, "CPAS de Ronchinne-sur-Bocq", "fr",
               "Plan stratégique transversal 2026-2031",
               "Word, longs tableaux d'actions **sans bordures** qui passent d'une page à "
               "l'autre sans répéter leur en-tête, une ligne coupée par le saut de page "
               "(Action | Porteur | Échéance | Indicateur | Cible), titres Titre 1/2 sans "
               "numéros",
               roots, docx_tables,
               {"headings": [("Heading 1", "{title}"), ("Heading 2", "{title}")],
                "labels": [], "landscape": False, "borders": False,
                "widths": [5.4, 3.4, 2.6, 3.6, 2.0],
                "columns": [("Action", "title"), ("Porteur", "owners"),
                            ("Échéance", "deadline"), ("Indicateur", "ind_name"),
                            ("Cible", "ind_target")],
                "intro": ["Adopté par le Conseil de l'action sociale le 17 décembre 2025."]},
               pdf=True)


@document
def fr_office_fiches() -> Doc:
    name = "fr_office_fiches.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(2, 2), (2, 2), (3, 4)])
    number(roots, dotted)
    fill(roots, Fields(rng, "fr", ("day", "quarter"), years=(2025, 2028)), {},
         leaf={"owners": 1, "departments": 0.9, "partners": 0.4, "deadline": 0.9,
               "budget_eur": 0.7, "fte": 0.5, "indicators": 0.7, "risks": 0.5,
               "deliverables": 0.6, "progress": 0.5})
    return Doc(name, "Office fédéral des prestations de mobilité (OFPM)", "fr",
               "Contrat d'administration 2025-2028",
               "Word, fiches projet en tableaux à deux colonnes (Intitulé | Référence | "
               "Responsable | Direction | Échéance | ETP | Valeur cible | Risques…), titres "
               "en styles personnalisés basés sur Titre 1/2", roots, docx_sheets,
               {"styles": [("Axe", 16, "Heading 1"), ("Objectif", 13, "Heading 2")],
                "headings": [("Axe", "Axe {code} – {title}"),
                             ("Objectif", "Objectif {code} – {title}")],
                "money": "prefix",
                "sheet": [("Intitulé", "title"), ("Référence", "code"),
                          ("Responsable", "owners"), ("Direction", "departments"),
                          ("Partenaires", "partners"), ("Échéance", "deadline"),
                          ("Budget", "budget_eur"), ("ETP", "fte"),
                          ("Indicateur", "ind_name"), ("Valeur cible", "ind_target"),
                          ("Risques", "risks"), ("Livrables", "deliverables"),
                          ("État d'avancement", "progress")],
                "intro": ["Conclu entre l'État fédéral et l'Office fédéral des prestations "
                          "de mobilité pour la période du 1er janvier 2025 au 31 décembre "
                          "2028."]},
               pdf=True)


@document
def fr_association_numauto() -> Doc:
    name = "fr_association_numauto.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 3), (2, 4)])
    number(roots, dotted)
    fill(roots, Fields(rng, "fr", ("day", "month", "semester"), years=(2025, 2030)),
         {0: {"owners": 0.6}},
         leaf={"owners": 0.9, "departments": 0.6, "start": 0.5, "end": 0.8,
               "budget_eur": 0.6, "funding": 0.5, "progress": 0.6})
    return Doc(name, "Association de CPAS du Val-de-Mehaigne", "fr",
               "Plan stratégique de l'association 2025-2030",
               "Word, titres Heading 1/2/3 numérotés par la numérotation automatique de Word "
               "(liste à plusieurs niveaux liée aux styles : 1. / 1.1. / 1.1.1. absents du "
               "texte), champs en puces de style Liste (« Référent : … », « Fin : S2 2027 »)",
               roots, docx_outline,
               {"auto_numbering": ["Heading 1", "Heading 2", "Heading 3"],
                "headings": [("Heading 1", "{title}"), ("Heading 2", "{title}"),
                             ("Heading 3", "{title}")],
                "label_style": "List Bullet",
                "labels": [("owners", "Référent"), ("departments", "Service"),
                           ("start", "Début"), ("end", "Fin"), ("budget_eur", "Budget"),
                           ("funding", "Financement"), ("progress", "Avancement")],
                "intro": ["Association régie par le chapitre XII de la loi organique des CPAS, "
                          "regroupant quatre CPAS de la vallée."]},
               pdf=True)


@document
def nl_meerjarenplan() -> Doc:
    name = "nl_meerjarenplan.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(4, 4), (2, 3), (2, 4)])
    number(roots, lambda depth, path: ("BD", "AP", "AC")[depth] + ".".join(map(str, path)))
    fill(roots, Fields(rng, "nl", ("day",), years=(2026, 2031)), {1: {"departments": 0.5}},
         leaf={"owners": 0.8, "departments": 0.5, "start": 0.7, "end": 0.8,
               "budget_eur": 0.7})
    return Doc(name, "Gemeente en OCMW Lindeveld", "nl", "Meerjarenplan 2026-2031",
               "Vlaams meerjarenplan: beleidsdoelstellingen, actieplannen en acties gecodeerd "
               "BD1 / AP1.1 / AC1.1.1 in vette alinea's (geen kopstijlen)", roots, docx_outline,
               {"headings": [(None, "{code} – {title}")] * 3, "label_sep": ": ",
                "money": "prefix",
                "labels": [("owners", "Trekker"), ("departments", "Dienst"),
                           ("start", "Startdatum"), ("end", "Einddatum"),
                           ("budget_eur", "Raming uitgaven")],
                "intro": ["Gemeente en OCMW Lindeveld – goedgekeurd door de gemeenteraad en de "
                          "raad voor maatschappelijk welzijn op 18 december 2025.",
                          "Het meerjarenplan bevat de beleidsdoelstellingen, de actieplannen "
                          "en de acties voor de periode 2026-2031."]},
               pdf=True)


@document
def nl_ocmw_actiefiches() -> Doc:
    name = "nl_ocmw_actiefiches.docx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(2, 2), (2, 2), (2, 3)])
    number(roots, dotted)
    fill(roots, Fields(rng, "nl", ("day", "quarter"), years=(2026, 2031)), {},
         leaf={"owners": 1, "departments": 0.7, "partners": 0.4, "start": 0.5, "end": 0.9,
               "budget_eur": 0.7, "fte": 0.5, "indicators": 0.7, "risks": 0.5,
               "deliverables": 0.5, "progress": 0.6})
    return Doc(name, "OCMW Wilderbeek", "nl", "Meerjarig actieplan OCMW Wilderbeek 2026-2031",
               "Word in het Nederlands, actiefiches als tabellen met twee kolommen (Actie | Code "
               "| Trekker | Betrokken diensten | Partners | Startdatum | Einddatum | Kostprijs | "
               "VTE | Indicator | Streefwaarde | Risico's | Op te leveren | Stand van zaken), "
               "doelstellingen als genummerde koppen (1. / 1.1)", roots, docx_sheets,
               {"headings": [("Heading 1", "{code}. {title}"), ("Heading 2", "{code} {title}")],
                "money": "prefix",
                "sheet": [("Actie", "title"), ("Code", "code"), ("Trekker", "owners"),
                          ("Betrokken diensten", "departments"), ("Partners", "partners"),
                          ("Startdatum", "start"), ("Einddatum", "end"),
                          ("Kostprijs", "budget_eur"), ("VTE", "fte"),
                          ("Indicator", "ind_name"), ("Streefwaarde", "ind_target"),
                          ("Risico's", "risks"), ("Op te leveren", "deliverables"),
                          ("Stand van zaken", "progress")],
                "intro": ["Goedgekeurd door de raad voor maatschappelijk welzijn van "
                          "23 februari 2026."]},
               pdf=True)


# -- Spreadsheets -----------------------------------------------------------------------------
@document
def fr_cpas_coordinateur() -> Doc:
    name = "fr_cpas_coordinateur.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 2), (2, 3)])
    number(roots, dotted)
    fill(roots, Fields(rng, "fr"), {1: {"departments": 0.5}},
         leaf={"departments": 0.9, "owners": 0.95, "end": 0.9, "budget_eur": 0.7,
               "indicators": 0.7})
    return Doc(name, "CPAS de Marbehan-sur-Lesse", "fr",
               "Programme stratégique transversal 2025-2030 – suivi des actions",
               "Le fichier Excel du coordinateur du CPAS de l'issue : N° | Objectif / Action | "
               "Service responsable | Pilote | Date de fin | Budget (€) | Indicateur | Cible ; "
               "hiérarchie par les numéros, lignes de titre, dates réelles, montants au format "
               "monétaire, cibles en pourcentage", roots, write_xlsx,
               {"title_rows": ["CPAS de Marbehan-sur-Lesse",
                               "Programme stratégique transversal 2025-2030 – suivi des actions"],
                "sheet_name": "PST",
                "columns": [("N°", "code"), ("Objectif / Action", "title"),
                            ("Service responsable", "departments"), ("Pilote", "owners"),
                            ("Date de fin", "end"), ("Budget (€)", "budget_eur"),
                            ("Indicateur", "ind_name"), ("Cible", "ind_target")]})


@document
def fr_province_parent() -> Doc:
    name = "fr_province_parent.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (3, 3), (2, 4)])
    number(roots, lambda depth, path: None)
    for i, n in enumerate(Doc("", "", "", "", "", roots, write_xlsx).walk(), 1):
        n.code = str(i)
    fill(roots, Fields(rng, "fr"), {0: {"departments": 0.7}, 1: {"departments": 0.5}},
         leaf={"owners": 0.9, "deadline": 0.85, "progress": 0.8})
    doc = Doc(name, "Province de Condroz-Famenne", "fr", "Plan de législature 2025-2030",
              "XLSX, hiérarchie par une colonne Parent (identifiants numériques), avancement en "
              "cellules pourcentage (0,8 affiché 80 %), colonnes inconnues (Code ODD, Remarque "
              "interne), pas de ligne de titre", roots, write_xlsx,
              {"sheet_name": "Plan", "numeric_ids": True,
               "columns": [("ID", "code"), ("Intitulé", "title"), ("Parent", "parent"),
                           ("Porteur", "owners"), ("Service", "departments"),
                           ("Échéance", "deadline"), ("Avancement", "progress"),
                           ("Code ODD", "x:Code ODD"), ("Remarque interne", "x:Remarque")]})
    extras(doc, "Code ODD", C.ODD, 0.6)
    extras(doc, "Remarque", C.FR_REMARKS, 0.6)
    return doc


@document
def nl_gemeente_niveau() -> Doc:
    name = "nl_gemeente_niveau.ods"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(3, 3), (2, 2), (2, 4)])
    fill(roots, Fields(rng, "nl"), {1: {"owners": 0.5}},
         leaf={"owners": 0.9, "departments": 0.7, "deadline": 0.85, "budget_eur": 0.7,
               "indicators": 0.6})
    doc = Doc(name, "Gemeente Oostervelde", "nl", "Beleidsplan 2025-2030 gemeente Oostervelde",
              "ODS in het Nederlands, hiërarchie door een kolom Niveau (1/2/3), echte "
              "datumcellen, valutacellen, streefwaarden als percentage, onbekende kolom "
              "(Interne opmerking), titelrij", roots, write_ods,
              {"title_rows": ["Beleidsplan 2025-2030 gemeente Oostervelde"],
               "sheet_name": "Beleidsplan", "blank_between_roots": True,
               "columns": [("Niveau", "level"), ("Omschrijving", "title"),
                           ("Trekker", "owners"), ("Dienst", "departments"),
                           ("Deadline", "deadline"), ("Budget", "budget_eur"),
                           ("Indicator", "ind_name"), ("Streefwaarde", "ind_target"),
                           ("Interne opmerking", "x:opm")]})
    extras(doc, "opm", C.NL_REMARKS, 0.5)
    return doc


@document
def fr_zone_niveau_nomme() -> Doc:
    name = "fr_zone_niveau_nomme.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "action"), [(4, 4), (3, 5)])
    fill(roots, Fields(rng, "fr", years=(2025, 2027)), {},
         leaf={"owners": 0.9, "end": 0.9, "budget_eur": 0.6, "status": 0.9})
    doc = Doc(name, "Zone de secours Val-de-Samme", "fr", "Plan d'action 2025-2027",
              "XLSX à deux niveaux, niveau nommé dans une colonne « Niveau » (Objectif / "
              "Action), deux lignes de titre, dates réelles, montants monétaires, Référent, "
              "Statut, colonne inconnue « Remarque interne »", roots, write_xlsx,
              {"title_rows": ["Zone de secours Val-de-Samme", "Plan d'action 2025-2027"],
               "sheet_name": "Plan d'action", "level_names": ["Objectif", "Action"],
               "total_row": "Total",
               "columns": [("Niveau", "level"), ("Libellé", "title"), ("Référent", "owners"),
                           ("Date de fin", "end"), ("Budget", "budget_eur"),
                           ("Statut", "status"), ("Remarque interne", "x:Remarque")]})
    extras(doc, "Remarque", C.FR_REMARKS, 0.7)
    return doc


@document
def fr_cpas_colonnes_repetees() -> Doc:
    name = "fr_cpas_colonnes_repetees.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 3), (3, 4)])
    fill(roots, Fields(rng, "fr"), {},
         leaf={"owners": 0.95, "deadline": 0.9, "budget_eur": 0.7, "funding": 0.5})
    doc = Doc(name, "CPAS d'Orbais-le-Bois", "fr", "PST 2025-2030 – tableau des actions",
              "XLSX, hiérarchie en colonnes répétées OS | OO | Action (une ligne par action, "
              "titres des ancêtres répétés à chaque ligne), colonne inconnue Code ODD",
              roots, write_xlsx,
              {"title_rows": ["PST 2025-2030 – tableau des actions"], "repeated": True,
               "sheet_name": "Actions",
               "columns": [("OS", "anc0"), ("OO", "anc1"), ("Action", "title"),
                           ("Porteur", "owners"), ("Échéance", "deadline"),
                           ("Budget", "budget_eur"), ("Financement", "funding"),
                           ("Code ODD", "x:ODD")]})
    extras(doc, "ODD", C.ODD, 0.8)
    return doc


@document
def nl_ocmw_samengevoegd() -> Doc:
    name = "nl_ocmw_samengevoegd.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(2, 2), (2, 3), (3, 4)])
    fill(roots, Fields(rng, "nl", years=(2026, 2028)), {},
         leaf={"owners": 0.9, "end": 0.9, "budget_eur": 0.7, "indicators": 0.6})
    return Doc(name, "OCMW Kortebeek", "nl", "Actieplan OCMW Kortebeek 2026-2028",
               "XLSX, herhaalde kolommen Strategische doelstelling | Operationele doelstelling "
               "| Actie met samengevoegde cellen voor de herhaalde titels, titelrijen, "
               "streefwaarden", roots, write_xlsx,
               {"title_rows": ["OCMW Kortebeek", "Actieplan OCMW Kortebeek 2026-2028"],
                "repeated": True, "merge": True, "sheet_name": "Actieplan",
                "columns": [("Strategische doelstelling", "anc0"),
                            ("Operationele doelstelling", "anc1"), ("Actie", "title"),
                            ("Verantwoordelijke", "owners"), ("Einddatum", "end"),
                            ("Raming (€)", "budget_eur"), ("Indicator", "ind_name"),
                            ("Streefwaarde", "ind_target")]})


@document
def fr_cpas_fusion() -> Doc:
    name = "fr_cpas_fusion.ods"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(2, 3), (2, 3), (2, 4)])
    gen = Fields(rng, "fr", years=(2026, 2030))
    fill(roots, gen, {},
         leaf={"owners": 0.9, "deadline": 0.9, "budget_eur": 0.6, "indicators": 0.5})
    for root in roots:  # one service per operational objective: its cells merged in the sheet
        for oo in root.children:
            service = gen.some(gen.services, 1)
            for action in oo.children:
                action.fields["departments"] = service
    return Doc(name, "CPAS de Froidmont-lez-Bois", "fr", "Plan d'action 2026-2030",
               "ODS, colonnes répétées Objectif stratégique | Objectif opérationnel | Action "
               "avec **cellules fusionnées** verticalement pour les titres des ancêtres et pour "
               "le service (le même pour les actions d'un objectif opérationnel), titre "
               "au-dessus de l'en-tête, Cible", roots, write_ods,
               {"title_rows": ["CPAS de Froidmont-lez-Bois – Plan d'action 2026-2030"],
                "repeated": True, "merge": True, "merge_fields": ["departments"],
                "sheet_name": "Plan d'action",
                "columns": [("Objectif stratégique", "anc0"),
                            ("Objectif opérationnel", "anc1"), ("Action", "title"),
                            ("Service", "departments"),
                            ("Pilote", "owners"), ("Échéance", "deadline"),
                            ("Budget (€)", "budget_eur"), ("Indicateur", "ind_name"),
                            ("Cible", "ind_target")]})


@document
def fr_ville_codes() -> Doc:
    name = "fr_ville_codes.ods"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("axe", "os", "oo", "action"), [(2, 2), (2, 2), (2, 2),
                                                                   (3, 4)])
    number(roots, dotted)
    fill(roots, Fields(rng, "fr"), {1: {"departments": 0.5}, 2: {"owners": 0.5}},
         leaf={"departments": 0.8, "owners": 0.9, "start": 0.7, "end": 0.9,
               "progress": 0.7, "status": 0.6})
    return Doc(name, "Ville de Beaumont-sur-Orneau", "fr",
               "Programme stratégique transversal 2025-2030",
               "ODS à quatre niveaux, hiérarchie par les seuls codes 1 / 1.1 / 1.1.1 / 1.1.1.1, "
               "dates de début et de fin réelles, avancement en pourcentage, titre au-dessus "
               "de l'en-tête", roots, write_ods,
               {"title_rows": ["Ville de Beaumont-sur-Orneau – Programme stratégique "
                               "transversal 2025-2030"],
                "sheet_name": "PST",
                "columns": [("Code", "code"), ("Libellé", "title"), ("Service", "departments"),
                            ("Référent", "owners"), ("Début", "start"), ("Fin", "end"),
                            ("Avancement", "progress"), ("Statut", "status")]})


@document
def nl_gemeente_cp1252() -> Doc:
    name = "nl_gemeente_cp1252.csv"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(2, 2), (2, 2), (2, 3)])
    number(roots, lambda depth, path: ("SD", "OD", "A")[depth] + ".".join(map(str, path)))
    fill(roots, Fields(rng, "nl", cents=True, years=(2026, 2031)), {0: {"departments": 0.5}},
         leaf={"departments": 0.8, "owners": 0.9, "start": 0.6, "end": 0.9,
               "budget_eur": 0.8, "indicators": 0.6})
    return Doc(name, "Gemeente Ravelsbeek", "nl", "",
               "CSV in Windows-1252 met puntkomma's, Belgische getallen (1.234,56), codes "
               "SD1 / OD1.1 / A1.1.1, datums als tekst (31/12/2027), accenten (ë, ö, €)",
               roots, write_csv,
               {"typed": False, "money": "bare",
                "columns": [("Nr", "code"), ("Omschrijving", "title"), ("Dienst", "departments"),
                            ("Verantwoordelijke", "owners"), ("Startdatum", "start"),
                            ("Einddatum", "end"), ("Raming (€)", "budget_eur"),
                            ("Indicator", "ind_name"), ("Streefwaarde", "ind_target")]})


@document
def fr_institut_grand() -> Doc:
    name = "fr_institut_grand.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("axe", "os", "oo", "action"), [(3, 3), (2, 3), (3, 3),
                                                                   (4, 5)])
    fill(roots, Fields(rng, "fr", ("day", "day", "quarter", "year")),
         {0: {"owners": 0.6}, 1: {"departments": 0.6}},
         leaf={"departments": 0.8, "owners": 0.9, "deadline": 0.85, "budget_eur": 0.6,
               "indicators": 0.6})
    doc = Doc(name, "Institut fédéral des allocations d'insertion (IFAI)", "fr",
              "Plan d'administration 2025-2030",
              "Grand XLSX (plus de 100 éléments) à quatre niveaux dans une colonne Niveau "
              "(1 à 4), échéances mêlant dates réelles et textes (T3 2027, 2028), référent, "
              "norme, colonne inconnue Code ODD", roots, write_xlsx,
              {"title_rows": ["Institut fédéral des allocations d'insertion",
                              "Plan d'administration 2025-2030"],
               "sheet_name": "Plan",
               "columns": [("Niveau", "level"), ("Intitulé", "title"), ("Direction", "departments"),
                           ("Référent", "owners"), ("Échéance", "deadline"),
                           ("Budget", "budget_eur"), ("Indicateur", "ind_name"),
                           ("Norme", "ind_target"), ("Code ODD", "x:ODD")]})
    extras(doc, "ODD", C.ODD, 0.5)
    return doc


@document
def nl_vereniging_ouder() -> Doc:
    name = "nl_vereniging_ouder.ods"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("oo", "action"), [(3, 3), (2, 3)])
    fill(roots, Fields(rng, "nl", years=(2026, 2028)), {0: {"departments": 0.7}},
         leaf={"owners": 0.9, "end": 0.9, "progress": 0.8, "status": 0.6})
    return Doc(name, "Welzijnsvereniging Zuiderkempen", "nl", "Jaaractieplan 2026-2028",
               "Klein ODS-bestand (een tiental elementen, twee niveaus), hiërarchie door een "
               "kolom « Hoort bij » met de titel van het bovenliggende element, voortgang in "
               "percentagecellen, geen titelrij", roots, write_ods,
               {"sheet_name": "Jaaractieplan", "parent_title": True,
                "columns": [("Omschrijving", "title"), ("Hoort bij", "parent"),
                            ("Dienst", "departments"), ("Verantwoordelijke", "owners"),
                            ("Einddatum", "end"), ("Voortgang", "progress"),
                            ("Status", "status")]})


@document
def fr_cpas_retraits() -> Doc:
    name = "fr_cpas_retraits.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(2, 2), (2, 3), (2, 3)])
    fill(roots, Fields(rng, "fr", ("day", "month"), years=(2025, 2030)), {},
         leaf={"owners": 0.9, "deadline": 0.8, "budget_eur": 0.6, "comment": 0.3})
    return Doc(name, "CPAS de Hautmont-Saint-Rémy", "fr",
               "Plan d'actions du CPAS 2025-2030",
               "XLSX sans code ni colonne de niveau : la hiérarchie n'est donnée que par le "
               "retrait des cellules (« Augmenter le retrait » d'Excel), Responsable, Échéance, "
               "Coût estimé, Commentaire ; ligne de titre", roots, write_xlsx,
               {"title_rows": ["Plan d'actions du CPAS 2025-2030"], "indent": True,
                "sheet_name": "Plan",
                "columns": [("Objectifs et actions", "title"), ("Responsable", "owners"),
                            ("Échéance", "deadline"), ("Coût estimé", "budget_eur"),
                            ("Commentaire", "comment")]})


@document
def nl_gemeente_groepering() -> Doc:
    name = "nl_gemeente_groepering.xlsx"
    rng = rng_for(name)
    roots = make_tree(rng, "nl", ("os", "oo", "action"), [(3, 3), (2, 2), (2, 3)])
    fill(roots, Fields(rng, "nl", years=(2026, 2031)), {1: {"owners": 0.5}},
         leaf={"owners": 0.9, "departments": 0.6, "end": 0.9, "progress": 0.6})
    return Doc(name, "Gemeente Bergelen", "nl", "Opvolging beleidsplan 2026-2031",
               "XLSX waarin de hiërarchie enkel in de Excel-groepering van rijen zit "
               "(overzichtsniveaus 0/1/2, Gegevens › Groeperen), zonder codes, inspringing of "
               "niveaukolom; voortgang in procenten", roots, write_xlsx,
               {"outline": True, "sheet_name": "Opvolging",
                "columns": [("Doelstelling / actie", "title"), ("Verantwoordelijke", "owners"),
                            ("Dienst", "departments"), ("Einddatum", "end"),
                            ("Voortgang", "progress")]})


# -- Text -------------------------------------------------------------------------------------
@document
def fr_commune_romains() -> Doc:
    name = "fr_commune_romains.txt"
    rng = rng_for(name)
    roots = make_tree(rng, "fr", ("os", "oo", "action"), [(3, 3), (2, 2), (2, 3)])
    number(roots, lambda depth, path: (roman(path[-1]) if depth == 0 else
                                       chr(64 + path[-1]) if depth == 1 else str(path[-1])))
    fill(roots, Fields(rng, "fr", ("day", "month", "year")), {},
         leaf={"owners": 0.9, "deadline": 0.9, "indicators": 0.6})
    return Doc(name, "Commune de Haut-Ry", "fr", "Plan stratégique communal 2025-2030",
               "Texte numéroté en chiffres romains, lettres et chiffres (I. / A. / 1.) qui "
               "recommencent sous chaque parent, lignes « Référent : », « Date limite : », "
               "« Indicateur : », « Norme : »", roots, write_text,
               {"headings": [(None, "{code}. {title}"), (None, "{code}. {title}"),
                             (None, "{code}. {title}")], "indent": True,
                "labels": [("owners", "Référent"), ("deadline", "Date limite"),
                           ("ind_name", "Indicateur"), ("ind_target", "Norme")],
                "intro": ["Commune de Haut-Ry – adopté par le conseil communal le 27 janvier "
                          "2025.",
                          "Le plan comprend trois objectifs stratégiques déclinés en objectifs "
                          "opérationnels et en actions."]})


# ---------------------------------------------------------------------------------------------
def build_all() -> list[Doc]:
    return [fn() for fn in DOCUMENTS]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    docs = build_all()
    manifest = []
    pdf_sources = []
    for doc in docs:
        path = OUT / doc.name
        path.write_bytes(doc.writer(doc))
        exp = json.dumps(expected(doc), ensure_ascii=False, indent=1) + "\n"
        names = [doc.name]
        if doc.pdf:
            pdf_sources.append(path)
            names.append(Path(doc.name).stem + ".pdf")
        nodes = doc.walk()
        for n in names:
            (OUT / f"{n}.expected.json").write_text(exp, encoding="utf-8")
            manifest.append({
                "file": n, "body": doc.body, "language": doc.lang,
                "exercises": ("PDF (LibreOffice) de " + doc.name + " : " if n.endswith(".pdf")
                              else "") + doc.exercises,
                "items": len(nodes), "depth": 1 + max(x.depth for x in nodes),
                "fields": sum(len(x.fields) for x in nodes)})
    if pdf_sources:
        to_pdf(pdf_sources)
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for m in manifest:
        print(f"{m['file']:36} {m['items']:4} items  depth {m['depth']}  {m['fields']:4} fields")


if __name__ == "__main__":
    main()
