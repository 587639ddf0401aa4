"""Table blocks for the structure engine: data tables under a header row, label/value sheets.

A *block* is a run of consecutive lines with cells on one page/sheet (a worksheet, a DOCX
table, a PDF table).  :func:`read_table` decides what it is:

* **label/value sheet**: rows of one label and one value whose labels the vocabulary knows
  (``Responsable | Mme X``).  With a code or a title label it is a new item (under the numbered
  item its code continues, else under the current heading); otherwise its values are fields of
  the item it follows.
* **data table**: the header row is the row, among the first ones, whose cells the vocabulary
  knows best; rows above it with one cell are the plan's title.  Every column is mapped
  (:func:`jalon.ingest.mapping.propose_columns`), every row below is an item under the current
  heading, with its parent from, in this order: a parent column, repeated ancestor columns
  (one row per leaf), a level column (numbers, or level names), the codes' numbering, the
  outline level / indentation.  A row with a single cell is a section heading.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import mapping as vocab
from .document import Line, Typed
from .draft import NodeDraft
from .i18n import _
from .numbering import code_parts, digit_parts, parse_number

if TYPE_CHECKING:
    from .engine import Engine

HEADER_SCAN = 15
STRUCTURAL = ("code", "parent", "level", "title", "level_title")


def _filled(line: Line) -> list[str]:
    return [c for c in (line.cells or ()) if c.strip()]


def read_table(engine: Engine, rows: list[Line]) -> None:
    if _is_label_value(rows):
        _label_value(engine, rows)
        return
    header_at = _header_index(rows)
    last = engine.last_header
    if last is not None and len(last.cells or ()) == len(rows[0].cells or ()) and (
            header_at is None or vocab.header_score(rows[header_at].cells or ())[0] < 2):
        _data_table(engine, last, rows)  # a table continued on the next page
        return
    if header_at is None:
        for ln in rows:
            engine.paragraph(Line(ln.number, " ".join(_filled(ln)), ln.page, ln.style))
        return
    for ln in rows[:header_at]:
        cells = _filled(ln)
        if len(cells) == 1:
            engine.title_candidates.append((2, " ".join(cells[0].split())))
        elif len(cells) == 2 and vocab.plan_key_for(cells[0]):
            engine.set_plan(vocab.plan_key_for(cells[0]) or "", cells[1], ln.number)
    _data_table(engine, rows[header_at], rows[header_at + 1:])


# -- label / value ------------------------------------------------------------------------------
def _pair(line: Line) -> tuple[str, str] | None:
    cells = _filled(line)
    if len(cells) == 2:
        return cells[0].strip().rstrip(":").strip(), cells[1]
    if len(cells) == 1 and ":" in cells[0]:
        label, _sep, value = cells[0].partition(":")
        return label.strip(), value
    return None


def _is_label(text: str) -> bool:
    return len(text) <= 60 and bool(vocab.field_for(text) or vocab.plan_key_for(text))


def _is_label_value(rows: list[Line]) -> bool:
    """Rows of ``label | value`` whose labels the vocabulary knows (not the header of a
    two-column data table: «Action | Responsable» followed by rows of values)."""
    if any(len(_filled(ln)) > 2 for ln in rows):
        return False
    pairs = [_pair(ln) for ln in rows]
    known = [p for p in pairs if p and _is_label(p[0])]
    if not known:
        return False
    first = pairs[0]
    if len(rows) == 1:
        return first is not None and _is_label(first[0]) and not _is_label(first[1])
    rest = [p for p in pairs[1:] if p and _is_label(p[0])]
    if first is not None and _is_label(first[0]) and _is_label(first[1]) and \
            len(rest) < 0.5 * (len(rows) - 1):
        return False
    labels = [vocab.normalise_header(p[0]) for p in known]
    return len(known) >= 0.5 * len(rows) and len(set(labels)) >= 0.8 * len(labels)


def _label_value(engine: Engine, rows: list[Line]) -> None:
    pairs = [(ln, _pair(ln)) for ln in rows]
    fields = {vocab.field_for(p[0]): (p[1], ln.number) for ln, p in pairs if p}
    code_text = fields.get("code", ("", 0))[0].strip()
    title_text = fields.get("title", ("", 0))[0].strip()
    level_label = ""
    if not title_text:  # «Actie | Plaatsen van zonnepanelen»: the level names the title
        p = pairs[0][1]  # only as the sheet's first row
        if p and vocab.field_for(p[0]) is None and vocab.level_for(p[0]):
            title_text, level_label = p[1].strip(), vocab.level_for(p[0]) or ""
    node = engine.current
    if (code_text or title_text) and not _same_item(node, code_text, title_text):
        node = _new_item(engine, code_text, title_text, rows[0].number,
                         fields.get("level", ("", 0))[0].strip() or level_label)
    if "label/value" not in engine.structures:
        engine.structures.append("label/value")
    for ln, p in pairs:
        if not p:
            text = " ".join(_filled(ln))
            if node is not None and text:
                node.append("description", text, ln.number)
            continue
        label, value = p
        key = vocab.field_for(label)
        if key in ("code", "title", "level") or key is None and level_label and \
                vocab.level_for(label) == level_label:
            continue
        if key is None and node is None and vocab.plan_key_for(label):
            engine.set_plan(vocab.plan_key_for(label) or "", value, ln.number)
            continue
        if node is None:
            engine.set_plan(vocab.plan_key_for(label) or "", value, ln.number) \
                if vocab.plan_key_for(label) else None
            continue
        if key is None or key == "level_title":
            _extra(engine, node, label, value, ln.number)
            continue
        _set(engine, node, key, value, None, ln.number, None)


def _same_item(node: NodeDraft | None, code_text: str, title_text: str) -> bool:
    """The sheet repeats the heading it follows (``1.2 — Titre`` then ``Code | 1.2``)."""
    if node is None:
        return False
    code = re.sub(r"\s+", "", code_text).strip(".:")
    if code and code in (node.code, re.sub(r"\s+", "", node.fields.get("code_as_printed", ""))):
        return True
    return bool(title_text) and vocab.normalise_header(title_text) == \
        vocab.normalise_header(node.title)


def _new_item(engine: Engine, code_text: str, title: str, line: int, level: str) -> NodeDraft:
    parts = code_parts(code_text) if code_text else ()
    parent = _parent_by_parts(engine, parts)
    if parent is None:
        # a sheet after a heading of the same kind of sheet is its sibling
        parent = engine.stack[-1].code if engine.stack else None
    number = parse_number(f"{code_text} x") if code_text else None
    code = re.sub(r"\s+", "", code_text).strip(".:") if code_text else None
    node = engine.draft.add(title or code_text, code=code, parent=parent, line=line,
                            printed=" ".join(code_text.split()) or None,
                            level=level or (number.level if number else ""))
    register(engine, parts, node.code)
    engine.current = node
    return node


def _parent_by_parts(engine: Engine, parts: tuple[str, ...]) -> str | None:
    """The node whose number the given one continues (1.2.3 → 1.2 → 1; C1.1 → C1 → C;
    AC1.1.1 → AP1.1 by the digits)."""
    digits = digit_parts(parts)
    for key in (parts, digits, ("#", *digits)):
        for n in range(len(key) - 1, 0 if key[:1] != ("#",) else 1, -1):
            code = engine.by_number.get(key[:n])
            if code:
                return code
    return None


def register(engine: Engine, parts: tuple[str, ...], code: str) -> None:
    if parts:
        engine.by_number.setdefault(parts, code)
        digits = digit_parts(parts)
        if digits and digits != parts:
            engine.by_number.setdefault(("#", *digits), code)


# -- data tables --------------------------------------------------------------------------------
def _header_index(rows: list[Line]) -> int | None:
    best, best_known = None, 0
    for i, ln in enumerate(rows[:HEADER_SCAN]):
        cells = ln.cells or ()
        filled = _filled(ln)
        if len(filled) < 2:
            continue
        if ln.values and any(v is not None for v in ln.values):
            continue  # a header is text
        known, _total = vocab.header_score(cells)
        if known > best_known:
            best, best_known = i, known
    if best is not None and (best_known >= 2 or best_known >= 1 and len(rows) >= 2):
        return best
    first = next((i for i, ln in enumerate(rows[:HEADER_SCAN]) if len(_filled(ln)) >= 2), None)
    if first is not None and len(rows) - first >= 2:
        return first
    return None


def _data_table(engine: Engine, header: Line, rows: list[Line]) -> None:
    engine.last_header = header
    cells = [c for c in (header.cells or ())]
    columns = vocab.propose_columns(cells, rows, engine.mapping, engine.mapping_source)
    draft = engine.draft
    known_headers = {tuple(c["header"] for c in draft.columns if c.get("table") == t)
                     for t in {c.get("table") for c in draft.columns}}
    signature = tuple(c["header"] for c in columns)
    if signature not in known_headers:
        table = len({c.get("table") for c in draft.columns})
        for col in columns:
            col["table"] = table
            draft.columns.append(col)
            if not col["header"]:
                continue
            if col.get("ignored"):
                draft.warn(_("colonne « %(name)s » ignorée") % {"name": col["header"]},
                           header.number)
            elif col["field"] is None:
                draft.warn(_("colonne « %(name)s » non reconnue : gardée comme champ "
                             "complémentaire") % {"name": col["header"]}, header.number)
    by_field: dict[str, dict[str, Any]] = {}
    for col in columns:
        if col["field"] and col["field"] != "level_title":
            by_field.setdefault(col["field"], col)
    level_cols = [c for c in columns if c["field"] == "level_title"]
    title_col = by_field.get("title")
    if title_col is None and not level_cols:
        # nothing says where the titles are: the first text column
        for col in columns:
            if col["field"] is None and not col.get("ignored") and col["header"]:
                col["field"], col["source"] = "title", "content"
                title_col = by_field["title"] = col
                break
    title_level = vocab.level_for(title_col["header"]) if title_col else None
    ancestors: list[str] = [""] * len(level_cols)
    ancestor_codes: list[str | None] = [None] * len(level_cols)
    base = engine.stack[-1].code if engine.stack else None
    outline_stack: list[tuple[int, str]] = []
    level_stack: list[tuple[int, str]] = []
    level_rank: dict[str, int] = {}
    pending: list[tuple[Line, str]] = []
    by_row_code: dict[str, str] = {}
    method = _method(columns, rows, by_field, level_cols)
    if method not in engine.structures:
        engine.structures.append(method)
    header_key = [" ".join(c.split()) for c in cells]
    for ln in rows:
        filled = _filled(ln)
        if not filled:
            continue
        if [" ".join(c.split()) for c in (ln.cells or ())][:len(header_key)] == \
                header_key[:len(ln.cells or ())] and len(filled) >= 2:
            continue  # the header repeated (next table, next printed page)
        if len(filled) == 1 and (title_col is None or _cell(ln, title_col["index"]) == "") \
                and not level_cols:
            engine.paragraph(Line(ln.number, filled[0], ln.page, ln.style))
            base = engine.stack[-1].code if engine.stack else None
            continue
        def get(col: dict[str, Any] | None, ln: Line = ln) -> str:
            return _cell(ln, col["index"]) if col else ""

        title = get(title_col).strip()
        code_text = get(by_field.get("code")).strip()
        parent = base
        # repeated ancestor columns: one row per leaf
        if level_cols:
            leaf_from_levels = None
            for k, col in enumerate(level_cols):
                value = " ".join(get(col).split())
                if value and value != ancestors[k]:
                    ancestors[k] = value
                    ancestor_codes[k] = None
                    for deeper in range(k + 1, len(level_cols)):
                        ancestors[deeper], ancestor_codes[deeper] = "", None
                if not ancestors[k]:
                    continue
                if title or k < len(level_cols) - 1 and any(
                        get(c).strip() for c in level_cols[k + 1:]):
                    if ancestor_codes[k] is None:
                        number = parse_number(ancestors[k])
                        node = engine.draft.add(number.title if number and number.title
                                                else ancestors[k],
                                                code=number.code if number else None,
                                                parent=parent, line=ln.number,
                                                level=col.get("level", ""),
                                                printed=number.printed if number else None)
                        ancestor_codes[k] = node.code
                    parent = ancestor_codes[k]
                else:
                    leaf_from_levels = (k, col)
                    break
            if not title and leaf_from_levels is not None:
                k, col = leaf_from_levels
                title = ancestors[k]
                title_level = col.get("level")
                ancestor_codes[k] = "__leaf__"
        if not title:
            if code_text:
                title = code_text
            else:
                if any(get(c).strip() for c in columns if c["field"] not in STRUCTURAL):
                    engine.draft.warn(_("ligne sans titre ignorée"), ln.number)
                continue
        # hierarchy
        if "parent" in by_field and not level_cols:
            ref = _ref(get(by_field["parent"]))
            if ref:
                if ref in by_row_code:
                    parent = by_row_code[ref]
                else:
                    pending.append((ln, ref))
                    parent = None
        elif "level" in by_field and not level_cols:
            raw = " ".join(get(by_field["level"]).split())
            if raw:
                if raw.isdigit():
                    rank = int(raw)
                else:
                    name = vocab.level_for(raw) or raw
                    rank = level_rank.setdefault(name, len(level_rank))
                while level_stack and level_stack[-1][0] >= rank:
                    level_stack.pop()
                parent = level_stack[-1][1] if level_stack else base
        elif method == "table: codes" and code_text:
            parent = _parent_by_parts(engine, code_parts(code_text)) or base
        elif method == "table: outline":
            while outline_stack and outline_stack[-1][0] >= ln.outline:
                outline_stack.pop()
            parent = outline_stack[-1][1] if outline_stack else base
        number = None
        code = None
        printed = None
        if code_text:
            printed = code_text
            code = re.sub(r"\s+", "", code_text).strip(".:") or None
            if code and parent and method != "table: codes" and \
                    re.fullmatch(r"\d{1,3}|[A-Za-z]", code) and engine.draft.get(code):
                code = f"{parent}.{code}"
        elif title_col is not None and method != "table: parent column":
            number = parse_number(title)
            if number and number.code and number.title:
                code, printed, title = number.code, number.printed, number.title
                parent = _parent_by_parts(engine, number.parts) or parent
        level = ""
        if "level" in by_field:
            raw = " ".join(get(by_field["level"]).split())
            if raw and not raw.isdigit():
                level = vocab.level_for(raw) or raw
        if not level:
            level = title_level or (number.level if number else "") or ""
        if parent is None and pending and pending[-1][0] is ln:
            node = engine.draft.add(title, code=code, parent=None, line=ln.number, level=level,
                                    printed=printed)
        else:
            node = engine.draft.add(title, code=code, parent=parent, line=ln.number,
                                    level=level, printed=printed)
        by_row_code.setdefault(_ref(title), node.code)  # a parent column may give titles
        if code_text:
            by_row_code.setdefault(_ref(code_text), node.code)
            register(engine, code_parts(code_text), node.code)
        elif number is not None and number.parts:
            register(engine, number.parts, node.code)
        if "level" in by_field and not level_cols:
            raw = " ".join(get(by_field["level"]).split())
            if raw:
                rank = int(raw) if raw.isdigit() else level_rank.get(
                    vocab.level_for(raw) or raw, 0)
                level_stack.append((rank, node.code))
        if method == "table: outline":
            outline_stack.append((ln.outline, node.code))
        engine.current = node
        percent_scale = _percent_scale(columns, rows)
        for col in columns:
            f = col["field"]
            if f in STRUCTURAL or col.get("ignored"):
                continue
            text = get(col)
            if not text.strip():
                continue
            typed = ln.values[col["index"]] if ln.values and col["index"] < len(ln.values) \
                else None
            if f is None:
                if col["header"]:
                    _extra(engine, node, col["header"], text, ln.number, warn=False)
                continue
            _set(engine, node, f, text, typed, ln.number, percent_scale)
    for ln, ref in pending:
        node = next((n for n in engine.draft.nodes if n.line == ln.number), None)
        if node is None:
            continue
        target = by_row_code.get(ref)
        if target and target != node.code:
            try:
                engine.draft.reparent(node.code, target)
                continue
            except ValueError:
                pass
        engine.draft.warn(_("parent « %(ref)s » introuvable : élément placé au premier niveau")
                          % {"ref": ref}, ln.number, node.code)
        if base:
            engine.draft.reparent(node.code, base)


def _method(columns: list[dict[str, Any]], rows: list[Line], by_field: dict[str, Any],
            level_cols: list[dict[str, Any]]) -> str:
    if level_cols:
        return "table: repeated columns"
    if "parent" in by_field:
        return "table: parent column"
    if "level" in by_field:
        return "table: level column"
    if "code" in by_field:
        codes = [_cell(ln, by_field["code"]["index"]) for ln in rows]
        if any(len(code_parts(c)) > 1 for c in codes if c.strip()):
            return "table: codes"
    if len({ln.outline for ln in rows}) > 1:
        return "table: outline"
    if "title" in by_field:
        titles = [_cell(ln, by_field["title"]["index"]) for ln in rows]
        numbered = [parse_number(t) for t in titles if t.strip()]
        if numbered and sum(1 for n in numbered if n and n.parts) >= 0.6 * len(numbered):
            return "table: numbered titles"
    return "table: rows"


def _ref(text: str) -> str:
    return vocab.normalise_header(" ".join(text.split()).strip(" .:")) or text.strip()


def _cell(ln: Line, index: int) -> str:
    cells = ln.cells or ()
    return cells[index] if index < len(cells) else ""


def _percent_scale(columns: list[dict[str, Any]], rows: list[Line]) -> float:
    """Progress stored as 0.8 (a fraction) in a column without a % format → 80."""
    col = next((c for c in columns if c["field"] == "progress"), None)
    if col is None:
        return 1.0
    nums = []
    for ln in rows:
        t = _cell(ln, col["index"]).strip().replace(",", ".")
        typed = ln.values[col["index"]] if ln.values and col["index"] < len(ln.values) else None
        if typed is not None and typed.kind == "percent":
            return 1.0
        try:
            nums.append(float(t))
        except ValueError:
            continue
    return 100.0 if nums and all(0 <= n <= 1 for n in nums) and any(n < 1 for n in nums) \
        else 1.0


def _set(engine: Engine, node: NodeDraft, key: str, text: str, typed: Typed | None,
         line: int, percent_scale: float | None) -> None:
    from .engine import set_field

    value: Any = text
    if typed is not None:
        if typed.kind == "date":
            value = typed.value.isoformat()
        elif key == "progress" and typed.kind in ("percent", "number"):
            value = typed.value if typed.kind == "percent" else typed.value * (
                percent_scale or 1.0)
            value = round(value, 2)
        elif key == "budget_eur" and typed.kind in ("currency", "number"):
            value = [float(typed.value)]
        elif key == "fte" and typed.kind == "number":
            value = typed.value
    elif key == "progress" and percent_scale and percent_scale != 1.0:
        try:
            value = round(float(text.replace(",", ".")) * percent_scale, 2)
        except ValueError:
            value = text
    set_field(node, key, value, line)


def _extra(engine: Engine, node: NodeDraft, label: str, value: str, line: int,
           warn: bool = True) -> None:
    value = " ".join(value.split())
    if not value:
        return
    extra = node.fields.setdefault("extra", {})
    label = " ".join(label.split())
    extra[label] = f"{extra[label]} / {value}" if label in extra else value
    node.field_lines.setdefault("extra", line)
    if warn:
        seen = getattr(engine, "_extra_labels", set())
        if label not in seen:
            seen.add(label)
            engine._extra_labels = seen  # type: ignore[attr-defined]
            engine.draft.warn(_("« %(name)s » non reconnu : gardé comme champ complémentaire")
                              % {"name": label}, line)
