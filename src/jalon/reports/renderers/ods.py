"""ODS through odfpy: the same sheets as the XLSX, with typed cells (float, currency, date)
whose displayed text is already in Belgian format."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from odf import number as N
from odf.dc import Title
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from jalon.core.values import format_money

from ..document import Document, iso_date, pct, value_text
from . import Progress
from .pdf import safe_color
from .xlsx import SHEET_TITLES


class Money(float):
    pass


class Percent(float):
    pass


class IsoDate(str):
    pass


class Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.ods = OpenDocumentSpreadsheet()
        self.ods.meta.addElement(Title(text=doc.title[:250]))
        color = safe_color(doc.look.color)
        auto = self.ods.automaticstyles

        money = N.CurrencyStyle(name="N-eur")
        money.addElement(N.Number(decimalplaces="2", minintegerdigits="1", grouping="true"))
        money.addElement(N.Text(text="\u00a0"))
        money.addElement(N.CurrencySymbol(language="fr", country="BE", text="€"))
        date = N.DateStyle(name="N-date")
        for el in (N.Day(style="long"), N.Text(text="/"), N.Month(style="long"),
                   N.Text(text="/"), N.Year(style="long")):
            date.addElement(el)
        percent = N.NumberStyle(name="N-pct")
        percent.addElement(N.Number(decimalplaces="0", minintegerdigits="1"))
        percent.addElement(N.Text(text="\u00a0%"))
        for s in (money, date, percent):
            auto.addElement(s)

        def cell_style(name: str, **kw) -> Style:
            st = Style(name=name, family="table-cell", **kw)
            auto.addElement(st)
            return st

        self.head = cell_style("head")
        self.head.addElement(TableCellProperties(backgroundcolor=color, wrapoption="wrap"))
        self.head.addElement(TextProperties(fontweight="bold", color="#ffffff"))
        self.bold = cell_style("bold")
        self.bold.addElement(TextProperties(fontweight="bold"))
        self.wrap = cell_style("wrap")
        self.wrap.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
        self.wrap.addElement(ParagraphProperties())
        self.money = cell_style("money", datastylename="N-eur")
        self.date = cell_style("date", datastylename="N-date")
        self.pct = cell_style("pct", datastylename="N-pct")
        self.columns: dict[float, Style] = {}

    def column(self, width_cm: float) -> Style:
        if width_cm not in self.columns:
            st = Style(name=f"co{len(self.columns)}", family="table-column")
            st.addElement(TableColumnProperties(columnwidth=f"{width_cm}cm"))
            self.ods.automaticstyles.addElement(st)
            self.columns[width_cm] = st
        return self.columns[width_cm]

    def sheet(self, section: str, header: list[str] | None, widths: list[float]) -> Table:
        t = Table(name=str(SHEET_TITLES[section])[:31])
        for w in widths:
            t.addElement(TableColumn(stylename=self.column(w)))
        if header:
            self.row(t, header, style=self.head)
        self.ods.spreadsheet.addElement(t)
        return t

    def row(self, table: Table, values: list, *, style: Style | None = None) -> None:
        tr = TableRow()
        for v in values:
            tr.addElement(self.cell(v, style))
        table.addElement(tr)

    def cell(self, v, style: Style | None = None) -> TableCell:
        if v is None or v == "":
            return TableCell()
        if isinstance(v, Money):
            c = TableCell(valuetype="currency", currency="EUR", value=float(v),
                          stylename=self.money)
            text = format_money(float(v))
        elif isinstance(v, Percent):
            c = TableCell(valuetype="float", value=float(v), stylename=self.pct)
            text = pct(float(v))
        elif isinstance(v, IsoDate):
            c = TableCell(valuetype="date", datevalue=str(v), stylename=self.date)
            text = iso_date(str(v))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            c = TableCell(valuetype="float", value=v, **({"stylename": style} if style else {}))
            text = value_text(v)
        else:
            c = TableCell(valuetype="string", stylename=style or self.wrap)
            text = str(v)
        for line in text.split("\n"):
            c.addElement(P(text=line))
        return c

    # -- sections ------------------------------------------------------------------------

    def cover(self) -> None:
        d = self.doc
        t = self.sheet("cover", None, [6, 16])
        rows = [(_("Organisation"), d.org), (_("Plan"), d.plan_title), (_("Type"), d.plan_kind),
                (_("Période"), d.period)]
        if d.evaluation:
            e = d.evaluation
            rows += [(_("Évaluation"), f"{e['kind']} — {_('version')} {e['version']}"),
                     (_("Situation au"), e["as_of"]), (_("Statut"), e["status"]),
                     (_("Validée le"), e["validated_at"] or "—")]
        else:
            rows.append((_("Situation au"), d.as_of))
        rows += [(_("Avancement global"), d.totals["progress_text"]),
                 (_("Actions"), d.totals["actions"]), (_("En retard"), d.totals.get("late", 0)),
                 (_("Document produit le"), d.generated)]
        if d.overall:
            rows.append((_("Appréciation générale"), d.overall))
        for label, value in rows:
            tr = TableRow()
            tr.addElement(self.cell(str(label), self.bold))
            tr.addElement(self.cell(value))
            t.addElement(tr)

    def summary(self) -> None:
        t = self.sheet("summary", [_("Code"), _("Objectif"), _("Avancement"), _("Actions"),
                                   _("Statuts"), _("Appréciation")], [2.5, 10, 2.5, 2, 7, 10])
        for o in self.doc.objectives:
            self.row(t, [o["code"], o["title"],
                         None if o["progress"] is None else Percent(o["progress"]), o["actions"],
                         " · ".join(f"{label} : {n}" for label, n in o["by_status"]),
                         o["assessment"]])

    def actions(self) -> None:
        t = self.sheet("actions", [_("Objectif"), _("Code"), _("Niveau"), _("Intitulé"),
                                   _("Statut"), _("Avancement"), _("Début"), _("Fin"),
                                   _("Échéance (texte)"), _("Responsable"), _("Département")],
                       [2, 2.8, 3.5, 12, 3, 2.5, 2.5, 2.5, 3.5, 5, 5])
        for g in self.doc.action_groups:
            for r in g["rows"]:
                self.row(t, [g["code"], r["code"], r["level"], r["title"], r["status_text"],
                             None if r["progress"] is None else Percent(r["progress"]),
                             IsoDate(r["start_date"]) if r["start_date"] else None,
                             IsoDate(r["end_date"]) if r["end_date"] else None, r["end"],
                             r["owners"], r["departments"]])

    def indicators(self) -> None:
        t = self.sheet("indicators", [_("Élément"), _("Indicateur"), _("Unité"),
                                      _("Cible / norme"), _("Cible (valeur)"),
                                      _("Dernière valeur"), _("Période"), _("Statut"),
                                      _("Évolution")], [2.5, 10, 2, 5, 2.5, 2.5, 2, 3, 10])
        for i in self.doc.indicators:
            self.row(t, [i["code"], i["name"], i["unit"], i["target_text"], i["target_value"],
                         i["latest_value"], i["latest_period"], i["status_text"],
                         i["trend_text"]])

    def budget(self) -> None:
        b = self.doc.budget
        t = self.sheet("budget", [_("Code"), _("Intitulé"), _("Exercice"), _("Prévu"),
                                  _("Engagé"), _("Dépensé")], [2.8, 10, 2, 3.5, 3.5, 3.5])
        for year in b["years"]:
            for r in b["rows"]:
                y = r["by_year"][year]
                self.row(t, [r["code"], r["title"], int(year) if year else None,
                             *[Money(y.get(f) or 0) for f in ("planned", "committed", "spent")]])
        for year in b["years"]:
            y = b["totals"][year]
            self.row(t, ["", str(_("Total")), int(year) if year else None,
                         *[Money(y.get(f) or 0) for f in ("planned", "committed", "spent")]])
        if b["stated"]:
            self.row(t, [])
            self.row(t, [str(_("Code")), str(_("Intitulé")), str(_("Ressources prévues au plan"))],
                     style=self.bold)
            for r in b["stated"]:
                self.row(t, [r["code"], r["title"], r["resources"]])

    def annex(self, reporter: Progress) -> None:
        labels: list[str] = []
        for s in self.doc.sheets:
            for label, _value in s["fields"]:
                if label not in labels:
                    labels.append(label)
        t = self.sheet("annex", [_("Code"), *labels], [2.8] + [7] * len(labels))
        for chunk in reporter.chunks(self.doc.sheets, _("Fiches")):
            for s in chunk:
                values = dict(s["fields"])
                self.row(t, [s["code"], *[values.get(label, "") for label in labels]])


def render(doc: Document, reporter: Progress) -> bytes:
    w = Writer(doc)
    for section in doc.sections:
        if section == "annex":
            w.annex(reporter)
            continue
        getattr(w, section)()
        reporter.step(doc.section_label(section))
    if not w.ods.spreadsheet.childNodes:
        w.ods.spreadsheet.addElement(Table(name="Jalon"))
    buf = io.BytesIO()
    w.ods.write(buf)
    reporter.step(_("Écriture du fichier"))
    return buf.getvalue()
