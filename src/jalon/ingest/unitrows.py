"""Reader of a plan whose items are table rows opened by a unit code (``DS-S-2``, ``OP-T 1``)
under numbered unit headings, after prose that is not part of the tree.

A case whose data has a ``unit_rows`` key (``cases/service_codes.json``) is read with these
hooks (:class:`jalon.ingest.cases.Case` installs them).  Line by line: a numbered or styled
heading opens a *pending* heading (:mod:`.pendingheadings`: it becomes a node with its first
item); a table row of cells is a header (its labels name the columns), an item's row or a row
merged down; a line opening with a unit code is an item's row, its next lines its wrapped cells
(:mod:`.unitcodes`); a line like a table header (``header_start``) closes the row; the text
under a heading before its first item is its introduction.  At the end: a lone title above the
units dropped, the headings' levels and introduction fields (``Mission :`` → description),
each row read around its timing (:mod:`.pivotrows`), a code the document nearly always prints
in one column put back there, the plan's title, period, kind, body and announced list
(:mod:`.plantext`).

The words, all under ``unit_rows`` (regexes unless said): ``code`` (groups ``code``, ``a``,
``b``, ``n``, ``rest``), ``broken_code`` (a code wrapped before its number), ``heading``
(groups ``num``, ``dot``, ``title``), ``header_start`` (a text table header's first line),
``header_words`` (the header's words: score, end of an introduction), ``unit_title`` (a
heading title naming a unit, on the folded title), ``intro_labels`` (``{field: [labels]}``),
``cell_labels`` (``[[field, regex on the folded cell]]``), ``default_columns`` (fields of
a table of cells without header), ``plan_text`` (:func:`.plantext.describe`) and
``running_lines`` (true: drop running headers and page numbers).  The case's ``levels`` name
the units and the items (``["Direction", "Service", "Projet"]``).
"""

from __future__ import annotations

import re

from . import plantext, unitcodes
from .document import Document, Line
from .i18n import _
from .pendingheadings import Headings
from .pivotrows import Ln


def _words(case) -> dict:
    return case.data["unit_rows"]


def _rx(case, key: str) -> re.Pattern[str]:
    return case.compiled("unit_rows." + key, lambda c: re.compile(_words(c)[key]))


def _code(case, raw: str) -> unitcodes.UnitCode | None:
    return unitcodes.match(_rx(case, "code"), raw)


def score(doc: Document, case) -> float:
    return unitcodes.score(doc, _rx(case, "code"), _rx(case, "header_words"))


def prepare(doc: Document, case) -> Document:
    """Tabs and no-break spaces as spaces, a code wrapped before its number rejoined
    (``DS-S-`` / ``2``), running headers and page numbers dropped."""
    from .cases import drop_running

    lines = [Line(ln.number, ln.text.replace("\t", "    ").replace("\u00a0", " ").rstrip(),
                  ln.page, ln.style, ln.cells, ln.values, ln.outline, ln.size, ln.bold)
             for ln in doc.lines]
    lines = unitcodes.rejoin_wrapped(lines, _rx(case, "broken_code"))
    if _words(case).get("running_lines"):
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
            _words(case)["cell_labels"], _words(case)["default_columns"]))
    return st


def line(eng, ln: Line, text: str) -> bool:
    """Every line: a heading, a table row, a code line, a table header, a row's wrapped line,
    or the text under a heading before its first item."""
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
    levels, heads, words = case.levels, st["headings"], _words(case)
    heads.drop_lone_root(draft, levels[2], words["unit_title"])
    heads.settle(draft, levels, lambda h: plantext.labelled_paragraphs(
        h.intro, words["intro_labels"], _rx(case, "header_words")))
    items = st["rows"].fill()
    plantext.describe(draft, [ln.text for ln in eng.doc.lines], words["plan_text"],
                      lambda t: bool(heads.match(t)), skip=lambda t: bool(_code(case, t)))
    draft.extra["projects"] = len(items)
    draft.levels = list(levels)
    if not items:
        draft.warn(_("aucun projet codé (ex. « DS-S-2 ») trouvé"))


__all__ = ["finish", "line", "prepare", "score"]
