"""Hooks of the case "letter_codes": a PST whose objectives and actions carry letter–number
codes in a table (the words and patterns are in letter_codes.json).

- **Named strategic objectives**: a word list after ``Objectifs stratégiques :``, then
  ``Name : definition`` lines, then one ``OBJECTIF STRATÉGIQUE <NAME>`` heading per section.  The
  objective takes the letter its operational objectives share when it is the initial of its
  name (``Citoyens`` → ``C``), else a derived number; its definition is its description.
- **Operational objectives** ``Objectif opérationnel C1 : <title>`` (title possibly wrapped) and
  **actions** ``C1.1 : <title>``: the numbering patterns of the JSON file.
- Each action is the first cell of a table row (domain, referents, funding, deadline,
  indicator) that the text extraction flattened: the row's lines are split by
  :mod:`jalon.ingest.textrows` once the whole document is read (a second pass learns the
  document's own domains and referents).  Rows given as cells (DOCX) are read by their header.
- The **column header block** repeats on pages and is skipped.
"""

from __future__ import annotations

import re
from typing import Any

from jalon.ingest import textrows
from jalon.ingest.engine import Engine
from jalon.ingest.i18n import _
from jalon.ingest.mapping import field_for
from jalon.ingest.numbering import Number

OS, OO, ACTION = "Objectif stratégique", "Objectif opérationnel", "Action"
_OS_CODE_PREFIX = re.compile(r"^(?:n°\s*)?(?:\d{1,2}|[A-Z]{1,3}\s?\d{0,2})\s*[:.\-–]\s+")
_DEFINITION = re.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:\s*(?P<text>\S.*)$")
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–/à]+\s*((?:19|20)\d\d)\b")
_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ"
_CELL_KEY = {"title": "title", "domain": "domain", "owners": "owners", "funding": "funding",
             "budget_eur": "funding", "deadline": "deadline", "end": "deadline",
             "indicators": "indicator"}
_COLUMNS = ("title", "domain", "owners", "funding", "deadline", "indicator")


def _header_words(case, text: str) -> tuple[int, bool]:
    """(number of strong header words, whether the line holds header words only)."""
    words = case.data["header_words"]
    strong_set, weak_set = set(words["strong"]), set(words["weak"])
    found = [w for w in re.split(r"[\s()'’/|:]+", textrows.fold(text)) if w]
    strong = sum(1 for w in found if w in strong_set)
    only = bool(found) and all(w in strong_set or w in weak_set for w in found)
    return strong, only


def _opens_header(case, ln) -> bool:
    strong, only = _header_words(case, ln.text)
    return strong >= 2 and (only or ln.cells is not None)


def _kind(case, text: str) -> str | None:
    if re.match(case.data["strategic_heading"], text):
        return OS
    number = case.number(text)
    return number.level if number else None


def score(doc, case) -> float:
    """Coded actions under matching coded operational objectives, a column header naming
    domain/referents/funding/deadline/indicator, strategic objective headings."""
    oo_codes: set[str] = set()
    actions: list[str] = []
    headers = os_headings = 0
    for ln in doc.lines:
        text = ln.cells[0] if ln.cells else ln.text
        number = case.number(text)
        if number is not None and number.level == OO:
            oo_codes.add(number.code)
        elif number is not None:
            actions.append(number.code.split(".")[0])
        elif re.match(case.data["strategic_heading"], text):
            os_headings += 1
        if _opens_header(case, ln):
            headers += 1
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
    st = eng.state
    case = eng.case
    first = " ".join(ln.cells[0].split()) if ln.cells else text
    kind = _kind(case, first)
    if kind is None and (_opens_header(case, ln) or st.get("in_header") and (
            not text or _header_words(case, text)[1])):
        st["in_header"] = True
        if ln.cells:
            st["header_map"] = _header_map(ln.cells)
        return True
    st["in_header"] = False
    if re.match(case.data["strategic_list"], text):
        st["listing"] = True
        return True
    if kind == OS:
        _open_os(eng, ln, first)
    elif kind == OO:
        _open_oo(eng, ln, case.number(first))
    elif kind == ACTION:
        _open_action(eng, ln, case.number(first))
    else:
        _continue(eng, ln, text)
    return True


def _open_os(eng: Engine, ln, first: str) -> None:
    st = eng.state
    st.update(row=None, oo=None, listing=False, seen_os=True)
    m = re.match(eng.case.data["strategic_heading"], first)
    heading = _OS_CODE_PREFIX.sub("", m["rest"].strip(" :-–")).strip()
    named = _name_for(heading, st.get("names", []))
    title = named[0] if named else heading
    if title.isupper():
        title = title.capitalize()
    code = _os_code(title, _letters_ahead(eng, ln))
    if code in eng.draft:  # two objectives with the same initial: number them instead
        code = None
    number = Number(("case", OS), code, code, (code,), title, OS) if code else None
    node = eng.add_node(title or OS, number, None, ln.number, OS)
    desc = _definition_for(title, st.get("definitions", []))
    if desc:
        node.set("description", desc[0], desc[1])
    st["os"] = node.code


def _letters_ahead(eng: Engine, ln) -> set[str]:
    """The letters of the operational objectives up to the next strategic heading."""
    lines = eng.doc.lines
    start = next(i for i, x in enumerate(lines) if x is ln)
    letters = set()
    for x in lines[start + 1:]:
        text = x.cells[0] if x.cells else x.text
        kind = _kind(eng.case, text)
        if kind == OS:
            break
        if kind == OO:
            letters.add(re.match(r"[A-Z]+", eng.case.number(text).code).group())
    return letters


def _open_oo(eng: Engine, ln, number: Number) -> None:
    st = eng.state
    st.update(row=None, listing=False)
    parent = st.get("os")
    if parent is None:
        st.setdefault("loose", []).append(number.code)
    node = eng.add_node(number.title or f"{OO} {number.code}", number, parent, ln.number, OO)
    node.title = number.title
    st["oo"], st["open_title"] = node.code, True


def _open_action(eng: Engine, ln, number: Number) -> None:
    st = eng.state
    st["listing"], st["open_title"] = False, False
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
    row = {"node": node, "code": number.code, "line": ln.number,
           "lines": [(ln.number, "" if ln.cells else number.title)],
           "cells": ln.cells}
    st.setdefault("rows", []).append(row)
    st["row"] = row


def _continue(eng: Engine, ln, text: str) -> None:
    st = eng.state
    row = st.get("row")
    if row is not None and row["cells"] is not None and ln.cells:
        row["cells"] = _merge_cells(row["cells"], ln.cells)  # a row continued on the next one
    elif row is not None:
        row["lines"].append((ln.number, ln.text.rstrip()))
    elif st.get("oo") is not None and st.get("open_title"):
        node = eng.draft.get(st["oo"])
        if text:
            node.title = f"{node.title} {text}".strip()
        else:
            st["open_title"] = not node.title
    elif st.get("oo") is None and not st.get("seen_os"):
        _preamble(eng, ln, text)


def _preamble(eng: Engine, ln, text: str) -> None:
    st = eng.state
    listing = st.get("listing", False)
    if text:
        if listing and ":" not in text and len(text.split()) <= 5:
            st.setdefault("names", []).append((text.lstrip("•-–*·▪◦> ").strip(), ln.number))
        else:
            if m := _DEFINITION.match(text):
                st.setdefault("definitions", []).append((m["name"].strip(), m["text"].strip(),
                                                         ln.number))
            if not st.get("title") and len(text.split()) >= 2:
                st["title"] = text
    if listing and text and (":" in text or len(text.split()) > 5):
        st["listing"] = False


def _merge_cells(cells: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    width = max(len(cells), len(more))
    padded = [(cells[i] if i < len(cells) else "", more[i] if i < len(more) else "")
              for i in range(width)]
    return tuple(f"{a} {b}".strip() for a, b in padded)


def _header_map(cells) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _CELL_KEY.get(field_for(cell) or "")
        if key and key not in found.values():
            found[i] = key
    return found


def _name_for(heading: str, names: list[tuple[str, int]]) -> tuple[str, int] | None:
    h = textrows.fold(heading).strip()
    if not h:
        return None
    for name, line_no in names:
        n = textrows.fold(name).strip()
        if min(len(n), len(h)) >= 3 and (n.startswith(h) or h.startswith(n)):
            return name, line_no  # CITOYEN ↔ Citoyens
    return None


def _definition_for(name: str, defs: list[tuple[str, str, int]]) -> tuple[str, int] | None:
    n = textrows.fold(name)
    for key, text, line_no in defs:
        k = textrows.fold(key)
        if k == n or (min(len(k), len(n)) >= 4 and (k.startswith(n) or n.startswith(k))):
            return text, line_no
    return None


def _os_code(title: str, letters: set[str]) -> str | None:
    if len(letters) != 1:
        return None
    letter = next(iter(letters))
    words = re.findall(r"\w+", textrows.fold(title).upper())
    initials = "".join(w[0] for w in words if len(w) > 3)  # Ressources Humaines → RH
    if words and (words[0].startswith(letter) or initials.startswith(letter)):
        return letter
    return None


# -- after the whole document ------------------------------------------------------------------


def finish(eng: Engine) -> None:
    st, draft = eng.state, eng.draft
    if not st.get("seen_os") and st.get("loose") and st.get("names"):
        _group_by_names(eng)
    elif st.get("seen_os") and st.get("loose"):
        first = draft.get(st["loose"][0])
        draft.warn(_("objectifs opérationnels hors de tout objectif stratégique"), first.line)
    for node in draft.nodes:
        if node.level == OO and not node.title:
            node.title = f"{OO} {node.code}"
            draft.warn(_("objectif opérationnel %(code)s sans intitulé") % {"code": node.code},
                       node.line, node.code)
    rows = st.get("rows", [])
    splits: dict[int, Any] = {}
    for r in rows:
        if r["cells"] is None:
            splits[id(r)] = textrows.split_row(r["lines"], {})
    vocab = textrows.learn(splits.values())
    for r in rows:
        splits[id(r)] = (_split_cells(eng, r) if r["cells"] is not None
                         else textrows.split_row(r["lines"], vocab))
        _fill_action(eng, r, splits[id(r)])
    _plan_header(eng)
    if not draft.nodes:
        draft.warn(_("aucun objectif ni action codés reconnus"))


def _group_by_names(eng: Engine) -> None:
    """No strategic headings: the listed names group the operational objectives by initial."""
    st, draft = eng.state, eng.draft
    for name, line_no in st["names"]:
        oos = [c for c in st["loose"] if _os_code(name, {re.match(r"[A-Z]+", c).group()})]
        if not oos:
            continue
        letter = re.match(r"[A-Z]+", oos[0]).group()
        code = None if letter in draft else letter
        node = draft.add(name, code=code, line=line_no, level=OS)
        desc = _definition_for(name, st.get("definitions", []))
        if desc:
            node.set("description", desc[0], desc[1])
        for c in oos:
            draft.reparent(c, node.code)
    # strategic objectives first, as the document lists them
    top = [n for n in draft.nodes if n.level == OS]
    draft.nodes = top + [n for n in draft.nodes if n.level != OS]


def _split_cells(eng: Engine, row: dict) -> textrows.Split:
    """A row that a reader already gave as cells (DOCX, XLSX, PDF tables): columns by the
    header row when there is one, else in the layout's order after the action cell."""
    cells_in = [" ".join(c.split()) for c in (row["cells"] or ())]
    number = eng.case.number(cells_in[0]) if cells_in else None
    shift = 1 if number and not number.title and len(cells_in) > 1 else 0  # code apart
    order = eng.state.get("header_map") or {shift + i: key for i, key in enumerate(_COLUMNS)}
    title_at = next((i for i, key in order.items() if key == "title"), shift)
    title = cells_in[title_at] if title_at < len(cells_in) else ""
    if title_at == 0 and number:
        title = number.title
    cells = {order[i]: (c, row["line"]) for i, c in enumerate(cells_in)
             if i in order and order[i] != "title" and c}
    return textrows.Split(title, cells, 99.0, 99.0, "deadline" in cells)


def _fill_action(eng: Engine, row: dict, split) -> None:
    draft, node, code = eng.draft, row["node"], row["code"]
    title = split.title if split and split.title else ""
    node.title = " ".join(title.split()) or f"{ACTION} {code}"
    if split is None:
        draft.warn(_("action %(code)s : ligne sans contenu") % {"code": code}, row["line"],
                   node.code)
        return
    if not title:
        draft.warn(_("action %(code)s : intitulé introuvable") % {"code": code}, row["line"],
                   node.code)
    c = split.cells
    for key in ("domain", "owners", "funding", "deadline"):
        if key in c:
            node.set(key, c[key][0], c[key][1])
    if "funding" in c:
        text, line_no = c["funding"]
        if m := re.search(r"\d+(?:[.,]\d+)?\s*ETP\b", text, re.I):
            node.set("fte", m.group(), line_no)
        elif textrows.MONEY.search(text):
            node.set("budget_eur", text, line_no)
    if "indicator" in c:
        node.add_indicator(c["indicator"][0], None, c["indicator"][1])
    where = (c.get("domain") or c.get("deadline") or (None, row["line"]))[1]
    if split.leftover:
        text, line_no = split.leftover
        draft.warn(_("action %(code)s : texte après la ligne du tableau ignoré : %(text)s")
                   % {"code": code, "text": repr(text[:60])}, line_no, node.code)
    if not split.has_deadline:
        draft.warn(_("action %(code)s : échéance introuvable dans la ligne du tableau")
                   % {"code": code}, where, node.code)
    elif split.margin < textrows.CONFIDENT_MARGIN and row["cells"] is None:
        parts = " | ".join(c[k][0] for k in ("domain", "owners", "funding") if k in c)
        draft.warn(_("action %(code)s : découpage des cellules incertain (%(cells)s)")
                   % {"code": code, "cells": parts}, where, node.code)


def _plan_header(eng: Engine) -> None:
    draft, lines = eng.draft, eng.doc.lines
    draft.kind, draft.levels = "other", [OS, OO, ACTION]
    head = " ".join(ln.text for ln in lines[:15])
    draft.period_start = draft.period_end = None
    if m := _PERIOD.search(head):
        draft.period_start, draft.period_end = int(m[1]), int(m[2])
    title = eng.state.get("title", "")
    title = re.sub(r"^\s*(?:19|20)\d\d\s*[-–/à]+\s*(?:19|20)\d\d\s*[:\-–]?\s*", "", title)
    draft.title = title.strip().strip(" :-–")
    text = " ".join(ln.text for ln in lines[:200])
    whole = textrows.fold(text)
    if "programme strategique transversal" in whole or re.search(r"\bpst\b", whole):
        draft.kind = "pst"
    if m := re.search(r"\b(CPAS|OCMW|Commune|Ville)\s+(?:de\s+(?:la\s+)?|d[’']\s*|du\s+)"
                      rf"([{_UP}][\w’'-]+(?:[ -][{_UP}][\w’'-]+)*)", text):
        draft.organization = f"{m[1]} de {m[2]}"
