"""PDF through WeasyPrint, from Django HTML templates (``templates/reports/pdf/``).

Each section is rendered on its own so that progress can be reported; WeasyPrint then lays
the whole document out and writes it (the last, longest step).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..document import Document
from . import Progress
from .charts import progress_bars, sparkline

DEFAULT_COLOR = "#0b4f8a"


def safe_color(color: str) -> str:
    return color if re.fullmatch(r"#[0-9a-fA-F]{6}", color or "") else DEFAULT_COLOR


def html(doc: Document, reporter: Progress | None = None) -> str:
    """The document as one HTML page (what WeasyPrint lays out)."""
    reporter = reporter or Progress(None, 0)
    doc.look.color = safe_color(doc.look.color)
    color = doc.look.color
    logo = Path(doc.look.logo_path) if doc.look.logo_path else None
    ctx = {"doc": doc, "logo_url": logo.as_uri() if logo and logo.is_file() else ""}
    parts = [render_to_string("reports/pdf/head.html", ctx)]
    for section in doc.sections:
        if section == "summary":
            objectives = [{**o, "chart": progress_bars(
                o["bars"], title=_("Avancement de %(code)s %(title)s")
                % {"code": o["code"], "title": o["title"]}, color=color, uid=f"o{i}")}
                for i, o in enumerate(doc.objectives)]
            parts.append(render_to_string("reports/pdf/summary.html",
                                          {**ctx, "objectives": objectives}))
        elif section == "indicators":
            indicators = [{**ind, "chart": sparkline(
                ind["trend"], target=ind["target_value"], unit=ind["unit"],
                title=_("Évolution de « %s »") % ind["name"][:80], color=color, uid=f"i{i}")
                if ind["trend"] else ""} for i, ind in enumerate(doc.indicators)]
            parts.append(render_to_string("reports/pdf/indicators.html",
                                          {**ctx, "indicators": indicators}))
        elif section == "annex":
            parts.append(render_to_string("reports/pdf/annex_start.html", ctx))
            for chunk in reporter.chunks(doc.sheets, _("Fiches")):
                parts.append(render_to_string("reports/pdf/sheets.html", {"sheets": chunk}))
            parts.append("</section>")
            continue
        else:
            parts.append(render_to_string(f"reports/pdf/{section}.html", ctx))
        reporter.step(doc.section_label(section))
    parts.append("</body></html>")
    return "".join(parts)


def render(doc: Document, reporter: Progress) -> bytes:
    from weasyprint import HTML

    source = html(doc, reporter)
    # PDF/UA: a tagged PDF (headings, tables, reading order) that screen readers can follow —
    # council documents end up on public websites.  About 15 % slower than untagged.
    pdf = HTML(string=source, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    reporter.step(_("Mise en page et écriture du PDF"))
    return pdf
