"""XLSX through openpyxl: the sheets of the table model (``renderers.table``), with real
numbers and dates in Belgian display formats (a spreadsheet in fr-BE shows 1.234,56 € and
31/12/2024) and a bar chart of progress.  Text cells are written as text, never formulas."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..document import Document
from . import Progress
from .pdf import safe_color
from .table import (
    DATE,
    DATE_FORMAT,
    MONEY,
    MONEY_FORMAT,
    NUMBER,
    NUMBER_FORMAT,
    PERCENT,
    PERCENT_FORMAT,
    SHEET_TITLES,
    TEXT,
    Sheet,
    sheets,
)

__all__ = ["SHEET_TITLES", "render"]
FORMATS = {MONEY: MONEY_FORMAT, PERCENT: PERCENT_FORMAT, DATE: DATE_FORMAT,
           NUMBER: NUMBER_FORMAT}


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

    def write(self, sheet: Sheet) -> None:
        ws = self.wb.create_sheet(sheet.title)
        for i, w in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if sheet.header:
            ws.append([str(h) for h in sheet.header])
            for c in ws[1]:
                c.fill, c.font = self.head_fill, self.head_font
                c.alignment = Alignment(vertical="top", wrap_text=True)
            ws.freeze_panes = "A2"
        r = ws.max_row if ws.max_row > 1 or ws["A1"].value is not None else 0
        for cells in sheet.rows:
            r += 1  # counted here: an empty row (between two tables) stays empty
            for col, c in enumerate(cells, start=1):
                if c.empty:
                    continue
                x = ws.cell(r, col, c.value)
                if c.kind == TEXT:
                    x.data_type = "s"  # text, whatever it begins with
                elif c.kind in FORMATS:
                    x.number_format = FORMATS[c.kind]
                if c.bold:
                    x.font = Font(bold=True)
                if c.wrap:
                    x.alignment = Alignment(wrap_text=True, vertical="top")
        if sheet.header and ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
        if sheet.key == "cover":
            self.cover(ws)
        if sheet.chart_column and sheet.rows:
            self.chart(ws, sheet)

    def cover(self, ws) -> None:
        ws["B2"].font = Font(bold=True, size=14, color=self.color)
        logo = Path(self.doc.look.logo_path) if self.doc.look.logo_path else None
        if logo and logo.is_file():
            from openpyxl.drawing.image import Image

            img = Image(str(logo))
            ratio = 60 / max(1, img.height)
            img.width, img.height = int(img.width * ratio), 60
            ws.add_image(img, "D1")

    @staticmethod
    def chart(ws, sheet: Sheet) -> None:
        chart = BarChart()
        chart.type = "bar"
        chart.title = str(_("Avancement par objectif (%)"))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.legend = None
        n = len(sheet.rows) + 1
        col = sheet.chart_column
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
        chart.height = max(6, 0.6 * n)
        ws.add_chart(chart, f"A{n + 3}")


def render(doc: Document, reporter: Progress) -> bytes:
    w = Writer(doc)
    for sheet in sheets(doc, reporter):
        w.write(sheet)
    if not w.wb.worksheets:
        w.wb.create_sheet("Jalon")
    buf = io.BytesIO()
    w.wb.save(buf)
    reporter.step(_("Écriture du fichier"))
    return buf.getvalue()
