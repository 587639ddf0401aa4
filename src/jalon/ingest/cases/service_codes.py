"""Hooks of the case "service_codes": projects coded by service (directorate–service–number) in
an annex (the patterns and labels are in service_codes.json).

- **Prose first**: a diagnosis and priorities under numbered headings (``4 Etat des lieux``) that
  are *not* nodes; a numbered list after a sentence about "axes" is kept in
  ``plan.extra["axes"]``.
- **An annex of project tables** under numbered headings, one per directorate
  (``6.1.1 La direction générale sociale``) and per service (``6.1.1.1 L'aide sociale``).  A
  heading becomes a node when its first project arrives (headings holding no project are not
  nodes; a lone annex title above the directorates is dropped).  A service opens with
  ``Mission :`` / ``Vision :`` paragraphs (description / objective).
- **Project codes** ``DS-S-2``, ``DI-L 2``, ``Pr-1``, normalised to ``DI-L-2``, ``PR-1`` (printed
  form kept).  A code line is a project when a column header came before it or when its first
  letters open several lines.  A project whose service has no heading gets a node made from its
  code prefix, with a warning.
- **Rows** wrapped over several lines are read by :mod:`jalon.ingest.pivotrows` (the timing is
  the pivot); rows given as cells (DOCX) by the header row's labels.  A second pass puts a code
  the document nearly always prints in one column (``CODIR``) back there, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from jalon.ingest import pivotrows as rows
from jalon.ingest.cases import drop_running
from jalon.ingest.document import Document, Line
from jalon.ingest.engine import Engine
from jalon.ingest.i18n import _
from jalon.ingest.numbering import TOC_LINE, follows, toc_numbers
from jalon.ingest.pivotrows import Ln, Row, fold, squash

DIRECTION, SERVICE, PROJECT = "Direction", "Service", "Projet"
_DIGITS_ONLY = re.compile(r"^\s*(\d{1,3})\s*$")
_STYLE_HEADING = re.compile(r"(?:heading|titre)\s*(\d)", re.I)
_PERIOD = re.compile(rf"\b({rows.YEAR})\s*[-–/]\s*({rows.YEAR})\b")
_ACRONYM = re.compile(r"\b[A-Z]{3,8}\b")


def _rx(case, key: str) -> re.Pattern[str]:
    cache = case.__dict__.setdefault("_compiled", {})
    if key not in cache:
        cache[key] = re.compile(case.data[key])
    return cache[key]


def match_code(case, raw: str) -> tuple[str, str, str, str] | None:
    """(normalised code, printed code, prefix, rest) when the line opens with a project code."""
    m = _rx(case, "code").match(raw)
    if not m:
        return None
    printed = m.group("code")
    if "-" not in printed:
        return None  # "Les 3 …", "Page 5": a code always has a hyphen somewhere
    rest = m.group("rest")
    if rest.strip() and not re.match(r"\s+[^\d\s]", rest):
        return None  # "nov-21 14417": a month in a table of figures
    prefix = m.group("a").upper() + ("-" + m.group("b").upper() if m.group("b") else "")
    return f"{prefix}-{int(m.group('n'))}", printed.strip(), prefix, rest


def score(doc: Document, case) -> float:
    """Project codes with a hyphen at the start of rows, several prefixes, the column labels."""
    codes: set[str] = set()
    prefixes: Counter[str] = Counter()
    for ln in doc.lines:
        found = match_code(case, ln.text)
        if found and found[3].strip():
            codes.add(found[0])
            prefixes[found[2]] += 1
    text = "\n".join(ln.text for ln in doc.lines[:20000])
    labels = {m.group(0).casefold() for m in _rx(case, "header_words").finditer(text)}
    repeated = sum(1 for c in prefixes.values() if c >= 2)
    found_rows = min(1.0, len(codes) / 10) * min(1.0, repeated / 2)
    return round(0.65 * found_rows + 0.35 * min(1.0, len(labels) / 4), 3)


def prepare(doc: Document, case) -> Document:
    """Tabs and no-break spaces as spaces, a code wrapped before its number rejoined
    (``DS-S-`` / ``2``), running headers and page numbers dropped."""
    lines = [Line(ln.number, ln.text.replace("\t", "    ").replace("\u00a0", " ").rstrip(),
                  ln.page, ln.style, ln.cells, ln.values, ln.outline, ln.size, ln.bold)
             for ln in doc.lines]
    out, skip = [], set()
    for i, ln in enumerate(lines):
        if i in skip:
            continue
        m = _rx(case, "broken_code").match(ln.text)
        if m:
            j = next((k for k in range(i + 1, min(i + 4, len(lines))) if lines[k].text.strip()),
                     None)
            if j is not None and _DIGITS_ONLY.match(lines[j].text):
                text = m.group("code").replace(" ", "") + lines[j].text.strip()
                ln = Line(ln.number, text, ln.page, ln.style, ln.cells)
                skip.add(j)
        out.append(ln)
    out = drop_running(out, keep=lambda text: bool(_rx(case, "code").match(text)))
    return Document(doc.name, out, doc.kind, doc.sheets)


# -- reading, line by line -------------------------------------------------------------------


class _Heading:
    def __init__(self, number: str, title: str, line: int, printed: bool, parent) -> None:
        self.number, self.title, self.line, self.printed = number, title, line, printed
        self.parent: _Heading | None = parent
        self.intro: list[Ln] = []
        self.node: str | None = None  # its node, made when its first project arrives
        self.prefixes: set[str] = set()


def _state(eng: Engine) -> dict[str, Any]:
    st = eng.state
    if "path" not in st:
        case = eng.case
        texts = [ln.text for ln in eng.doc.lines]
        toc = toc_numbers(texts)
        codes = (match_code(case, t) for t in texts)
        st.update(path=[], row=None, in_header=False, header_seen=False, seen=set(), toc=toc,
                  toc_depth=max((n.count(".") + 1 for n in toc), default=0), style=[],
                  columns=tuple(case.data["default_columns"]), counters=[], rows=[],
                  made={}, headings=[],
                  letters=Counter(c[2].split("-")[0] for c in codes if c))
    return st


def line(eng: Engine, ln: Line, text: str) -> bool:
    st = _state(eng)
    raw = Ln(ln.number, ln.text, ln.style or "",
             tuple(" ".join(c.split()) for c in ln.cells) if ln.cells else None)
    if _heading(eng, st, raw):
        return True
    if raw.cells:
        _cells_line(eng, st, raw)
    elif not _code_line(eng, st, raw):
        if _rx(eng.case, "header_start").match(raw.raw) and not raw.blank:
            st.update(row=None, in_header=True, header_seen=True)
        elif st["row"] is not None:
            st["row"].body.append(raw)
        elif st["path"] and not st["in_header"]:
            st["path"][-1].intro.append(raw)
    return True


def _heading_match(case, raw: str) -> tuple[str, str, bool] | None:
    if TOC_LINE.search(raw):
        return None
    m = _rx(case, "heading").match(raw)
    if not m:
        return None
    title = m.group("title")
    if not (title[0].isupper() or title[0] in "«\"“'’") or sum(c.isalpha() for c in title) < 4:
        return None
    if len(title) > 110:
        return None
    return m.group("num"), title, bool(m.group("dot"))


def _styled_heading(case, ln: Ln, counters: list[int]) -> tuple[str, str, bool] | None:
    """A heading the reader marked by style; numbered from its level when it prints none."""
    m = _STYLE_HEADING.search(ln.style)
    if not m or ln.blank or ln.cells:
        return None
    depth = max(1, int(m.group(1)))
    printed = _heading_match(case, ln.raw)
    if printed:
        return printed[0], printed[1], True
    del counters[depth:]
    counters.extend([0] * (depth - len(counters)))
    counters[depth - 1] += 1
    return ".".join(str(c) for c in counters), ln.text, False


def _heading(eng: Engine, st: dict, ln: Ln) -> bool:
    styled = _styled_heading(eng.case, ln, st["counters"])
    h = styled or (None if ln.cells else _heading_match(eng.case, ln.raw))
    if h is None:
        return False
    path = st["path"]
    if not styled:
        if not follows(h[0], [p.number for p in path]):
            return False
        if h[0].count(".") + 1 <= st["toc_depth"] and h[0] not in st["toc"]:
            return False  # a numbered list item, not a section of the table of contents
        if "." not in h[0]:
            st["style"] = st["style"] or [h[2]]
            if st["style"][0] != h[2]:
                return False
    while path and not h[0].startswith(path[-1].number + "."):
        path.pop()
    heading = _Heading(h[0], h[1], ln.number, h[2] if styled else True,
                       path[-1] if path else None)
    path.append(heading)
    st["headings"].append(heading)
    st.update(row=None, in_header=False)
    return True


def _cells_line(eng: Engine, st: dict, ln: Ln) -> None:
    cells = ln.cells or ()
    header = _cell_columns(eng.case, cells)
    if header:
        st.update(columns=header, row=None, in_header=True)
        return
    found = _cell_row(eng.case, ln, st["columns"])
    if found:
        _add_row(eng, st, found)
    elif st["row"] is not None and st["row"].cells is not None and not cells[0]:
        row = st["row"]  # a cell merged down: the row goes on
        for i, cell in enumerate(cells):
            key = st["columns"][i] if i < len(st["columns"]) else ""
            if key and key != "code" and cell:
                old = (row.cells or {}).get(key)
                row.cells = {**(row.cells or {}), key: f"{old}\n{cell}" if old else cell}


def _cell_columns(case, cells: tuple[str, ...]) -> tuple[str, ...] | None:
    """Field per column when a table row is a header (3+ known labels), else None."""
    labels = [(key, re.compile(rx)) for key, rx in case.data["cell_labels"]]
    out = [next((key for key, rx in labels if rx.search(fold(cell))), "") for cell in cells]
    return tuple(out) if sum(1 for k in out if k) >= 3 else None


def _cell_row(case, ln: Ln, columns: tuple[str, ...]) -> Row | None:
    """A table row whose first filled cell is a project code."""
    cells = ln.cells or ()
    first = next((i for i, c in enumerate(cells) if c), None)
    if first is None:
        return None
    code = match_code(case, cells[first])
    if not code:
        return None
    values: dict[str, str] = {}
    for i, cell in enumerate(cells[first + 1:], start=first + 1):
        key = columns[i] if i < len(columns) and columns[i] else ""
        if key and key != "code" and cell:
            values[key] = f"{values[key]}\n{cell}" if key in values else cell
    if code[3].strip():
        values["title"] = f"{code[3].strip()} {values.get('title', '')}".strip()
    return Row(code[0], code[1], code[2], ln.number, [Ln(ln.number, "")], None, values)


def _code_line(eng: Engine, st: dict, ln: Ln) -> bool:
    code = match_code(eng.case, ln.raw)
    if not code or not (st["header_seen"] or st["letters"][code[2].split("-")[0]] >= 2):
        return False  # no code, or a lone "ODD-3 …" in the prose
    if code[0] in st["seen"] and not code[3].strip():
        return False  # a known code alone on its line: a reference in a cell
    _add_row(eng, st, Row(code[0], code[1], code[2], ln.number, [Ln(ln.number, code[3])]))
    return True


def _add_row(eng: Engine, st: dict, row: Row) -> None:
    """A project: its heading (and theirs) become nodes, its node is added now and filled
    when the document is read."""
    st["seen"].add(row.code)
    row.heading = st["path"][-1] if st["path"] else None
    parent = _service_for(eng, row, row.heading) or None
    node = eng.draft.add(row.code, code=row.code, parent=parent, line=row.line, level=PROJECT,
                         printed=row.printed)
    st["rows"].append((row, node))
    st.update(row=row, in_header=False)


def _materialise(eng: Engine, h: _Heading) -> str:
    if h.node is None:
        parent = _materialise(eng, h.parent) if h.parent is not None else None
        node = eng.draft.add(h.title, code=h.number if h.printed else None, parent=parent,
                             line=h.line)
        h.node = node.code
    return h.node


def _service_for(eng: Engine, row: Row, heading: _Heading | None) -> str:
    """The code of the node a project goes under, creating one from its prefix if needed
    (``made``: prefix → node made for it, ``@prefix`` → the heading holding its projects)."""
    draft, made = eng.draft, eng.state["made"]
    if heading is not None:
        code = _materialise(eng, heading)
        if not heading.prefixes or row.prefix in heading.prefixes:
            heading.prefixes.add(row.prefix)
            made.setdefault("@" + row.prefix, code)
            return code
        if "@" + row.prefix in made:  # a service printed elsewhere: the project stays here
            draft.warn(_("projet %(code)s rangé sous une autre rubrique que les projets "
                         "%(prefix)s") % {"code": repr(row.code), "prefix": repr(row.prefix)},
                       row.line, row.code)
            return code
        if row.prefix not in made:
            under = code if heading.parent is None else heading.parent.node
            made[row.prefix] = _make_service(eng, row, under)
        return made[row.prefix]
    if row.prefix not in made:
        directorate = None
        if "-" in row.prefix:
            top = row.prefix.split("-")[0]
            if top not in made:
                node = draft.add(top, code=top, line=row.line, level=DIRECTION)
                draft.warn(_("direction %(code)s sans titre dans le document : créée")
                           % {"code": repr(top)}, row.line, node.code)
                made[top] = node.code
            directorate = made[top]
        made[row.prefix] = _make_service(eng, row, directorate)
    return made[row.prefix]


def _make_service(eng: Engine, row: Row, parent: str | None) -> str:
    node = eng.draft.add(row.prefix, code=row.prefix, parent=parent, line=row.line,
                         level=SERVICE if parent else DIRECTION)
    eng.draft.warn(_("service %(code)s sans titre dans le document : créé")
                   % {"code": repr(row.prefix)}, row.line, node.code)
    return node.code


# -- after the whole document ------------------------------------------------------------------


def finish(eng: Engine) -> None:
    st, draft = _state(eng), eng.draft
    _drop_annex_title(eng, st["headings"])
    for h in st["headings"]:
        if h.node is not None:
            node = draft.get(h.node)
            node.level = DIRECTION if node.parent is None else SERVICE
            _fill_intro(eng, node, h.intro)
    projects = []
    for row, node in st["rows"]:
        data = rows.read_row(row)
        node.title = " ".join((data.title or squash(" ".join(data.objective))
                               or row.code).split())
        if not data.title:
            draft.warn(_("projet sans intitulé imprimé : l'objectif sert de titre"), row.line,
                       node.code)
        rows.fill_project(node, data, row, draft)
        projects.append(node)
    _settle_vocabulary(draft, projects)
    _metadata(eng, len(projects))
    if not projects:
        draft.warn(_("aucun projet codé (ex. « DS-S-2 ») trouvé"))


def _drop_annex_title(eng: Engine, headings: list[_Heading]) -> None:
    """A lone top heading above the directorates (the annex's title) is not a node."""
    draft = eng.draft
    while True:
        tops = [n for n in draft.nodes if n.parent is None]
        top = tops[0] if len(tops) == 1 else None
        h = next((h for h in headings if top is not None and h.node == top.code), None)
        if h is None or any(n.parent == top.code and n.level == PROJECT for n in draft.nodes) \
                or re.match(eng.case.data["unit_title"], fold(h.title)):
            return
        children = [n for n in draft.nodes if n.parent == top.code]
        if not any(g.parent in {c.code for c in children} for g in draft.nodes
                   if g.level != PROJECT):
            return  # no grandchildren: the lone top is the only directorate
        for c in children:
            c.parent = None
        draft.nodes = [n for n in draft.nodes if n is not top]
        draft.__dict__["_counts"] = None
        h.node = None


def _fill_intro(eng: Engine, node, intro: list[Ln]) -> None:
    """``Mission :`` → description, ``Vision :`` → objective (what the service wants to be)."""
    names = {fold(w): key for key, words in eng.case.data["intro_labels"].items() for w in words}
    label = re.compile(r"^\s*(?P<label>" + "|".join(map(re.escape, names))
                       + r")\b[^:]{0,30}:\s*(?P<text>.*)$", re.I)
    key: str | None = None
    texts: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    for ln in intro:
        m = label.match(fold(ln.raw))
        if m:
            key = names[m.group("label")]
            texts.setdefault(key, [])
            first.setdefault(key, ln.number)
            rest = ln.raw[ln.raw.index(":") + 1:].strip()
            if rest:
                texts[key].append(rest)
            continue
        if key is None or ln.blank:
            continue
        if ln.text.endswith(":") or _rx(eng.case, "header_words").search(ln.text):
            key = None
            continue
        texts[key].append(ln.text)
    for key, parts in texts.items():
        node.set(key, "\n".join(parts), first[key])


def _settle_vocabulary(draft, projects: list) -> None:
    """A code the document nearly always prints in one column (``CODIR`` as the steering
    group) moves there in the rows where the spacing put it elsewhere."""
    keys = list(rows.COLUMN_FIELDS.values())
    seen: dict[str, Counter[str]] = {}
    for node in projects:
        for key in keys:
            for name in str(node.fields.get(key, "")).split("\n"):
                if rows.is_code_like(name):
                    seen.setdefault(name, Counter())[key] += 1
    for node in projects:
        for key in keys:
            names = [n for n in str(node.fields.get(key, "")).split("\n") if n]
            for name in names:
                home, count = (seen.get(name) or Counter({key: 0})).most_common(1)[0]
                total = sum(seen.get(name, Counter()).values())
                if home == key or count < 3 or count < 0.8 * total or home in node.fields:
                    continue
                rest = [n for n in names if n != name]
                line_no = node.field_lines.get(key)
                if rest:
                    node.fields[key] = "\n".join(rest)
                else:
                    del node.fields[key]
                    node.field_lines.pop(key, None)
                node.set(home, name, line_no)
                draft.warn(_("%(name)s placé en %(field)s comme dans les autres projets")
                           % {"name": repr(name), "field": home}, line_no, node.code)
                break


def _metadata(eng: Engine, found: int) -> None:
    draft, case = eng.draft, eng.case
    texts = [ln.text.strip() for ln in eng.doc.lines if ln.text.strip()]
    draft.title, draft.period_start, draft.period_end = "", None, None
    for n, text in enumerate(texts[:80]):
        if _rx(case, "title_words").search(text) and len(text) < 90 and not TOC_LINE.search(text):
            title = text
            period = _PERIOD.search(text)
            if not period and n + 1 < len(texts) and _PERIOD.fullmatch(texts[n + 1]):
                period = _PERIOD.search(texts[n + 1])
                title = f"{text} {texts[n + 1]}"
            draft.title = squash(title)
            if period:
                draft.period_start, draft.period_end = int(period.group(1)), int(period.group(2))
            break
    folded = fold(draft.title)
    draft.kind = ("pst" if "transversal" in folded else "strategic" if "strateg" in folded
                  else "other")
    acronyms = Counter(a for t in texts for a in _ACRONYM.findall(t) if not match_code(case, t))
    named = {m.group(1) for t in texts for m in re.finditer(r"\b[Ll]['’]\s?([A-Z]{3,8})\b", t)}
    for name, count in acronyms.most_common():
        if count >= 5 and name in named:  # "l'OCASC": the body speaks of itself
            draft.organization = name
            break
    axes = _axes(case, eng.doc.lines)
    if axes:
        draft.extra["axes"] = axes
    draft.extra["projects"] = found
    draft.levels = [DIRECTION, SERVICE, PROJECT]


def _axes(case, lines: list[Line]) -> list[str]:
    """A numbered list (1. … 2. …) right after a sentence announcing axes."""
    texts = [ln.text for ln in lines]
    for n, text in enumerate(texts):
        if not re.search(r"\baxes?\b", text, re.I) or _heading_match(case, text):
            continue
        items: list[str] = []
        lead_in = 0
        for nxt in texts[n + 1:n + 30]:
            if not nxt.strip():
                continue
            m = re.match(r"^\s*(\d{1,2})[.)]\s+(\S.*)$", nxt)
            if m and int(m.group(1)) == len(items) + 1:
                items.append(m.group(2).strip())
            elif items and not m and nxt.strip()[:1].islower():
                items[-1] += " " + nxt.strip()
            elif not items and lead_in < 2 and not _heading_match(case, nxt):
                lead_in += 1  # the sentence announcing the list goes on
            else:
                break
        if len(items) >= 2:
            return items
    return []
