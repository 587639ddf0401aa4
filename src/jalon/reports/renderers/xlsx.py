"""XLSX through openpyxl: one sheet per section, real numbers and dates with Belgian display
formats (a spreadsheet in fr-BE shows 1.234,56 € and 31/12/2024), a bar chart of progress."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..document import Document
from . import Progress
from .pdf import safe_color

MONEY = '#,##0.00\\ "€"'
PERCENT = '0\\ "%"'
DATE = "DD/MM/YYYY"
SHEET_TITLES = {"cover": _l("Couverture"), "summary": _l("Synthèse"), "actions": _l("Actions"),
                "indicators": _l("Indicateurs"), "budget": _l("Budget"), "annex": _l("Fiches")}


def _date(iso: str | None):
    return dt.date.fromisoformat(iso) if iso else None


class Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.color = safe_color(doc.look.color)[1:].upper()
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.wb.properties.title = doc.title[:250]
        self.wb.properties.creator = doc.org[:250]
        self.wb.properties.language = "fr-BE"
        self.head_fill = PatternFill("solid", fgColor=self.color)
        self.head_font = Font(bold=True, color="FFFFFF")

    def sheet(self, section: str, header: list[str] | None = None, widths: list[int] = ()):
        ws = self.wb.create_sheet(str(SHEET_TITLES[section])[:31])
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if header:
            ws.append(header)
            for cell in ws[1]:
                cell.fill, cell.font = self.head_fill, self.head_font
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            ws.freeze_panes = "A2"
        return ws

    @staticmethod
    def finish(ws, formats: dict[int, str], wrap: set[int] = frozenset()) -> None:
        """Number formats per column (1-based) and wrapping, from row 2 on."""
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                fmt = formats.get(cell.column)
                if fmt:
                    cell.number_format = fmt
                if cell.column in wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions

    # -- sections ------------------------------------------------------------------------

    def cover(self) -> None:
        d = self.doc
        ws = self.sheet("cover", widths=[34, 90])
        logo = Path(d.look.logo_path) if d.look.logo_path else None
        if logo and logo.is_file():
            from openpyxl.drawing.image import Image

            img = Image(str(logo))
            ratio = 60 / max(1, img.height)
            img.width, img.height = int(img.width * ratio), 60
            ws.add_image(img, "D1")
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
            ws.append([str(label), value])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
            ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws["B2"].font = Font(bold=True, size=14, color=self.color)

    def summary(self) -> None:
        ws = self.sheet("summary", [_("Code"), _("Objectif"), _("Avancement"), _("Actions"),
                                    _("Statuts"), _("Appréciation")], [12, 60, 12, 10, 40, 60])
        for o in self.doc.objectives:
            ws.append([o["code"], o["title"], o["progress"], o["actions"],
                       " · ".join(f"{label} : {n}" for label, n in o["by_status"]),
                       o["assessment"]])
        self.finish(ws, {3: PERCENT}, {2, 5, 6})
        if self.doc.objectives:
            chart = BarChart()
            chart.type = "bar"
            chart.title = str(_("Avancement par objectif (%)"))
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
            chart.legend = None
            n = len(self.doc.objectives) + 1
            chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=n), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
            chart.height = max(6, 0.6 * n)
            ws.add_chart(chart, f"A{n + 3}")

    def actions(self) -> None:
        ws = self.sheet("actions", [_("Objectif"), _("Code"), _("Niveau"), _("Intitulé"),
                                    _("Statut"), _("Avancement"), _("Début"), _("Fin"),
                                    _("Échéance (texte)"), _("Responsable"), _("Département")],
                        [10, 14, 18, 70, 14, 12, 12, 12, 18, 28, 28])
        for g in self.doc.action_groups:
            for r in g["rows"]:
                ws.append([g["code"], r["code"], r["level"], "  " * r["indent"] + r["title"],
                           r["status_text"], r["progress"], _date(r["start_date"]),
                           _date(r["end_date"]), r["end"], r["owners"], r["departments"]])
                if not r["leaf"]:
                    ws.cell(ws.max_row, 4).font = Font(bold=True)
        self.finish(ws, {6: PERCENT, 7: DATE, 8: DATE}, {4})

    def indicators(self) -> None:
        ws = self.sheet("indicators", [_("Élément"), _("Indicateur"), _("Unité"),
                                       _("Cible / norme"), _("Cible (valeur)"),
                                       _("Dernière valeur"), _("Période"), _("Statut"),
                                       _("Évolution")], [12, 60, 10, 30, 14, 14, 10, 14, 60])
        for i in self.doc.indicators:
            ws.append([i["code"], i["name"], i["unit"], i["target_text"], i["target_value"],
                       i["latest_value"], i["latest_period"], i["status_text"], i["trend_text"]])
        self.finish(ws, {5: "#,##0.##", 6: "#,##0.##"}, {2, 4, 9})

    def budget(self) -> None:
        b = self.doc.budget
        ws = self.sheet("budget", [_("Code"), _("Intitulé"), _("Exercice"), _("Prévu"),
                                   _("Engagé"), _("Dépensé")], [14, 60, 10, 16, 16, 16])
        for year in b["years"]:
            for r in b["rows"]:
                y = r["by_year"][year]
                ws.append([r["code"], r["title"], int(year) if year else None,
                           *[y.get(f) or 0 for f in ("planned", "committed", "spent")]])
        for year in b["years"]:
            t = b["totals"][year]
            ws.append(["", str(_("Total")), int(year) if year else None,
                       *[t.get(f) or 0 for f in ("planned", "committed", "spent")]])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        self.finish(ws, {4: MONEY, 5: MONEY, 6: MONEY}, {2})
        if b["stated"]:
            ws.append([])  # a second table, with its own header: the resources as printed
            ws.append([str(_("Code")), str(_("Intitulé")), str(_("Ressources prévues au plan"))])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
            for r in b["stated"]:
                ws.append([r["code"], r["title"], r["resources"]])

    def annex(self, reporter: Progress) -> None:
        sheets = self.doc.sheets
        labels: list[str] = []
        for s in sheets:  # every label, in the order they first appear
            for label, _value in s["fields"]:
                if label not in labels:
                    labels.append(label)
        ws = self.sheet("annex", [_("Code"), *labels], [14] + [40] * len(labels))
        for chunk in reporter.chunks(sheets, _("Fiches")):
            for s in chunk:
                values = dict(s["fields"])
                ws.append([s["code"], *[values.get(label, "") for label in labels]])
        self.finish(ws, {}, set(range(2, len(labels) + 2)))


def render(doc: Document, reporter: Progress) -> bytes:
    w = Writer(doc)
    for section in doc.sections:
        if section == "annex":
            w.annex(reporter)
            continue
        getattr(w, section)()
        reporter.step(doc.section_label(section))
    if not w.wb.worksheets:
        w.wb.create_sheet("Jalon")
    buf = io.BytesIO()
    w.wb.save(buf)
    reporter.step(_("Écriture du fichier"))
    return buf.getvalue()
