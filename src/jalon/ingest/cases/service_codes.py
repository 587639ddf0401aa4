"""Hooks of the case "service_codes": a plan whose projects, coded by unit (``DS-S-2``, ``DI-L 2``,
``Pr-1``), are the rows of tables in an annex under numbered directorate and service headings,
after prose (a diagnosis, priorities) that is not part of the tree.

The words and patterns are in ``service_codes.json``; what other documents share is in engine
modules: :mod:`~jalon.ingest.unitcodes` (the codes, the score, the units a code implies),
:mod:`~jalon.ingest.pendingheadings` (headings that become nodes with their first project),
:mod:`~jalon.ingest.pivotrows` (rows wrapped over lines or given as cells, the second pass that
puts a code back in its column), :mod:`~jalon.ingest.plantext` (title, period, acronym, the
announced axes, ``Mission :`` / ``Vision :`` paragraphs).  Here: which line is what, and the
order of the passes.  A code line is a project when a column header came before it or when its
first letters open several lines.
"""

from __future__ import annotations

import re

from jalon.ingest import plantext, unitcodes
from jalon.ingest.cases import drop_running
from jalon.ingest.document import Document, Line
from jalon.ingest.i18n import _
from jalon.ingest.pendingheadings import Headings
from jalon.ingest.pivotrows import Ln


def _rx(case, key: str) -> re.Pattern[str]:
    return case.compiled(key, lambda c: re.compile(c.data[key]))


def _code(case, raw: str) -> unitcodes.UnitCode | None:
    return unitcodes.match(_rx(case, "code"), raw)


def score(doc: Document, case) -> float:
    return unitcodes.score(doc, _rx(case, "code"), _rx(case, "header_words"))


def prepare(doc: Document, case) -> Document:
    """Tabs and no-break spaces as spaces, a code wrapped before its number rejoined
    (``DS-S-`` / ``2``), running headers and page numbers dropped."""
    lines = [Line(ln.number, ln.text.replace("\t", "    ").replace("\u00a0", " ").rstrip(),
                  ln.page, ln.style, ln.cells, ln.values, ln.outline, ln.size, ln.bold)
             for ln in doc.lines]
    lines = unitcodes.rejoin_wrapped(lines, _rx(case, "broken_code"))
    if case.data.get("running_lines"):
        lines = drop_running(lines, keep=lambda text: bool(_rx(case, "code").match(text)))
    return Document(doc.name, lines, doc.kind, doc.sheets)


def _state(eng) -> dict:
    st, case = eng.state, eng.case
    if "headings" not in st:
        texts = [ln.text for ln in eng.doc.lines]
        heads = Headings(texts, _rx(case, "heading"))
        units = unitcodes.Units(eng.draft, case.levels, lambda h: heads.node_of(eng.draft, h))
        st.update(headings=heads, rows=unitcodes.CodedRows(
            eng.draft, _rx(case, "code"), texts, units, case.levels[2],
            case.data["cell_labels"], case.data["default_columns"]))
    return st


def line(eng, ln: Line, text: str) -> bool:
    """Every line: a heading, a table row, a code line, a table header, a row's wrapped line,
    or the text under a heading before its first project."""
    st = _state(eng)
    heads, listing = st["headings"], st["rows"]
    raw = Ln(ln.number, ln.text, ln.style or "",
             tuple(" ".join(c.split()) for c in ln.cells) if ln.cells else None)
    if heads.read(raw):
        listing.close()
    elif raw.cells:
        listing.cells(raw, raw.cells, heads.current)
    elif not listing.code_line(raw, heads.current):
        if _rx(eng.case, "header_start").match(raw.raw) and not raw.blank:
            listing.close(header=True)
        elif listing.row is not None:
            listing.row.body.append(raw)
        elif heads.current is not None and not listing.in_header:
            heads.current.intro.append(raw)
    return True


def finish(eng) -> None:
    st, draft, case = _state(eng), eng.draft, eng.case
    levels, heads, data = case.levels, st["headings"], case.data
    heads.drop_lone_root(draft, levels[2], data["unit_title"])
    for h in heads.all:
        if h.node is not None:
            node = draft.get(h.node)
            node.level = levels[0] if node.parent is None else levels[1]
            intro = plantext.labelled_paragraphs(h.intro, data["intro_labels"],
                                                 _rx(case, "header_words"))
            for key, (text, line_no) in intro.items():
                node.set(key, text, line_no)
    projects = st["rows"].fill()
    plantext.describe(draft, [ln.text for ln in eng.doc.lines], data["plan_text"],
                      lambda t: bool(heads.match(t)), skip=lambda t: bool(_code(case, t)))
    draft.extra["projects"] = len(projects)
    draft.levels = list(levels)
    if not projects:
        draft.warn(_("aucun projet codé (ex. « DS-S-2 ») trouvé"))
