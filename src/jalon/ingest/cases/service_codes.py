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
from collections import Counter

from jalon.ingest import pivotrows as rows
from jalon.ingest import plantext, unitcodes
from jalon.ingest.cases import drop_running
from jalon.ingest.document import Document, Line
from jalon.ingest.i18n import _
from jalon.ingest.pendingheadings import Headings
from jalon.ingest.pivotrows import Ln, Row


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
    lines = drop_running(lines, keep=lambda text: bool(_rx(case, "code").match(text)))
    return Document(doc.name, lines, doc.kind, doc.sheets)


def _state(eng) -> dict:
    st = eng.state
    if "headings" not in st:
        texts = [ln.text for ln in eng.doc.lines]
        heads = Headings(texts, _rx(eng.case, "heading"))
        units = unitcodes.Units(eng.draft, eng.case.levels, lambda h: heads.node_of(eng.draft, h))
        letters = Counter(c.unit.split("-")[0] for c in (_code(eng.case, t) for t in texts) if c)
        st.update(headings=heads, units=units, letters=letters, row=None, in_header=False,
                  header_seen=False, seen=set(), rows=[],
                  columns=tuple(eng.case.data["default_columns"]))
    return st


def line(eng, ln: Line, text: str) -> bool:
    st = _state(eng)
    raw = Ln(ln.number, ln.text, ln.style or "",
             tuple(" ".join(c.split()) for c in ln.cells) if ln.cells else None)
    if st["headings"].read(raw):
        st.update(row=None, in_header=False)
    elif raw.cells:
        _cells(eng, st, raw, raw.cells)
    elif not _code_line(eng, st, raw):
        if _rx(eng.case, "header_start").match(raw.raw) and not raw.blank:
            st.update(row=None, in_header=True, header_seen=True)
        elif st["row"] is not None:
            st["row"].body.append(raw)
        elif st["headings"].path and not st["in_header"]:
            st["headings"].current.intro.append(raw)
    return True


def _cells(eng, st: dict, ln: Ln, cells: tuple[str, ...]) -> None:
    """A header row (its labels name the columns), a project's row, or a row merged down."""
    header = rows.header_columns(cells, eng.case.data["cell_labels"])
    if header:
        st.update(columns=header, row=None, in_header=True)
        return
    first = next((i for i, c in enumerate(cells) if c), None)
    code = _code(eng.case, cells[first]) if first is not None else None
    if code:
        values = rows.cell_values(cells, st["columns"], first + 1)
        if code.rest.strip():
            values["title"] = f"{code.rest.strip()} {values.get('title', '')}".strip()
        _add(eng, st, Row(code.code, code.printed, code.unit, ln.number, [Ln(ln.number, "")],
                          None, values))
    elif st["row"] is not None and st["row"].cells is not None and not cells[0]:
        st["row"].cells = rows.cell_values(cells, st["columns"], 0, st["row"].cells)


def _code_line(eng, st: dict, ln: Ln) -> bool:
    code = _code(eng.case, ln.raw)
    if not code or not (st["header_seen"] or st["letters"][code.unit.split("-")[0]] >= 2):
        return False  # no code, or a lone "ODD-3 …" in the prose
    if code.code in st["seen"] and not code.rest.strip():
        return False  # a known code alone on its line: a reference in a cell
    _add(eng, st, Row(code.code, code.printed, code.unit, ln.number, [Ln(ln.number, code.rest)]))
    return True


def _add(eng, st: dict, row: Row) -> None:
    """A project: its heading (and theirs) become nodes; the row is read at the end."""
    st["seen"].add(row.code)
    row.heading = st["headings"].current
    parent = st["units"].parent(row.code, row.prefix, row.line, row.heading) or None
    node = eng.draft.add(row.code, code=row.code, parent=parent, line=row.line,
                         level=eng.case.levels[2], printed=row.printed)
    st["rows"].append((row, node))
    st.update(row=row, in_header=False)


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
    for row, node in st["rows"]:
        rows.fill(node, row, draft)
    projects = [node for _, node in st["rows"]]
    rows.settle_columns(draft, projects)
    texts = [ln.text.strip() for ln in eng.doc.lines if ln.text.strip()]
    draft.title, draft.period_start, draft.period_end = plantext.title_and_period(
        texts, _rx(case, "title_words"))
    draft.kind = plantext.kind_of(draft.title, data["kinds"])
    draft.organization = plantext.own_acronym(
        texts, _rx(case, "self_name"), skip=lambda t: bool(_code(case, t))) or draft.organization
    listed = plantext.announced_list([ln.text for ln in eng.doc.lines], _rx(case, "announced"),
                                     lambda t: bool(heads.match(t)))
    if listed:
        draft.extra[data["announced_key"]] = listed
    draft.extra["projects"] = len(projects)
    draft.levels = list(levels)
    if not projects:
        draft.warn(_("aucun projet codé (ex. « DS-S-2 ») trouvé"))
