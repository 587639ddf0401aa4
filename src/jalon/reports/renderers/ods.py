"""ODS through odfpy: the sheets of the table model (``renderers.table``), the same as the
XLSX, with typed cells (float, currency, date) whose displayed text is already in Belgian
format."""

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

from jalon.core.values import format_date, format_money

from ..document import Document, pct, value_text
from . import Progress, table
from .pdf import safe_color
from .table import Sheet

CM_PER_CHAR = 0.19  # the table model's widths are in characters


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

    def write(self, sheet: Sheet) -> None:
        t = Table(name=sheet.title)
        for w in sheet.widths:
            t.addElement(TableColumn(stylename=self.column(round(w * CM_PER_CHAR, 1))))
        if sheet.header:
            tr = TableRow()
            for h in sheet.header:
                tr.addElement(self.cell(table.text(str(h)), self.head))
            t.addElement(tr)
        for cells in sheet.rows:
            tr = TableRow()
            for c in cells:
                tr.addElement(self.cell(c))
            t.addElement(tr)
        self.ods.spreadsheet.addElement(t)

    def cell(self, c: table.Cell, style: Style | None = None) -> TableCell:
        if c.empty:
            return TableCell()
        v = c.value
        if c.kind == table.MONEY:
            out = TableCell(valuetype="currency", currency="EUR", value=v, stylename=self.money)
            shown = format_money(v)
        elif c.kind == table.PERCENT:
            out = TableCell(valuetype="float", value=v, stylename=self.pct)
            shown = pct(v)
        elif c.kind == table.DATE:
            out = TableCell(valuetype="date", datevalue=v.isoformat(), stylename=self.date)
            shown = format_date(v)
        elif c.kind == table.NUMBER:
            out = TableCell(valuetype="float", value=v,
                            **({"stylename": self.bold} if c.bold else {}))
            shown = value_text(v)
        else:  # text: string-typed, already safe (table.text)
            out = TableCell(valuetype="string",
                            stylename=style or (self.bold if c.bold else self.wrap))
            shown = str(v)
        for line in shown.split("\n"):
            out.addElement(P(text=line))
        return out


def render(doc: Document, reporter: Progress) -> bytes:
    w = Writer(doc)
    for sheet in table.sheets(doc, reporter):
        w.write(sheet)
    if not w.ods.spreadsheet.childNodes:
        w.ods.spreadsheet.addElement(Table(name="Jalon"))
    buf = io.BytesIO()
    w.ods.write(buf)
    reporter.step(_("Écriture du fichier"))
    return buf.getvalue()
