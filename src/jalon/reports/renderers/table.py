"""The spreadsheet sections of a council document as one table model, drawn by the XLSX and
the ODS writers alike.

A :class:`Sheet` is rows of typed :class:`Cell` (text, number, money, percent, date): the
writers only choose how each type looks (``MONEY_FORMAT``: 1.234,56 €, ``PERCENT_FORMAT``,
``DATE_FORMAT``: 31/12/2024), so the Belgian formats and the formula rule
(``jalon.core.cells.safe_text``: text beginning with = + - @ tab or CR never runs) live here
once.  Pure: no queries (the document is built already).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jalon.core.cells import safe_text
from jalon.core.values import colon

from ..document import Document
from . import Progress

TEXT, NUMBER, MONEY, PERCENT, DATE = "text", "number", "money", "percent", "date"
MONEY_FORMAT = '#,##0.00\\ "€"'  # XLSX; the ODS writer builds the same currency style
PERCENT_FORMAT = '0\\ "%"'
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0.##"
SHEET_TITLES = {"cover": _l("Couverture"), "summary": _l("Synthèse"), "actions": _l("Actions"),
                "indicators": _l("Indicateurs"), "budget": _l("Budget"), "annex": _l("Fiches")}


@dataclass(frozen=True)
class Cell:
    """One typed value; ``value`` is a safe ``str`` for text, a ``float`` for numbers, money
    and percents, a ``datetime.date`` for dates, ``None`` when empty."""

    kind: str
    value: Any
    bold: bool = False
    wrap: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None or self.value == ""


def text(v: Any, *, bold: bool = False, wrap: bool = False) -> Cell:
    return Cell(TEXT, None if v is None or v == "" else safe_text(v), bold, wrap)


def number(v: Any) -> Cell:
    if v is None or v == "":
        return Cell(NUMBER, None)
    if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
        return Cell(NUMBER, v if isinstance(v, int) else float(v))
    return text(v)  # a value printed as text stays text (and safe)


def money(v: Any) -> Cell:
    return Cell(MONEY, None if v is None else float(v))


def percent(v: Any) -> Cell:
    return Cell(PERCENT, None if v is None else float(v))


def date(iso: str | dt.date | None) -> Cell:
    if not iso:
        return Cell(DATE, None)
    return Cell(DATE, iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso))


def cell(v: Any) -> Cell:
    """A cell for a value of unknown type (numbers as numbers, the rest as text)."""
    if isinstance(v, Cell):
        return v
    if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
        return number(v)
    return text(v, wrap=isinstance(v, str) and "\n" in v)


@dataclass
class Sheet:
    key: str  # the document section
    header: list[str] | None
    widths: list[float]  # in characters (the ODS writer converts)
    rows: list[list[Cell]] = field(default_factory=list)
    chart_column: int | None = None  # summary: a bar chart of this column (1-based)

    @property
    def title(self) -> str:
        return str(SHEET_TITLES[self.key])[:31]

    def add(self, values: list[Any], *, bold: bool = False, wrap: set[int] = frozenset()
            ) -> None:
        row = []
        for i, v in enumerate(values, start=1):
            c = cell(v)
            if bold or (i in wrap and c.kind == TEXT):
                c = Cell(c.kind, c.value, bold or c.bold, c.wrap or i in wrap)
            row.append(c)
        self.rows.append(row)


# -- the sections ------------------------------------------------------------------------------

def cover(d: Document) -> Sheet:
    s = Sheet("cover", None, [34, 90])
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
        s.rows.append([text(str(label), bold=True), cell(value) if not isinstance(value, str)
                       else text(value, wrap=True)])
    return s


def summary(d: Document) -> Sheet:
    s = Sheet("summary", [_("Code"), _("Objectif"), _("Avancement"), _("Actions"), _("Statuts"),
                          _("Appréciation")], [12, 60, 12, 10, 40, 60], chart_column=3)
    for o in d.objectives:
        s.add([o["code"], o["title"], percent(o["progress"]), number(o["actions"]),
               " · ".join(f"{label}{colon()} {n}" for label, n in o["by_status"]),
               o["assessment"]],
              wrap={2, 5, 6})
    return s


def actions(d: Document) -> Sheet:
    s = Sheet("actions", [_("Objectif"), _("Code"), _("Niveau"), _("Intitulé"), _("Statut"),
                          _("Avancement"), _("Début"), _("Fin"), _("Échéance (texte)"),
                          _("Responsable"), _("Département")],
              [10, 14, 18, 70, 14, 12, 12, 12, 18, 28, 28])
    for g in d.action_groups:
        for r in g["rows"]:
            title = text("  " * r["indent"] + r["title"], bold=not r["leaf"], wrap=True)
            s.add([g["code"], r["code"], r["level"], title, r["status_text"],
                   percent(r["progress"]), date(r["start_date"]), date(r["end_date"]),
                   r["end"], r["owners"], r["departments"]])
    return s


def indicators(d: Document) -> Sheet:
    s = Sheet("indicators", [_("Élément"), _("Indicateur"), _("Unité"), _("Cible / norme"),
                             _("Cible (valeur)"), _("Dernière valeur"), _("Période"),
                             _("Statut"), _("Évolution")], [12, 60, 10, 30, 14, 14, 10, 14, 60])
    for i in d.indicators:
        s.add([i["code"], i["name"], i["unit"], i["target_text"], number(i["target_value"]),
               number(i["latest_value"]), i["latest_period"], i["status_text"],
               i["trend_text"]], wrap={2, 4, 9})
    return s


def budget(d: Document) -> Sheet:
    b = d.budget
    s = Sheet("budget", [_("Code"), _("Intitulé"), _("Exercice"), _("Prévu"), _("Engagé"),
                         _("Dépensé")], [14, 60, 10, 16, 16, 16])
    for year in b["years"]:
        for r in b["rows"]:
            y = r["by_year"][year]
            s.add([r["code"], r["title"], int(year) if year else None,
                   *[money(y.get(f) or 0) for f in ("planned", "committed", "spent")]],
                  wrap={2})
    for year in b["years"]:
        t = b["totals"][year]
        s.add(["", str(_("Total")), int(year) if year else None,
               *[money(t.get(f) or 0) for f in ("planned", "committed", "spent")]], bold=True)
    if b["stated"]:
        s.rows.append([])  # a second table, with its own header: the resources as printed
        s.rows.append([text(str(h), bold=True) for h in (
            _("Code"), _("Intitulé"), _("Ressources prévues au plan"))])
        for r in b["stated"]:
            s.add([r["code"], r["title"], r["resources"]])
    return s


def annex(d: Document, reporter: Progress) -> Sheet:
    labels: list[str] = []
    for sheet in d.sheets:  # every label, in the order they first appear
        for label, _value in sheet["fields"]:
            if label not in labels:
                labels.append(label)
    s = Sheet("annex", [_("Code"), *labels], [14] + [40] * len(labels))
    wrap = set(range(2, len(labels) + 2))
    for chunk in reporter.chunks(d.sheets, _("Fiches")):
        for sheet in chunk:
            values = dict(sheet["fields"])
            s.add([sheet["code"], *[values.get(label, "") for label in labels]], wrap=wrap)
    return s


BUILDERS = {"cover": cover, "summary": summary, "actions": actions, "indicators": indicators,
            "budget": budget}


def sheets(doc: Document, reporter: Progress):
    """The document's sections as sheets, in order (the annex reports its progress)."""
    for section in doc.sections:
        if section == "annex":
            yield annex(doc, reporter)
            continue
        yield BUILDERS[section](doc)
        reporter.step(doc.section_label(section))
