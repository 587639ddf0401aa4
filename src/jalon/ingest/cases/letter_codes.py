"""Hooks of the case "letter_codes": a PST whose objectives and actions carry letter–number
codes in a table.  The words and patterns are in letter_codes.json; what many documents share
is in the engine: :mod:`jalon.ingest.namedgroups` (strategic objectives named in a list and
a heading, taking the letter of their operational objectives), :mod:`jalon.ingest.textrows`
(the column header repeated on each page, rows flattened into text or given as cells) and
:mod:`jalon.ingest.planheader` (period, title, kind, body).

What is this kind of document's own: a strategic heading opens a group; an operational
objective ``Objectif opérationnel C1 :`` (its title wrapped until a blank line) opens the
table of its actions ``C1.1 :``, each the first cell of a row; an action goes under the
operational objective its code names.
"""

from __future__ import annotations

import re

from jalon.ingest import namedgroups, planheader, textrows
from jalon.ingest.engine import Engine
from jalon.ingest.i18n import _
from jalon.ingest.numbering import Number

OS, OO, ACTION = "Objectif stratégique", "Objectif opérationnel", "Action"


def _kind(case, text: str) -> str | None:
    if re.match(case.data["strategic_heading"], text):
        return OS
    number = case.number(text)
    return number.level if number else None


def _cell(ln) -> str:
    return ln.cells[0] if ln.cells else ln.text


def _header(case) -> textrows.HeaderBlock:
    return textrows.HeaderBlock(case.data["header_words"]["strong"],
                                case.data["header_words"]["weak"])


def score(doc, case) -> float:
    """Coded actions under matching coded operational objectives, a column header naming
    domain/referents/funding/deadline/indicator, strategic objective headings."""
    oo_codes, actions, header = set(), [], _header(case)
    headers = os_headings = 0
    for ln in doc.lines:
        number = case.number(_cell(ln))
        if number is not None and number.level == OO:
            oo_codes.add(number.code)
        elif number is not None:
            actions.append(number.code.split(".")[0])
        elif re.match(case.data["strategic_heading"], _cell(ln)):
            os_headings += 1
        headers += header.opens(ln)
    consistent = sum(1 for a in actions if a in oo_codes)
    if not actions or not oo_codes:
        return min(0.15, 0.02 * len(actions) + 0.03 * len(oo_codes))
    s = (0.5 * min(1.0, consistent / 6) + 0.2 * min(1.0, len(oo_codes) / 3)
         + 0.15 * min(1.0, headers / 1) + 0.15 * min(1.0, os_headings / 1))
    if len(actions) - consistent > consistent:  # codes that look alike but form no tree
        s *= 0.5
    return round(min(1.0, s), 3)


def line(eng: Engine, ln, text: str) -> bool:
    """Every line goes through here: the layout is a table flattened into text."""
    st, case = eng.state, eng.case
    pre = st.setdefault("preamble", namedgroups.Preamble())
    first = " ".join(ln.cells[0].split()) if ln.cells else text
    kind = _kind(case, first)
    if st.setdefault("header", _header(case)).skip(ln, text, item=kind is not None):
        return True
    if re.match(case.data["strategic_list"], text):
        pre.listing = True
        return True
    if kind is not None:
        pre.listing = False
        {OS: _open_os, OO: _open_oo, ACTION: _open_action}[kind](eng, ln, first)
    elif st.get("row") is not None:
        st["row"].add(ln)
    elif st.get("oo") is not None and st.get("open_title"):
        node = eng.draft.get(st["oo"])
        if text:
            node.title = f"{node.title} {text}".strip()
        else:
            st["open_title"] = not node.title
    elif st.get("oo") is None and not st.get("seen_os"):
        pre.read(text, ln.number)
    return True


def _open_os(eng: Engine, ln, first: str) -> None:
    st, case = eng.state, eng.case
    st.update(row=None, oo=None, seen_os=True)
    letters = namedgroups.letters_ahead(
        eng.doc.lines, ln, lambda x: _kind(case, _cell(x)) == OS,
        lambda x: n.code if (n := case.number(_cell(x))) and n.level == OO else None)
    rest = re.match(case.data["strategic_heading"], first)["rest"]
    title, code, desc = namedgroups.group(st["preamble"], rest, letters, eng.draft)
    number = Number(("case", OS), code, code, (code,), title, OS) if code else None
    node = eng.add_node(title or OS, number, None, ln.number, OS)
    if desc:
        node.set("description", desc[0], desc[1])
    st["os"] = node.code


def _open_oo(eng: Engine, ln, first: str) -> None:
    st, number = eng.state, eng.case.number(first)
    st["row"] = None
    if st.get("os") is None:
        st.setdefault("loose", []).append(number.code)
    node = eng.add_node(number.title or f"{OO} {number.code}", number, st.get("os"),
                        ln.number, OO)
    node.title = number.title
    st["oo"], st["open_title"] = node.code, True


def _open_action(eng: Engine, ln, first: str) -> None:
    st, number = eng.state, eng.case.number(first)
    st["open_title"] = False
    wanted = re.match(r"[A-Z]+\d+", number.code).group()
    parent = st.get("oo")
    if wanted != parent:
        node = eng.draft.get(wanted)
        if node is not None and node.level == OO:
            eng.draft.warn(_("action %(code)s hors de son objectif opérationnel %(oo)s")
                           % {"code": number.code, "oo": wanted}, ln.number, number.code)
            parent = wanted
        else:
            made = eng.add_node(f"{OO} {wanted}", Number(("case", OO), wanted, wanted,
                                                         (wanted,), "", OO),
                                st.get("os"), ln.number, OO)
            eng.draft.warn(_("objectif opérationnel %(oo)s absent : créé pour l'action "
                             "%(code)s") % {"oo": wanted, "code": number.code},
                           ln.number, made.code)
            parent = made.code
    node = eng.add_node("", number, parent, ln.number, ACTION)
    st["row"] = textrows.Row(node, number.code, ln.number,
                             [(ln.number, "" if ln.cells else number.title)], ln.cells)
    st.setdefault("rows", []).append(st["row"])


def finish(eng: Engine) -> None:
    st, draft = eng.state, eng.draft
    pre = st.get("preamble") or namedgroups.Preamble()
    if not st.get("seen_os") and st.get("loose") and pre.names:
        namedgroups.group_by_names(draft, pre, st["loose"], OS)
    elif st.get("seen_os") and st.get("loose"):
        draft.warn(_("objectifs opérationnels hors de tout objectif stratégique"),
                   draft.get(st["loose"][0]).line)
    for node in draft.nodes:
        if node.level == OO and not node.title:
            node.title = f"{OO} {node.code}"
            draft.warn(_("objectif opérationnel %(code)s sans intitulé") % {"code": node.code},
                       node.line, node.code)
    header = st.get("header")
    textrows.read_rows(draft, st.get("rows", []), header.columns if header else None,
                       lambda cell: n.title if (n := eng.case.number(cell)) else None, ACTION)
    planheader.read(draft, eng.doc.lines, pre.title, eng.case.data["plan"])
    if not draft.nodes:
        draft.warn(_("aucun objectif ni action codés reconnus"))
