"""DOCX through python-docx: the same sections as the PDF, charts given as tables."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _
from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from ..document import Document, pct
from . import Progress
from .pdf import safe_color


def _shade(cell: _Cell, hex_color: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_color.lstrip("#"))
    props.append(shd)


def _text(cell: _Cell, text: str, *, bold: bool = False, color: str = "") -> None:
    """Write text into a new (empty) cell's paragraph: built with lxml directly, line breaks
    as ``<w:br/>`` — python-docx's run.text goes character by character, which is most of the
    time of a long document."""
    p = cell._tc.p_lst[0]
    r = OxmlElement("w:r")
    if bold or color:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if color:
            c = OxmlElement("w:color")
            c.set(qn("w:val"), color)
            rpr.append(c)
        r.append(rpr)
    for i, line in enumerate(str(text).split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set(qn("xml:space"), "preserve")
        r.append(t)
    p.append(r)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


class Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.color = safe_color(doc.look.color)
        self.out = Docx()
        section = self.out.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(16)
        section.top_margin, section.bottom_margin = Mm(18), Mm(18)
        normal = self.out.styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(9)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "fr-BE")
        normal.element.get_or_add_rPr().append(lang)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            self.out.styles[name].font.color.rgb = RGBColor.from_string(self.color[1:].upper())
        props = self.out.core_properties
        props.title, props.author, props.language = doc.title[:250], doc.org[:250], "fr-BE"
        self.grid_style = self.out.styles["Table Grid"].style_id
        self.heading_styles = {level: self.out.styles[f"Heading {level}"].style_id
                               for level in (1, 2, 3)}
        footer = section.footer.paragraphs[0]
        footer.text = doc.org + (f" · {doc.look.footer}" if doc.look.footer else "")

    def new_table(self, rows: int, cols: int, widths: list[float] | None = None):
        """An empty grid table of rows × cols made in one go (python-docx's add_row and style
        setters cost more than the rest of a long document), columns of ``widths`` mm."""
        t = self.out.add_table(rows=rows, cols=cols)
        t._tbl.tblPr.style = self.grid_style
        if widths:
            twips = [str(int(Mm(w).twips)) for w in widths]
            for col, w in zip(t._tbl.tblGrid.gridCol_lst, twips, strict=False):
                col.set(qn("w:w"), w)
            for tr in t._tbl.tr_lst:
                for tc, w in zip(tr.tc_lst, twips, strict=False):
                    tcw = tc.get_or_add_tcPr().get_or_add_tcW()
                    tcw.set(qn("w:w"), w)
                    tcw.set(qn("w:type"), "dxa")
        return t

    def heading(self, text: str, level: int) -> None:
        p = self.out.add_paragraph(text)
        p._p.get_or_add_pPr().style = self.heading_styles[level]

    def table(self, header: list[str], rows: list[list[str] | str], *,
              bold_rows: set[int] | None = None, widths: list[float] | None = None) -> None:
        """A table with a coloured header row repeated on each page; a row given as one
        string spans the whole width (a heading inside the table)."""
        t = self.new_table(1 + len(rows), len(header), widths)
        trs = t._tbl.tr_lst
        _repeat_header(t.rows[0])
        for tc, text in zip(trs[0].tc_lst, header, strict=True):
            cell = _Cell(tc, t)
            _text(cell, text, bold=True, color="FFFFFF")
            _shade(cell, self.color)
        for i, (tr, values) in enumerate(zip(trs[1:], rows, strict=True)):
            cells = [_Cell(tc, t) for tc in tr.tc_lst]
            if isinstance(values, str):
                merged = cells[0].merge(cells[-1])
                _text(merged, values, bold=True)
                _shade(merged, "#F1F1F1")
                continue
            for cell, text in zip(cells, values, strict=True):
                if text not in (None, ""):
                    _text(cell, text, bold=bool(bold_rows and i in bold_rows))

    def page_break(self) -> None:
        self.out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- sections ------------------------------------------------------------------------

    def cover(self) -> None:
        d = self.doc
        logo = Path(d.look.logo_path) if d.look.logo_path else None
        if logo and logo.is_file():
            self.out.add_picture(str(logo), width=Mm(50))
        p = self.out.add_paragraph()
        p.add_run(d.org).bold = True
        self.out.add_heading(d.plan_title, level=0)
        self.out.add_paragraph(d.plan_kind + (f" · {d.period}" if d.period else ""))
        rows = []
        if d.evaluation:
            e = d.evaluation
            rows += [[_("Évaluation"), f"{e['kind']} — {_('version')} {e['version']}"],
                     [_("Situation au"), e["as_of"]],
                     [_("Statut"), e["status"] + (f" ({e['validated_at']})"
                                                  if e["validated_at"] else "")]]
        else:
            rows.append([_("Rapport de suivi — situation au"), d.as_of])
        rows += [[_("Avancement global"), f"{d.totals['progress_text']} · {d.totals['actions']} "
                  + _("actions")], [_("Document produit le"), d.generated]]
        for label, value in rows:
            p = self.out.add_paragraph()
            p.add_run(f"{label} : ").bold = True
            p.add_run(value)
        if d.overall:
            self.out.add_heading(_("Appréciation générale"), level=1)
            self.out.add_paragraph(d.overall)

    def summary(self) -> None:
        d = self.doc
        self.out.add_heading(_("Synthèse par objectif"), level=1)
        rows = [[label, str(n)] for label, n in d.totals["by_status"]]
        rows.append([_("Total"), str(d.totals["actions"])])
        self.table([_("Statut des actions"), _("Nombre")], rows, bold_rows={len(rows) - 1})
        for o in d.objectives:
            self.heading(f"{o['code']} {o['title']}", 2)
            self.out.add_paragraph(o["line"])
            self.table([_("Code"), _("Intitulé"), _("Avancement")],
                       [[code, title, pct(v)] for code, title, v in o["bars"]],
                       widths=[25, 125, 28])
            if o["assessment"]:
                self.out.add_paragraph(o["assessment"], style="Intense Quote")

    def actions(self) -> None:
        self.out.add_heading(_("Tableau des actions"), level=1)
        for g in self.doc.action_groups:
            self.heading(f"{g['code']} {g['title']}", 2)
            rows = [[r["code"], r["title"], r["status_text"], r["progress_text"], r["end"],
                     r["owners"]] if r["leaf"] else
                    f"{r['code']} {r['title']} — {r['line']}" for r in g["rows"]]
            self.table([_("Code"), _("Intitulé"), _("Statut"), _("Avancement"), _("Échéance"),
                        _("Responsable")], rows, widths=[20, 70, 22, 18, 22, 26])

    def indicators(self) -> None:
        self.out.add_heading(_("Indicateurs"), level=1)
        if not self.doc.indicators:
            self.out.add_paragraph(_("Aucun indicateur n'est suivi pour ce plan."))
            return
        self.table([_("Élément"), _("Indicateur"), _("Cible / norme"), _("Dernière valeur"),
                    _("Statut"), _("Évolution")],
                   [[i["code"], i["name"], i["target_text"],
                     i["latest_text"] + (f" ({i['latest_period']})" if i["latest_period"] else ""),
                     i["status_text"], i["trend_text"]] for i in self.doc.indicators])

    def budget(self) -> None:
        b = self.doc.budget
        self.out.add_heading(_("Budget"), level=1)
        for year in b["years"]:
            self.out.add_heading(f"{_('Exercice')} {year}" if year else _("Sans année"),
                                 level=2)
            rows = [[r["code"], r["title"], r["text"][year]["planned"],
                     r["text"][year]["committed"], r["text"][year]["spent"]]
                    for r in b["rows"] if year in r["text"]]
            t = b["totals_text"][year]
            rows.append(["", _("Total"), t["planned"], t["committed"], t["spent"]])
            self.table([_("Code"), _("Intitulé"), _("Prévu"), _("Engagé"), _("Dépensé")], rows,
                       bold_rows={len(rows) - 1})
        if b["stated"]:
            self.out.add_heading(_("Ressources prévues au plan"), level=2)
            self.table([_("Code"), _("Intitulé"), _("Ressources")],
                       [[r["code"], r["title"], r["resources"]] for r in b["stated"]])
        if not b["rows"] and not b["stated"]:
            self.out.add_paragraph(_("Aucune donnée budgétaire."))

    def annex(self, reporter: Progress) -> None:
        self.out.add_heading(_("Annexe : fiches actions"), level=1)
        for chunk in reporter.chunks(self.doc.sheets, _("Fiches")):
            for s in chunk:
                if self.doc.look.sheet_per_page and s is not self.doc.sheets[0]:
                    self.page_break()
                self.heading(f"{s['code']} {s['title']}", 3)
                t = self.new_table(len(s["fields"]), 2, [45, 133])
                for tr, (label, value) in zip(t._tbl.tr_lst, s["fields"], strict=True):
                    label_cell, value_cell = (_Cell(tc, t) for tc in tr.tc_lst)
                    _text(label_cell, label, bold=True)
                    _text(value_cell, value)


def render(doc: Document, reporter: Progress) -> bytes:
    w = Writer(doc)
    for i, section in enumerate(doc.sections):
        if i and section != "cover":
            w.page_break()
        if section == "annex":
            w.annex(reporter)
            continue
        getattr(w, section)()
        reporter.step(doc.section_label(section))
    buf = io.BytesIO()
    w.out.save(buf)
    reporter.step(_("Écriture du fichier"))
    return buf.getvalue()
