"""The documented spreadsheet template: one row per item under a header row.

Features of the layout (XLSX, ODS, CSV, or a table in a DOCX):

* a header row whose cells are column names of :data:`COLUMNS`, in French, Dutch or English,
  in any order and case, with or without accents (``Titre``, ``titel``, ``Title``);
  at least ``code`` and ``titre`` for the layout to be recognised;
* below it, one row per item: ``code``, ``parent`` (the parent's code, empty at the top),
  ``niveau`` (the level's name, e.g. "Objectif opérationnel"), ``titre`` and the field columns;
* optionally, elsewhere in the workbook (the "Plan info" sheet written by
  :func:`jalon.ingest.writers.draft_to_xlsx`) or above the header, rows ``key | value`` with the
  plan's metadata (titre du plan, organisation, type, période, niveaux …).

Cell conventions (shared with the DOCX writer and :mod:`.jalon_docx`):

* lists (départements, responsables …): items separated by `` / `` or line breaks; an item that
  itself contains `` / `` is written with the slash doubled (`` // ``);
* ``budget_eur``: amounts separated by `` / `` (plain numbers, or as printed: ``12 500 €``);
* ``indicateurs``: ``name: target; name: target`` (or one indicator per line); a ``;`` inside a
  name or target is doubled (``;;``), a ``:`` inside a name too (``::``);
* ``avancement``: a number 0–100 or a text like ``75 %``; ``etp``: a number or a text.

Without a ``parent`` column the parent comes from the code (``1.2.3`` under ``1.2``) or from a
numeric ``niveau`` (1, 2, 3 …).  A parent code not found in the file → warning, the item goes to
the top.  A header without a ``titre`` column or with unknown columns → :class:`IngestError`
naming the file, the header line and the columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from jalon.core.values import fold_accents

from ..document import Document, Line
from ..draft import LIST_FIELDS, PlanDraft
from ..errors import IngestError
from ..i18n import _

NAME = "tabular"


@dataclass(frozen=True)
class Column:
    key: str  # the contract's field key, or code / parent / level / title
    header: str  # the template's header (French)
    label: str  # the label of the DOCX field table
    aliases: tuple[str, ...] = ()
    optional: bool = False  # written only when some node has it


COLUMNS: tuple[Column, ...] = (
    Column("code", "code", "Code", ("n°", "no", "numéro", "nummer", "number", "référence",
                                    "reference", "ref")),
    Column("parent", "parent", "Parent", ("code parent", "parent code", "parent_code",
                                          "bovenliggende code", "bovenliggend", "ouder")),
    Column("level", "niveau", "Niveau", ("level", "niveau", "type de niveau")),
    Column("title", "titre", "Titre", ("title", "titel", "intitulé", "libellé", "nom", "name",
                                       "naam")),
    Column("start", "début", "Début", ("start", "begin", "date de début", "startdatum",
                                       "begindatum", "start date")),
    Column("end", "fin", "Fin", ("end", "einde", "date de fin", "einddatum", "end date")),
    Column("deadline", "échéance", "Échéance", ("échéances", "deadline", "termijn", "due date",
                                                "délai", "uiterste datum")),
    Column("departments", "départements", "Départements", (
        "département", "departments", "department", "diensten", "dienst", "services", "service",
        "afdelingen", "afdeling")),
    Column("owners", "responsables", "Responsables", (
        "responsable", "owners", "owner", "verantwoordelijken", "verantwoordelijke",
        "chef de projet", "référents", "référent", "project lead", "pilote")),
    Column("team", "équipe", "Équipe", ("team", "équipe projet", "projectteam", "project team")),
    Column("mandataire", "mandataire", "Mandataire", ("mandataires", "mandataris",
                                                      "mandatarissen", "political owner")),
    Column("partners", "partenaires", "Partenaires", ("partenaire", "partners", "partner")),
    Column("steering", "pilotage", "Pilotage", ("comité de pilotage", "steering",
                                                "steering group", "stuurgroep")),
    Column("budget_eur", "budget_eur", "Budget (EUR)", ("budget", "budget eur", "budget €",
                                                        "budget euros", "budget en euros")),
    Column("fte", "etp", "ETP", ("fte", "vte")),
    Column("funding", "financement", "Financement", ("funding", "financiering",
                                                     "source de financement")),
    Column("progress", "avancement", "Avancement (%)", ("progress", "voortgang",
                                                         "taux d'avancement", "% avancement")),
    Column("status", "statut", "Statut", ("status", "état")),
    Column("indicators", "indicateurs", "Indicateurs", ("indicateur", "indicators", "indicator",
                                                        "indicatoren", "kpi", "kpis")),
    Column("risks", "risques", "Risques", ("risque", "risks", "risk", "risico's", "risico",
                                           "risicos")),
    Column("deliverables", "livrables", "Livrables", ("livrable", "deliverables",
                                                      "deliverable")),
    Column("comment", "commentaire", "Commentaire", ("commentaires", "comment", "comments",
                                                     "opmerking", "opmerkingen", "remarques")),
    Column("description", "description", "Description", ("beschrijving", "omschrijving")),
    # Optional columns: the other keys of the contract, written only when used.
    Column("domain", "domaine", "Domaine", ("domain", "domein"), True),
    Column("timing", "calendrier", "Calendrier", ("timing", "planning"), True),
    Column("enablers", "leviers", "Leviers", ("enablers", "hefbomen"), True),
    Column("context", "contexte", "Contexte", ("context",), True),
    Column("objective", "objectif", "Objectif", ("objective", "doelstelling", "doel"), True),
    Column("tags", "étiquettes", "Étiquettes", ("tags", "labels"), True),
    Column("code_as_printed", "code imprimé", "Code imprimé", ("code_as_printed",), True),
    Column("budget_as_printed", "budget imprimé", "Budget imprimé", ("budget_as_printed",), True),
    Column("fte_as_printed", "etp imprimé", "ETP imprimé", ("fte_as_printed",), True),
    Column("progress_as_printed", "avancement imprimé", "Avancement imprimé",
           ("progress_as_printed",), True),
)
TEMPLATE_COLUMNS: list[str] = [c.header for c in COLUMNS if not c.optional]
STRUCTURE_KEYS = ("code", "parent", "level", "title")
NUMBER_KEYS = ("fte", "progress")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a header or label."""
    text = re.sub(r"\([^)]*\)", " ", fold_accents(text))  # "Budget (EUR)", "Avancement (%)"
    text = text.replace("’", "'").replace("_", " ")
    return " ".join(re.sub(r"[^\w'%€]+", " ", text).split()).strip(" :")


_BY_ALIAS: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.key, _col.header, _col.label, *_col.aliases):
        _BY_ALIAS.setdefault(fold(_name), _col.key)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def column_key(name: str) -> str | None:
    """The field key a header (or DOCX label) names, None when unknown."""
    return _BY_ALIAS.get(fold(name))


# -- plan metadata rows -----------------------------------------------------------------------
PLAN_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre du plan", "titre", "title", "titel", "plan"),
    "organization": ("organisation", "organization", "organisatie", "organisme"),
    "kind": ("type", "type de plan", "kind", "soort"),
    "period_start": ("début de période", "début", "period start", "start", "begin"),
    "period_end": ("fin de période", "fin", "period end", "end", "einde"),
    "period": ("période", "period", "periode"),
    "levels": ("niveaux", "levels", "niveaus"),
    "language": ("langue", "language", "taal"),
    "source": ("source", "bron"),
    "extra": ("données complémentaires", "extra"),
}
PLAN_LABELS = {"title": "Titre du plan", "organization": "Organisation", "kind": "Type",
               "period_start": "Début de période", "period_end": "Fin de période",
               "levels": "Niveaux", "language": "Langue", "source": "Source",
               "extra": "Données complémentaires (JSON)"}
_PLAN_BY_ALIAS = {fold(a): k for k, names in PLAN_KEYS.items() for a in (k, *names)}


def plan_key(label: str) -> str | None:
    return _PLAN_BY_ALIAS.get(fold(label))


def apply_plan_info(draft: PlanDraft, key: str, value: str, line: int | None = None) -> None:
    """Set one plan metadata value read from a ``key | value`` row."""
    value = value.strip()
    if not value:
        return
    if key in ("title", "organization", "kind", "language", "source"):
        setattr(draft, key, " ".join(value.split()))
    elif key in ("period_start", "period_end"):
        years = re.findall(r"\b(?:19|20|21)\d\d\b", value)
        if years:
            setattr(draft, key, int(years[0]))
        else:
            draft.warn(_("année non reconnue pour %(field)r : %(value)r")
                       % {"field": PLAN_LABELS[key], "value": value}, line)
    elif key == "period":
        years = [int(y) for y in re.findall(r"\b(?:19|20|21)\d\d\b", value)]
        if years:
            draft.period_start, draft.period_end = years[0], years[-1]
    elif key == "levels":
        draft.levels = split_list(value)
    elif key == "extra":
        try:
            extra = json.loads(value)
        except ValueError:
            extra = None
        if isinstance(extra, dict):
            draft.extra.update(extra)
        else:
            draft.warn(_("données complémentaires illisibles (JSON attendu)"), line)


def plan_info_rows(draft: PlanDraft) -> list[tuple[str, Any]]:
    """The plan's metadata as ``(label, value)`` rows (writers)."""
    rows: list[tuple[str, Any]] = [
        (PLAN_LABELS["title"], draft.title),
        (PLAN_LABELS["organization"], draft.organization),
        (PLAN_LABELS["kind"], draft.kind),
        (PLAN_LABELS["period_start"], draft.period_start),
        (PLAN_LABELS["period_end"], draft.period_end),
        (PLAN_LABELS["levels"], join_list(draft.levels)),
        (PLAN_LABELS["language"], draft.language),
        (PLAN_LABELS["source"], draft.source),
    ]
    if draft.extra:
        rows.append((PLAN_LABELS["extra"], json.dumps(draft.extra, ensure_ascii=False,
                                                      sort_keys=True)))
    return [(k, v) for k, v in rows if v not in (None, "")]


# -- cell values ------------------------------------------------------------------------------
_LIST_SEP = re.compile(r"(?<!/)[ \t]+/[ \t]+(?!/)|\n")
_IND_SEP = re.compile(r"(?<!;);(?!;)|\n")
_IND_NAME_SEP = re.compile(r"(?<!:):(?!:)")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_BULLET = re.compile(r"^\s*[•\-–*]\s+")
# A text a spreadsheet would take for a formula; CSV exports quote it with a leading "'".
FORMULA_START = re.compile(r"[=+@]|-[^\d\s.,]")


def unquote(text: str) -> str:
    """Drop the ``'`` that protects a formula-looking text in a CSV export."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text, 1) else text


def join_list(items: list[Any]) -> str:
    return " / ".join(" ".join(str(i).split()).replace(" / ", " // ") for i in items)


def split_list(text: str) -> list[str]:
    out = []
    for piece in _LIST_SEP.split(text):
        piece = _BULLET.sub("", piece)
        piece = re.sub(r"[ \t]+//[ \t]+", " / ", piece).strip()
        if piece:
            out.append(piece)
    return out


def format_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def format_indicators(indicators: list[dict[str, Any]]) -> str:
    parts = []
    for ind in indicators:
        name = " ".join(str(ind.get("name") or "").split())
        target = " ".join(str(ind.get("target") or "").split())
        name = name.replace(";", ";;").replace(":", "::")
        target = target.replace(";", ";;")
        parts.append(f"{name}: {target}" if target else name)
    return "; ".join(parts)


def parse_indicators(text: str) -> list[tuple[str, str | None]]:
    out = []
    for piece in _IND_SEP.split(text):
        piece = _BULLET.sub("", piece).strip()
        if not piece:
            continue
        parts = _IND_NAME_SEP.split(piece, maxsplit=1)
        name = parts[0].replace("::", ":").replace(";;", ";").strip()
        target = parts[1].replace(";;", ";").strip() if len(parts) > 1 else ""
        if name:
            out.append((name, target or None))
    return out


def format_cell(key: str, value: Any) -> str | int | float:
    """A field value as the template (and the DOCX field table) writes it."""
    if key == "indicators" and isinstance(value, list):
        return format_indicators([v if isinstance(v, dict) else {"name": str(v)} for v in value])
    if key == "budget_eur" and isinstance(value, list):
        if len(value) == 1 and _is_number(value[0]):
            return value[0]
        return " / ".join(format_number(v) if _is_number(v) else str(v) for v in value)
    if isinstance(value, list):
        return join_list(value)
    if _is_number(value):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def parse_cell(key: str, text: str) -> Any:
    """A cell's text as the value a parser hands to ``node.set`` (finalize() does the rest)."""
    text = text.strip()
    if not text:
        return None
    if key in LIST_FIELDS:
        return split_list(text)
    if key == "budget_eur":
        pieces = split_list(text)
        if pieces and all(_PLAIN_NUMBER.fullmatch(p) and not re.fullmatch(r"\d{1,3}\.\d{3}", p)
                          for p in pieces):
            return [float(p) for p in pieces]
        return text  # as printed ("12 500 €"): finalize() reads the amounts
    if key in NUMBER_KEYS and _PLAIN_NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def normalise_code(printed: str) -> str:
    """The code as typed, whitespace collapsed, without a trailing ``.`` or ``:`` (``1.2.``)."""
    return " ".join(printed.split()).strip(" .:")


# -- header -----------------------------------------------------------------------------------
@dataclass
class Header:
    line: Line
    keys: list[str | None]  # per column
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    index: int = 0  # position of the line in the document

    @property
    def known(self) -> set[str]:
        return {k for k in self.keys if k}

    def score(self) -> float:
        known = len([k for k in self.keys if k])
        if not known:
            return 0.0
        share = known / (known + len(self.unknown))
        if {"code", "title"} <= self.known:
            return min(1.0, 0.55 + 0.35 * share + 0.02 * known)
        if "title" in self.known and known >= 3:
            return 0.4 * share + 0.02 * known
        return 0.1 * share


def match_header(line: Line) -> Header:
    keys: list[str | None] = []
    unknown, duplicates, seen = [], [], set()
    for cell in line.cells or ():
        name = " ".join(cell.split())
        key = column_key(name) if name else None
        if name and key is None:
            unknown.append(name)
        if key in seen:
            duplicates.append(name)
            key = None
        if key:
            seen.add(key)
        keys.append(key)
    return Header(line, keys, unknown, duplicates)


def find_header(doc: Document, limit: int = 2000) -> Header | None:
    best: Header | None = None
    for index, line in enumerate(doc.lines[:limit]):
        if not line.cells or len([c for c in line.cells if c.strip()]) < 2:
            continue
        header = match_header(line)
        header.index = index
        if best is None or header.score() > best.score():
            best = header
    return best


def score(doc: Document) -> float:
    header = find_header(doc)
    if header is None:
        return 0.0
    s = header.score()
    if header.duplicates:
        s *= 0.8
    return round(s, 3)


# -- parse ------------------------------------------------------------------------------------
@dataclass
class Row:
    line: int
    values: dict[str, str]

    @property
    def code(self) -> str:
        return normalise_code(self.values.get("code", ""))


def parse(doc: Document) -> PlanDraft:
    header = check_header(doc, find_header(doc))
    draft = PlanDraft(layout=NAME, source=doc.name)
    rows = _rows(doc, header, draft)
    _plan_info(doc, header, draft)
    _build(draft, rows, has_parent="parent" in header.known, numeric_level=_numeric_levels(rows))
    _default_levels(draft)
    _fractions_to_percent(draft)
    return draft.finish()


def _fractions_to_percent(draft: PlanDraft) -> None:
    """A progress column holding fractions (0.8, 0.35: an unformatted percentage) → 80, 35."""
    values = [n.fields.get("progress") for n in draft.nodes if "progress" in n.fields]
    if values and all(_is_number(v) and 0 <= v <= 1 for v in values) and \
            any(0 < v < 1 for v in values):
        for n in draft.nodes:
            if "progress" in n.fields:
                n.fields["progress"] = round(n.fields["progress"] * 100, 2)


def check_header(doc: Document, header: Header | None) -> Header:
    """The header, or an IngestError naming the file, the header line and its columns."""
    if header is None:
        raise IngestError(_("aucune ligne d'en-tête de tableau (le modèle attend : %(columns)s, …)")
                          % {"columns": ", ".join(TEMPLATE_COLUMNS[:4])}, file=doc.name)
    names = [" ".join(c.split()) for c in header.line.cells or () if c.strip()]
    columns = ", ".join(names[:30]) + (", …" if len(names) > 30 else "")
    where = {"file": doc.name, "line": header.line.number}
    if "title" not in header.known:
        raise IngestError(_("en-tête non reconnu : colonne « titre » absente (colonnes : "
                            "%(columns)s)") % {"columns": columns}, **where)
    if header.unknown:
        raise IngestError(_("en-tête : colonnes inconnues %(unknown)s (colonnes : %(columns)s)")
                          % {"unknown": ", ".join(header.unknown), "columns": columns}, **where)
    if header.duplicates:
        raise IngestError(_("en-tête : colonnes en double %(double)s (colonnes : %(columns)s)")
                          % {"double": ", ".join(header.duplicates), "columns": columns},
                          **where)
    return header


def _rows(doc: Document, header: Header, draft: PlanDraft) -> list[Row]:
    rows: list[Row] = []
    in_table = True
    for line in doc.lines[header.index + 1:]:
        if line.page != header.line.page:
            break
        if not line.cells:
            in_table = False  # a paragraph between DOCX tables
            continue
        if match_header(line).keys == header.keys:
            in_table = True  # the header repeated (next table, next printed page)
            continue
        if not in_table:
            continue
        values = {}
        for i, cell in enumerate(line.cells):
            key = header.keys[i] if i < len(header.keys) else None
            if key:
                values[key] = unquote(cell)
            elif cell.strip():
                draft.warn(_("valeur hors des colonnes de l'en-tête ignorée : %(value)r")
                           % {"value": cell.strip()}, line.number)
        rows.append(Row(line.number, values))
    return rows


def _plan_info(doc: Document, header: Header, draft: PlanDraft) -> None:
    for line in doc.lines:
        if line is header.line or not line.cells or len(line.cells) < 2:
            continue
        on_table = line.page == header.line.page and line.number > header.line.number
        if on_table:
            continue
        key = plan_key(line.cells[0])
        if key:
            apply_plan_info(draft, key, line.cells[1], line.number)


def _numeric_levels(rows: list[Row]) -> bool:
    levels = [r.values.get("level", "").strip() for r in rows]
    levels = [lv for lv in levels if lv]
    return bool(levels) and all(lv.isdigit() for lv in levels)


def _build(draft: PlanDraft, rows: list[Row], *, has_parent: bool, numeric_level: bool) -> None:
    rows = [r for r in rows if _keep(draft, r)]
    in_file = {r.code for r in rows if r.code}
    parents: dict[int, Row | str | None] = {
        id(r): _parent_of(r, in_file, has_parent) for r in rows}
    if numeric_level and not has_parent:
        _parents_from_levels(rows, parents)
    added = _Added()
    pending = rows
    while pending:
        waiting = []
        for row in pending:
            ref = parents[id(row)]
            if ref is None or added.has(ref):
                _add(draft, row, added.get(ref), added, numeric_level)
            elif isinstance(ref, str) and (ref not in in_file or ref == row.code):
                draft.warn(_("parent %(parent)r introuvable : élément placé au premier niveau")
                           % {"parent": ref}, row.line, row.code or None)
                _add(draft, row, None, added, numeric_level)
            else:
                waiting.append(row)
        if len(waiting) == len(pending):  # a cycle of parents
            for row in waiting:
                draft.warn(_("parents en boucle (%(parent)r) : élément placé au premier niveau")
                           % {"parent": parents[id(row)]}, row.line, row.code or None)
                _add(draft, row, None, added, numeric_level)
            break
        pending = waiting


@dataclass
class _Added:
    """Rows already in the draft: by the code the file gives, and by row."""

    codes: dict[str, str] = field(default_factory=dict)
    rows: dict[int, str] = field(default_factory=dict)

    def has(self, ref: Row | str) -> bool:
        return ref in self.codes if isinstance(ref, str) else id(ref) in self.rows

    def get(self, ref: Row | str | None) -> str | None:
        if ref is None:
            return None
        return self.codes.get(ref) if isinstance(ref, str) else self.rows.get(id(ref))


def _keep(draft: PlanDraft, row: Row) -> bool:
    if row.values.get("title", "").strip() or row.code:
        return True
    if any(v.strip() for v in row.values.values()):
        draft.warn(_("ligne sans code ni titre ignorée"), row.line)
    return False


def _parent_of(row: Row, in_file: set[str], has_parent: bool) -> str | None:
    if has_parent:
        return normalise_code(row.values.get("parent", "")) or None
    code = row.code
    while "." in code:  # 1.2.3 → 1.2 → 1
        code = code.rsplit(".", 1)[0]
        if code in in_file:
            return code
    return None


def _parents_from_levels(rows: list[Row], parents: dict[int, Row | str | None]) -> None:
    """Numeric ``niveau`` (1, 2, 3 …) and no parent column: the last row one level up."""
    stack: list[tuple[int, Row]] = []
    for row in rows:
        level = int(row.values.get("level", "").strip() or (stack[-1][0] if stack else 1))
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack and parents[id(row)] is None:
            parents[id(row)] = stack[-1][1]
        stack.append((level, row))


def _add(draft: PlanDraft, row: Row, parent: str | None, added: _Added,
         numeric_level: bool) -> None:
    printed = " ".join(row.values.get("code", "").split())
    code = row.code or None
    title = row.values.get("title", "").strip()
    if not title:
        draft.warn(_("titre manquant : le code sert de titre"), row.line, code)
        title = printed
    node = draft.add(title, code=code, parent=parent, line=row.line, printed=printed or None)
    added.rows[id(row)] = node.code
    if code and code not in added.codes:
        added.codes[code] = node.code
    level = " ".join(row.values.get("level", "").split())
    if level and not numeric_level:
        node.level = level
    for key, text in row.values.items():
        if key in STRUCTURE_KEYS:
            continue
        if key == "code_as_printed" and text.strip():
            node.fields["code_as_printed"] = " ".join(text.split())
            node.field_lines[key] = row.line
        elif key == "indicators":
            for name, target in parse_indicators(text):
                node.add_indicator(name, target, row.line)
        else:
            node.set(key, parse_cell(key, text), row.line)


def _default_levels(draft: PlanDraft) -> None:
    """Without a "Niveaux" row, the level names by depth are the ones the rows use."""
    draft.finish()
    if draft.levels:
        return
    levels: dict[int, str] = {}
    for node in draft.nodes:
        if node.level:
            levels.setdefault(node.depth, node.level)
    if levels and set(levels) == set(range(len(levels))):
        draft.levels = [levels[d] for d in range(len(levels))]
