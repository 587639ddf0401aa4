"""PDF through WeasyPrint, from Django HTML templates (``templates/reports/pdf/``).

What makes it fast (``benchmarks/reports.py``; the profile shows text lines and boxes — style
cascade, line breaking, drawing — not fonts, dominate WeasyPrint's time):

- system fonts only (DejaVu Sans, found by fontconfig; no ``@font-face`` to fetch);
- tables with ``table-layout: fixed`` and column widths computed here from their content
  (``column_widths``): as fast as fixed widths, and no header or word is ever split to fit a
  column too narrow for it (auto layout measures every cell twice);
- the annex sheets say each thing once: the heading gives code and title, the place in the
  plan is one line, the short facts share one line, so do the other short fields (a list's
  items joined by « ; »), the empty fields are listed together;
- no inline element inside the annex's paragraphs: a bold or coloured ``<span>`` label makes
  WeasyPrint split each line into several boxes and doubled the annex's time; the labels are
  the plan's capitals («DESCRIPTION : …»), a paragraph per field (annex of the benchmark's
  plan: 3.1 → 1.4 s CPU, 50 → 44 pages);
- every section is its own HTML document, laid out on its own (the progress follows the
  sections) and the pages are put together into one PDF, page numbers counted across.

- WeasyPrint without two costs our documents do not need (``_engine``): six pseudo-element
  styles per element from its user-agent sheet, and a quadratic page look-up when tagging;
- table cells with their own thin borders (separate model), not collapsed ones (~8 % of the
  tables' time); no inline ``<span>`` after a ``<br>`` in a cell, a block instead.

Measured and kept: the PDF/UA-1 tagging (structure tree for screen readers, ~3 % of the CPU
time once the page look-up is linear) doubles the file; inline SVG charts cost ~0.2 s for 80
sparklines; ``break-inside`` and ``nowrap`` rules of the tables cost nothing measurable.
Measured and not kept: ``text-rendering`` (read only in SVG by WeasyPrint 70), no kerning or
ligatures, landscape tables, the budget's years side by side (docs/performance.md).

It runs in the worker (``jalon worker``), never in a web request.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..document import EMPTY, SHEET_LABELS, Document
from . import Progress
from .charts import SPARK_WIDTH_PX, progress_bars, sparkline

DEFAULT_COLOR = "#0b4f8a"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PT_PER_MM = 72 / 25.4
CONTENT_MM = 210 - 2 * 16  # A4 minus the side margins of head.html
CELL_PAD_MM = 2 * 1.5 + 0.5  # padding both sides and the border
FONT_PT = 9.0

# annex: facts short enough to share one line; the rest keep a line each
SHORT = ("start", "end", "status", "progress", "departments", "owners")
# any other field this short (its list's items joined) shares a line with the other short ones
SHORT_FIELD_CHARS = 60


def safe_color(color: str) -> str:
    return color if re.fullmatch(r"#[0-9a-fA-F]{6}", color or "") else DEFAULT_COLOR


# -- text widths (for column widths) ---------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width of each character in em, from DejaVu Sans (fontTools comes with
    WeasyPrint); a plain average when the font is not there."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    fallback = 0.62 if bold else 0.56
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        cmap = font.getBestCmap()
        return {cp: hmtx[name][0] / upm for cp, name in cmap.items() if name in hmtx}, fallback
    except Exception:  # no font file: estimate
        return {}, fallback


def text_mm(text: str, *, bold: bool = False, size: float = FONT_PT) -> float:
    advances, fallback = _advances(bold)
    em = sum(advances.get(ord(c), fallback) for c in text)
    return em * size / PT_PER_MM


def longest_word_mm(text: str, *, bold: bool = False) -> float:
    return max((text_mm(w, bold=bold) for w in str(text).split()), default=0.0)


def column_widths(headers: list[str], columns: list[list[str]], *, flexible: int,
                  nowrap: tuple[int, ...] = (), cap_mm: float = 32.0,
                  total_mm: float = CONTENT_MM,
                  least_mm: dict[int, float] | None = None,
                  split_headers: bool = False) -> list[float]:
    """Widths (mm) of a table's columns from their content: each fixed column as wide as its
    header (never split; with ``split_headers``, its longest word: the header may take two
    lines, between words) and its longest word, and its longest text up to ``cap_mm``; columns
    in ``nowrap`` as wide as their longest text; ``least_mm`` gives a column's least content
    width (a chart); the ``flexible`` column takes what is left."""
    widths = []
    for i, (header, cells) in enumerate(zip(headers, columns, strict=True)):
        if i == flexible:
            widths.append(0.0)
            continue
        head = (longest_word_mm(header, bold=True) if split_headers
                else text_mm(header, bold=True))
        need = max(head, (least_mm or {}).get(i, 0.0))
        for cell in cells:
            cell = str(cell)
            whole = text_mm(cell)
            need = max(need, whole if i in nowrap else max(longest_word_mm(cell),
                                                           min(whole, cap_mm)))
        widths.append(need + CELL_PAD_MM)
    widths[flexible] = max(total_mm - sum(widths), 0.3 * total_mm)
    scale = min(1.0, total_mm / sum(widths))
    return [round(w * scale, 1) for w in widths]


def action_table_widths(doc: Document) -> list[float]:
    rows = [r for g in doc.action_groups for r in g["rows"] if r.get("leaf")]
    headers = [_("Code"), _("Intitulé"), _("Statut"), _("Avancement"), _("Échéance"),
               _("Responsable")]
    columns = [[r["code"] for r in rows], [], [r["status_text"] for r in rows],
               [r["progress_text"] for r in rows], [r["end"] for r in rows],
               [r["owners"] for r in rows]]
    return column_widths(headers, columns, flexible=1, nowrap=(0, 3))


def budget_table_widths(doc: Document) -> list[float]:
    rows = doc.budget.get("rows", []) if isinstance(doc.budget, dict) else []
    amounts = [t[k] for r in rows for t in r.get("text", {}).values()
               for k in ("planned", "committed", "spent")]
    amounts += [t[k] for t in (doc.budget.get("totals_text", {}) or {}).values()
                for k in ("planned", "committed", "spent")] if rows else []
    headers = [_("Code"), _("Intitulé"), _("Prévu"), _("Engagé"), _("Dépensé")]
    columns = [[r["code"] for r in rows], [], amounts, amounts, amounts]
    return column_widths(headers, columns, flexible=1, nowrap=(0, 2, 3, 4))


def indicator_table_widths(doc: Document) -> list[float]:
    inds = doc.indicators
    headers = [_("Élément"), _("Indicateur"), _("Cible / norme"), _("Dernière valeur"),
               _("Statut"), _("Évolution")]
    columns = [[i["code"] for i in inds], [], [i["target_text"] for i in inds],
               [t for i in inds for t in (i["latest_text"], i["latest_period"])],
               [i["status_text"] for i in inds], [i["trend_text"] for i in inds]]
    chart = SPARK_WIDTH_PX * 25.4 / 96 if any(i["trend"] for i in inds) else 0.0
    return column_widths(headers, columns, flexible=1, nowrap=(0,), least_mm={5: chart},
                         split_headers=True)


# -- annex sheets ----------------------------------------------------------------------------

def compact_sheet(sheet: dict) -> dict:
    """A sheet that says each thing once (see the module's docstring)."""
    label_key = {v: k for k, v in SHEET_LABELS.items()}
    path, facts, fields, short, empty = [], [], [], [], []
    for label, value in sheet["fields"]:
        key = label_key.get(label)
        value = str(value)
        if key == "title":
            continue
        if key is None:  # an ancestor, under its level's name
            code, _sep, title = value.partition(" ")
            path.append((label, code, title))
        elif not value.strip() or value == EMPTY:
            empty.append(label)
        elif key in SHORT:
            facts.append((label, value))
        elif len(one_line := " ; ".join(value.split("\n"))) <= SHORT_FIELD_CHARS:
            short.append((label, one_line))
        else:
            fields.append((label, value))
    return {"code": sheet["code"], "title": sheet["title"], "path": path, "facts": facts,
            "fields": fields, "short": short, "empty": empty}


# -- the document ----------------------------------------------------------------------------

def section_sources(doc: Document, reporter: Progress | None = None):
    """Yield ``(section, html)``: one HTML document per section (the annex in chunks)."""
    reporter = reporter or Progress(None, 0)
    doc.look.color = safe_color(doc.look.color)
    color = doc.look.color
    logo = Path(doc.look.logo_path) if doc.look.logo_path else None
    ctx = {"doc": doc, "logo_url": logo.as_uri() if logo and logo.is_file() else ""}
    head = render_to_string("reports/pdf/head.html", ctx)
    end = "</body></html>"
    for section in doc.sections:
        if section == "summary":
            objectives = [{**o, "chart": progress_bars(
                o["bars"], title=_("Avancement de %(code)s %(title)s")
                % {"code": o["code"], "title": o["title"]}, color=color, uid=f"o{i}")}
                for i, o in enumerate(doc.objectives)]
            body = render_to_string("reports/pdf/summary.html",
                                    {**ctx, "objectives": objectives})
        elif section == "actions":
            widths = action_table_widths(doc)
            body = render_to_string("reports/pdf/actions.html", {**ctx, "widths": widths})
        elif section == "budget":
            body = render_to_string("reports/pdf/budget.html",
                                    {**ctx, "widths": budget_table_widths(doc)})
        elif section == "indicators":
            indicators = [{**ind, "chart": sparkline(
                ind["trend"], target=ind["target_value"], unit=ind["unit"],
                title=_("Évolution de « %s »") % ind["name"][:80], color=color, uid=f"i{i}")
                if ind["trend"] else ""} for i, ind in enumerate(doc.indicators)]
            body = render_to_string("reports/pdf/indicators.html",
                                    {**ctx, "indicators": indicators,
                                     "widths": indicator_table_widths(doc)})
        elif section == "annex":
            # one document (a chunk per document would start a page each); the progress
            # follows the chunks as they are written, then the layout
            parts = [render_to_string("reports/pdf/annex_start.html", ctx)]
            for chunk in reporter.chunks(doc.sheets, _("Fiches")):
                parts.append(render_to_string("reports/pdf/sheets.html", {
                    "sheets": [compact_sheet(s) for s in chunk]}))
            parts.append("</section>")
            yield section, head + "".join(parts) + end
            continue
        else:
            body = render_to_string(f"reports/pdf/{section}.html", ctx)
        yield section, head + body + end
        reporter.step(doc.section_label(section))


def html(doc: Document, reporter: Progress | None = None) -> str:
    """The whole document as one HTML page (for reading and tests; ``render`` lays out each
    section on its own)."""
    head_end = "</head>"
    parts = []
    for i, (_section, source) in enumerate(section_sources(doc, reporter)):
        body = source.split("<body>", 1)[1].rsplit("</body>", 1)[0]
        if i == 0:
            parts.append(source.split("<body>", 1)[0] + "<body>")
        parts.append(body)
    parts.append("</body></html>")
    return "".join(parts) if parts else head_end


# -- WeasyPrint, lighter ----------------------------------------------------------------------

@functools.cache
def _engine():
    """``(HTML class, FontConfiguration)`` for our documents.

    Two costs WeasyPrint 70 has for every document and that ours do not need, removed without
    touching the library's files (both measured with ``benchmarks/reports.py --pdf-codes``):

    - its HTML user-agent sheet gives *every* element a ``::marker`` and four footnote/note
      pseudo-elements, so the style cascade computed six styles per element; our documents
      have no list item (the only boxes with a marker) and no footnote, so the sheet we give it
      is the same one with ``::marker`` limited to ``li``/``summary`` and the notes' rules out;
    - ``pydyf.PDF.page_references`` rebuilds the list of every page for each look-up and the
      PDF/UA tagging looks up a page per tagged element (quadratic in pages): the list is kept
      while no page is added (the pages are only ever appended).
    """
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA
    from weasyprint.text.fonts import FontConfiguration

    ua = UA.replace("::marker {", "li::marker, summary::marker {", 1)
    ua = re.sub(r"^::(footnote|note)-[a-z]+ \{.*\}$", "", ua, flags=re.M)
    # (its @counter-style rules are the library's, which every document gets anyway)
    sheet = CSS(string=ua, counter_style=CounterStyle())

    class CouncilHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    known = pydyf.PDF.__dict__.get("page_references")
    if isinstance(known, property) and not getattr(known.fget, "jalon_cached", False):
        build = known.fget

        def page_references(pdf):
            count = pdf.pages["Count"]
            cached = pdf.__dict__.get("_jalon_page_references")
            if cached is None or cached[0] != count:
                cached = pdf.__dict__["_jalon_page_references"] = (count, build(pdf))
            return cached[1]

        page_references.jalon_cached = True
        pydyf.PDF.page_references = property(page_references)
    return CouncilHTML, FontConfiguration()


def render(doc: Document, reporter: Progress) -> bytes:
    HTML, fonts = _engine()

    # Each section laid out on its own, then the pages put together: page numbers run across
    # sections (each section's first page counts on from the pages before it).
    documents = []
    pages_before = 0
    for _section, source in section_sources(doc, reporter):
        if pages_before:
            source = source.replace("/*page-offset*/",
                                    f"@page:first {{ counter-reset: page {pages_before + 1}; }}", 1)
        document = HTML(string=source, base_url=None).render(font_config=fonts,
                                                             pdf_variant="pdf/ua-1")
        pages_before += len(document.pages)
        documents.append(document)
    pages = [page for d in documents for page in d.pages]
    merged = documents[0].copy(pages)
    # PDF/UA: a tagged PDF (headings, tables, reading order) that screen readers can follow —
    # council documents end up on public websites.
    pdf = merged.write_pdf(pdf_variant="pdf/ua-1")
    reporter.step(_("Mise en page et écriture du PDF"))
    return pdf
