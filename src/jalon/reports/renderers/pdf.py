"""PDF through Typst (the compiler in the ``typst`` wheel), from one template
(``reports/typst/council.typ``) fed with JSON.

Python prepares every string — translated labels, Belgian formats (31/12/2024, 1.234,56 €),
the SVG charts of ``charts.py`` — and hands the whole document to the template as one JSON
value (``sys.inputs.data``).  The template only places those strings as text: nothing a user
wrote is ever read as Typst markup (``#``, ``$``, ``*``, ``<…>`` stay characters).

Typst lays out the 265-item plan of ``benchmarks/reports.py`` in well under a second
(WeasyPrint, tuned, needed 5.5 s: docs/performance.md), tagged for screen readers (PDF/UA-1:
headings, tables with their header cells, reading order, document language and title).  Fonts:
DejaVu Sans from ``FONT_DIR`` only, never the machine's other fonts, so the same data gives the
same pages everywhere; without that directory, Typst's embedded fonts.  No Typst package is
imported (no network at run time).

The progress follows the sections as their data are prepared (the annex in chunks); the layout
and writing of the whole document is the last step.  It runs in the worker (``jalon worker``),
never in a web request.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..document import EMPTY, SHEET_LABELS, Document
from . import Progress
from .charts import progress_bars, sparkline

DEFAULT_COLOR = "#0b4f8a"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu Sans"
FALLBACK_FONT = "Libertinus Serif"  # embedded in the Typst compiler
LANGUAGES = ("fr", "nl", "en")

# annex: facts short enough to share one line; the rest keep a line each
SHORT = ("start", "end", "status", "progress", "departments", "owners")
# any other field this short (its list's items joined) shares a line with the other short ones
SHORT_FIELD_CHARS = 60
# logo files the template may show (by their first bytes)
LOGO_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF8": "gif"}


def safe_color(color: str) -> str:
    return color if re.fullmatch(r"#[0-9a-fA-F]{6}", color or "") else DEFAULT_COLOR


def template() -> bytes:
    return files("jalon.reports").joinpath("typst", "council.typ").read_bytes()


# -- annex sheets ----------------------------------------------------------------------------

def compact_sheet(sheet: dict) -> dict:
    """A sheet that says each thing once: the heading gives code and title, the place in the
    plan is one line, the short facts share one line, so do the other short fields (a list's
    items joined by « ; »), the empty fields are listed together."""
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


def _sheet_lines(sheet: dict) -> dict:
    """A compact sheet as the lines the template prints."""
    s = compact_sheet(sheet)
    path = ""
    for i, (level, code, title) in enumerate(s["path"]):
        path += f"{level} {code}" + (f" {title}" if i == len(s["path"]) - 1 else " › ")
    return {
        "heading": f"{s['code']} {s['title']}", "path": path,
        "facts": " · ".join(f"{label} : {value}" for label, value in s["facts"]),
        "fields": [f"{label} : {value}" for label, value in s["fields"]],
        "short": " · ".join(f"{label} : {value}" for label, value in s["short"]),
        "empty": f"{_('Non renseigné :')} {', '.join(s['empty'])}" if s["empty"] else "",
    }


# -- the document's data ---------------------------------------------------------------------

def _cover(doc: Document) -> dict:
    facts = []
    if doc.evaluation:
        e = doc.evaluation
        status = e["status"] + (f" ({e['validated_at']})" if e["validated_at"] else "")
        facts += [(_("Évaluation"), f"{e['kind']} — {_('version')} {e['version']}"),
                  (_("Situation au"), e["as_of"]), (_("Statut"), status)]
    else:
        facts.append((_("Rapport de suivi — situation au"), doc.as_of))
    facts += [(_("Avancement global"),
               f"{doc.totals['progress_text']} · {doc.totals['actions']} {_('actions')}"),
              (_("Document produit le"), doc.generated)]
    return {"kind": "cover", "org": doc.org, "title": doc.plan_title,
            "subtitle": doc.plan_kind + (f" · {doc.period}" if doc.period else ""),
            "facts": [{"label": a, "value": str(b)} for a, b in facts],
            "overall_title": _("Appréciation générale"), "overall": doc.overall}


def _summary(doc: Document) -> dict:
    objectives = []
    for i, o in enumerate(doc.objectives):
        title = _("Avancement de %(code)s %(title)s") % {"code": o["code"], "title": o["title"]}
        objectives.append({
            "heading": f"{o['code']} {o['title']}", "line": o["line"], "alt": title,
            "chart": str(progress_bars(o["bars"], title=title, color=doc.look.color,
                                       uid=f"o{i}")),
            "assessment": o["assessment"]})
    return {"kind": "summary", "title": _("Synthèse par objectif"),
            "headers": [_("Statut des actions"), _("Nombre")],
            "rows": [[str(label), str(n)] for label, n in doc.totals["by_status"]],
            "total": [_("Total"), str(doc.totals["actions"])], "objectives": objectives}


def _actions(doc: Document) -> dict:
    groups = []
    for g in doc.action_groups:
        rows = []
        for r in g["rows"]:
            if r["leaf"]:
                rows.append({"cells": [r["code"], r["title"], r["status_text"],
                                       r["progress_text"], r["end"], r["owners"]]})
            else:
                rows.append({"branch": f"{r['code']} {r['title']}", "line": r["line"]})
        groups.append({"heading": f"{g['code']} {g['title']}", "rows": rows})
    return {"kind": "actions", "title": _("Tableau des actions"),
            "headers": [_("Code"), _("Intitulé"), _("Statut"), _("Avancement"), _("Échéance"),
                        _("Responsable")], "groups": groups}


def _indicators(doc: Document) -> dict:
    rows = []
    for i, ind in enumerate(doc.indicators):
        alt = _("Évolution de « %s »") % ind["name"][:80]
        chart = str(sparkline(ind["trend"], target=ind["target_value"], unit=ind["unit"],
                              title=alt, color=doc.look.color, uid=f"i{i}")) \
            if ind["trend"] else ""
        rows.append({"code": ind["code"], "name": ind["name"], "target": ind["target_text"],
                     "latest": ind["latest_text"], "period": ind["latest_period"],
                     "status": ind["status_text"], "chart": chart, "alt": alt,
                     "trend": ind["trend_text"]})
    return {"kind": "indicators", "title": _("Indicateurs"),
            "headers": [_("Élément"), _("Indicateur"), _("Cible / norme"), _("Dernière valeur"),
                        _("Statut"), _("Évolution")], "rows": rows,
            "none": _("Aucun indicateur n'est suivi pour ce plan.")}


def _budget(doc: Document) -> dict:
    budget = doc.budget
    rows = budget.get("rows", [])
    years = []
    for year in budget.get("years", []) if rows else []:
        lines = [[r["code"], r["title"], t["planned"], t["committed"], t["spent"]]
                 for r in rows for y, t in r.get("text", {}).items() if y == year]
        t = budget.get("totals_text", {}).get(year)
        years.append({"heading": f"{_('Exercice')} {year}" if year else _("Sans année"),
                      "rows": lines,
                      "total": ["", _("Total"), t["planned"], t["committed"], t["spent"]]
                      if t else None})
    stated = [[r["code"], r["title"], r["resources"]] for r in budget.get("stated", [])]
    return {"kind": "budget", "title": _("Budget"),
            "headers": [_("Code"), _("Intitulé"), _("Prévu"), _("Engagé"), _("Dépensé")],
            "years": years, "stated_title": _("Ressources prévues au plan"),
            "stated_headers": [_("Code"), _("Intitulé"), _("Ressources")], "stated": stated,
            "none": "" if years or stated else _("Aucune donnée budgétaire.")}


def _logo(doc: Document) -> tuple[Path | None, str]:
    """The logo file if it is a PNG, JPEG or GIF on disk, and its kind."""
    logo = Path(doc.look.logo_path) if doc.look.logo_path else None
    if not logo or not logo.is_file():
        return None, ""
    with logo.open("rb") as f:
        head = f.read(8)
    kind = next((k for magic, k in LOGO_MAGIC.items() if head.startswith(magic)), "")
    return (logo, kind) if kind else (None, "")


def council_data(doc: Document, reporter: Progress | None = None) -> dict:
    """Everything the template prints, as plain JSON values (strings ready to show)."""
    reporter = reporter or Progress(None, 0)
    doc.look.color = safe_color(doc.look.color)
    lang = (get_language() or "fr")[:2]
    logo_file, logo_kind = _logo(doc)
    data = {
        # PDF/UA-1 needs a title
        "lang": lang if lang in LANGUAGES else "fr", "org": doc.org,
        "title": doc.title.strip() or doc.org.strip() or "Jalon",
        "color": doc.look.color, "font": FONT if FONT_DIR.is_dir() else FALLBACK_FONT,
        "footer": doc.org + (f" · {doc.look.footer}" if doc.look.footer else ""),
        "page": _("page"), "sheet_per_page": bool(doc.look.sheet_per_page),
        "logo": logo_file.name if logo_file else "", "logo_kind": logo_kind,
        "logo_alt": _("Logo de %(org)s") % {"org": doc.org}, "sections": [],
    }
    builders = {"cover": _cover, "summary": _summary, "actions": _actions,
                "indicators": _indicators, "budget": _budget}
    for section in doc.sections:
        if section == "annex":
            sheets = []
            for chunk in reporter.chunks(doc.sheets, _("Fiches")):
                sheets += [_sheet_lines(s) for s in chunk]
            data["sections"].append({"kind": "annex", "title": _("Annexe : fiches actions"),
                                     "sheets": sheets})
            continue
        data["sections"].append(builders[section](doc))
        reporter.step(doc.section_label(section))
    return data


# -- Typst -----------------------------------------------------------------------------------

def compile_pdf(data: dict, root: Path | None = None) -> bytes:
    import typst

    fonts = [str(FONT_DIR)] if FONT_DIR.is_dir() else []
    return typst.compile(template(), root=str(root) if root else None, font_paths=fonts,
                         ignore_system_fonts=True, pdf_standards=["ua-1"],
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})


def render(doc: Document, reporter: Progress) -> bytes:
    data = council_data(doc, reporter)
    logo = Path(doc.look.logo_path).parent if data["logo"] else None
    try:
        pdf = compile_pdf(data, logo)
    except RuntimeError:
        if not data["logo"]:
            raise
        # a logo file Typst cannot read (damaged image): the document without it
        pdf = compile_pdf({**data, "logo": "", "logo_kind": ""})
    # PDF/UA: a tagged PDF (headings, tables, reading order) that screen readers can follow —
    # council documents end up on public websites.
    reporter.step(_("Mise en page et écriture du PDF"))
    return pdf
