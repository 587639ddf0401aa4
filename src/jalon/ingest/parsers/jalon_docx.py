"""Jalon's own DOCX export (:func:`jalon.ingest.writers.draft_to_docx`), read back.

Features of the layout:

* Word heading paragraphs (``style`` "heading N") of the form ``CODE — Title`` (em or en dash):
  one per node, the heading level giving the depth (level 1 = top);
* right after each heading, a two-column table ``label | value`` whose labels are the French
  field labels of :data:`~jalon.ingest.parsers.tabular.COLUMNS` (Début, Échéance, Responsables,
  Indicateurs …), with the value conventions of the tabular template (lists separated by
  `` / ``, indicators ``name: target; …``);
* before the first node: the title (Title style) and a ``label | value`` table of the plan's
  metadata (Organisation, Type, Début de période, Niveaux …).

A ``Parent`` row, when present, wins over the heading levels (the writer adds it below depth 9,
where Word has no heading level left).  Headings without a dash are section titles a person
added: they are skipped.
"""

from __future__ import annotations

import re

from ..document import Document, Line
from ..draft import PlanDraft
from ..i18n import _
from .tabular import (
    apply_plan_info,
    column_key,
    normalise_code,
    parse_cell,
    parse_indicators,
    plan_key,
)

NAME = "jalon_docx"
_NODE_HEADING = re.compile(r"^(?P<code>\S.*?)\s+[—–](?:\s+(?P<title>.*))?$")
_HEADING_LEVEL = re.compile(r"^heading (\d+)$")


def _level(line: Line) -> int | None:
    m = _HEADING_LEVEL.match(line.style)
    return int(m.group(1)) if m else None


def _node_heading(line: Line) -> re.Match[str] | None:
    if _level(line) is None:
        return None
    return _NODE_HEADING.match(" ".join(line.text.split()))


def _field_row(line: Line) -> bool:
    return bool(line.cells) and len(line.cells) == 2 and column_key(line.cells[0]) is not None


def score(doc: Document) -> float:
    headings = [i for i, ln in enumerate(doc.lines) if _level(ln) is not None]
    nodes = [i for i in headings if _node_heading(doc.lines[i])]
    if not nodes:
        return 0.0
    with_table = 0
    for i in nodes:
        following = next((ln for ln in doc.lines[i + 1:i + 4] if ln.text.strip()), None)
        if following is not None and _field_row(following):
            with_table += 1
    if not with_table:
        return round(0.3 * len(nodes) / len(headings), 3)
    return round(0.5 + 0.45 * with_table / len(nodes), 3)


def parse(doc: Document) -> PlanDraft:
    draft = PlanDraft(layout=NAME, source=doc.name)
    stack: list[tuple[int, str]] = []  # (heading level, code in the draft)
    node = None
    explicit_parent: dict[str, str] = {}  # draft code → code of the Parent row
    for line in doc.lines:
        if line.style == "title" and not draft.title:
            draft.title = " ".join(line.text.split())
            continue
        level = _level(line)
        if level is not None:
            m = _node_heading(line)
            if m is None:
                continue  # a section heading, not a node
            while stack and stack[-1][0] >= level:
                stack.pop()
            printed = m.group("code")
            node = draft.add(m.group("title") or "", code=normalise_code(printed),
                             parent=stack[-1][1] if stack else None, line=line.number,
                             printed=printed)
            stack.append((level, node.code))
            continue
        if not line.cells or len(line.cells) < 2:
            continue
        if node is None:
            key = plan_key(line.cells[0])
            if key:
                apply_plan_info(draft, key, line.cells[1], line.number)
            continue
        _field(draft, node, line, explicit_parent)
    _apply_parents(draft, explicit_parent)
    return draft.finish()


def _field(draft: PlanDraft, node, line: Line, explicit_parent: dict[str, str]) -> None:
    label, value = line.cells[0], line.cells[1]
    key = column_key(label)
    if key is None:
        draft.warn(_("champ inconnu ignoré : %(label)r") % {"label": label.strip()},
                   line.number, node.code)
    elif key == "level":
        node.level = " ".join(value.split())
    elif key == "parent":
        if value.strip():
            explicit_parent[node.code] = normalise_code(value)
    elif key == "title":
        node.title = " ".join(value.split()) or node.title
    elif key == "code_as_printed":
        node.fields["code_as_printed"] = " ".join(value.split())
        node.field_lines[key] = line.number
    elif key == "indicators":
        for name, target in parse_indicators(value):
            node.add_indicator(name, target, line.number)
    elif key != "code":
        node.set(key, parse_cell(key, value), line.number)


def _apply_parents(draft: PlanDraft, explicit_parent: dict[str, str]) -> None:
    for code, parent in explicit_parent.items():
        node = draft.get(code)
        if node is None or node.parent == parent:
            continue
        if parent not in draft:
            draft.warn(_("parent %(parent)r introuvable") % {"parent": parent}, node.line, code)
            continue
        try:
            draft.reparent(code, parent)
        except ValueError:
            draft.warn(_("parent %(parent)r impossible (boucle)") % {"parent": parent}, node.line,
                       code)
