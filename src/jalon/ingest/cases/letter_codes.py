"""Hooks of the case "letter_codes": a PST whose objectives and actions carry letter–number
codes in a table (words and patterns: letter_codes.json; general parts: the engine modules
:mod:`~jalon.ingest.namedgroups`, :mod:`~jalon.ingest.textrows`, :mod:`~jalon.ingest.planheader`).
This document's own rules: a strategic heading opens a named group; ``Objectif opérationnel
C1 :`` (title wrapped until a blank line) opens the table of its actions ``C1.1 :``, each the
first cell of a row, under the operational objective its code names."""

from __future__ import annotations

import re

from jalon.ingest import namedgroups, planheader, textrows
from jalon.ingest.cases import case_data
from jalon.ingest.engine import Engine
from jalon.ingest.i18n import _

OS, OO, ACTION = case_data("letter_codes")["levels"]


def _kind(case, text: str) -> str | None:
    if re.match(case.data["strategic_heading"], text):
        return OS
    number = case.number(text)
    return number.level if number else None


def _cell(ln) -> str:
    return ln.cells[0] if ln.cells else ln.text


def score(doc, case) -> float:
    """Actions coded under coded operational objectives, a column header, strategic headings."""
    def read(ln):
        number = case.number(_cell(ln))
        if number is not None:
            return ("parent" if number.level == OO else "leaf"), number.code
        return ("group", None) if re.match(case.data["strategic_heading"], _cell(ln)) else None
    return namedgroups.score(doc.lines, read,
                             textrows.HeaderBlock(**case.data["header_words"]).opens)


def line(eng: Engine, ln, text: str) -> bool:
    """Every line goes through here: the layout is a table flattened into text."""
    st, case = eng.state, eng.case
    groups = st.setdefault("groups", namedgroups.Groups(OS))
    table = st.setdefault("table", textrows.Table(**case.data["header_words"]))
    first = " ".join(ln.cells[0].split()) if ln.cells else text
    kind = _kind(case, first)
    if table.header.skip(ln, text, item=kind is not None):
        return True
    if re.match(case.data["strategic_list"], text):
        groups.preamble.listing = True
        return True
    if kind is not None:
        groups.preamble.listing = False
        {OS: _open_os, OO: _open_oo, ACTION: _open_action}[kind](eng, ln, first)
    elif table.row is not None:
        table.row.add(ln)
    elif st.get("oo") is not None and st.get("open_title"):
        node = eng.draft.get(st["oo"])
        if text:
            node.title = f"{node.title} {text}".strip()
        else:
            st["open_title"] = not node.title
    elif st.get("oo") is None and not groups.seen:
        groups.preamble.read(text, ln.number)
    return True


def _open_os(eng: Engine, ln, first: str) -> None:
    st, case = eng.state, eng.case
    st["oo"] = None
    st["table"].close()
    letters = namedgroups.letters_ahead(
        eng.doc.lines, ln, lambda x: _kind(case, _cell(x)) == OS,
        lambda x: n.code if (n := case.number(_cell(x))) and n.level == OO else None)
    rest = re.match(case.data["strategic_heading"], first)["rest"]
    st["groups"].heading(eng, ln, rest, letters)


def _open_oo(eng: Engine, ln, first: str) -> None:
    st, number = eng.state, eng.case.number(first)
    st["table"].close()
    st["groups"].item(number.code)
    node = eng.add_node(number.title or f"{OO} {number.code}", number, st["groups"].open,
                        ln.number, OO)
    node.title = number.title
    st["oo"], st["open_title"] = node.code, True


def _open_action(eng: Engine, ln, first: str) -> None:
    st, number = eng.state, eng.case.number(first)
    st["open_title"] = False
    parent = namedgroups.parent_of(
        eng, number.code, ln.number, st.get("oo"), OO, st["groups"].open,
        _("action %(code)s hors de son objectif opérationnel %(oo)s"),
        _("objectif opérationnel %(oo)s absent : créé pour l'action %(code)s"))
    node = eng.add_node("", number, parent, ln.number, ACTION)
    st["table"].open(node, number.code, ln, number.title)


def finish(eng: Engine) -> None:
    st, draft = eng.state, eng.draft
    groups = st.get("groups") or namedgroups.Groups(OS)
    if loose := groups.finish(draft):
        draft.warn(_("objectifs opérationnels hors de tout objectif stratégique"),
                   draft.get(loose).line)
    for node in draft.nodes:
        if node.level == OO and not node.title:
            node.title = f"{OO} {node.code}"
            draft.warn(_("objectif opérationnel %(code)s sans intitulé") % {"code": node.code},
                       node.line, node.code)
    if "table" in st:
        st["table"].read(draft, lambda cell: n.title if (n := eng.case.number(cell)) else None,
                         ACTION)
    planheader.read(draft, eng.doc.lines, groups.preamble.title, eng.case.data["plan"])
    if not draft.nodes:
        draft.warn(_("aucun objectif ni action codés reconnus"))
