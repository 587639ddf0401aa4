"""Hooks of the case "prose": a policy note (note de politique générale, note d'orientation).

Chapters, one per department or theme, are numbered in one sequence through the whole note
(``1. INTRODUCTION``, ``2. DEPARTEMENT DE …``, or ``Chapitre 3 – …``); sections in Roman
numerals (``III.a.`` for an inserted one) and sub-sections (``1.``, ``1.1.``, ``a)``, headed
paragraphs) restart under every parent.  The headings, the table of contents, the tree and the
codes qualified by the parent's (``2.II.3``) are :mod:`jalon.ingest.outline`'s, with the
numbering schemes of ``prose.json``; bodies and figures are :mod:`jalon.ingest.figures`'s, the
title and author :func:`jalon.ingest.pagetext.running_metadata`'s.  What is this kind of
document's own: which ``N.`` headings are chapters (:func:`_mark_chapters`), and its score.
"""

from __future__ import annotations

from jalon.ingest.cases import Case
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.engine import Engine
from jalon.ingest.figures import fill_body
from jalon.ingest.i18n import _
from jalon.ingest.outline import Heading, Outline, Schemes, build, drop_contents
from jalon.ingest.pagetext import PageLines, running_metadata


def _outline(doc: Document, case: Case, draft: PlanDraft) -> tuple[PageLines, list[Heading]]:
    schemes = case.compiled("headings", lambda c: Schemes(c.data["headings"]))
    lines = PageLines(doc, schemes.starts)
    heads = drop_contents(lines, Outline(lines, schemes).scan())
    _mark_chapters(heads, draft)
    return lines, heads


def _mark_chapters(heads: list[Heading], draft: PlanDraft) -> None:
    """Decide which ``N.`` headings are chapters.

    A chapter number continues the chapter sequence through the document, while sub-section
    numbers restart under each parent.  A candidate that continues the running sub-section
    sequence (``3.`` right after ``2.`` in the same style) is a sub-section.  When the document
    writes its chapters in capitals, a chapter must be in capitals or open a Roman ``I.``.
    """
    if any(h.kind == "chapter" for h in heads):
        return  # chapters are written out ("Chapitre 2"): numbered headings are sub-sections
    singles = [h for h in heads if h.kind == "number" and h.depth == 1]
    capitals = sum(h.upper for h in singles) >= 2
    last: int | None = None
    sub: Heading | None = None  # the last single-number sub-section of the current parent
    first_chapter: int | None = None
    for n, h in enumerate(heads):
        if h.kind == "section":
            sub = None
        if h.kind != "number" or h.depth != 1:
            continue
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        opens_sections = nxt is not None and nxt.kind == "section" and nxt.value == 1
        expected = 1 if last is None else last + 1
        in_sequence = (last is None and h.value <= 3) or expected <= h.value <= expected + 1
        continues = sub is not None and h.value == sub.value + 1 and h.upper == sub.upper
        strong = h.upper or opens_sections
        if in_sequence and not continues and (strong or (not capitals and h.value == expected)):
            if h.value != expected:
                draft.warn(_("chapitre %(n)s inattendu (attendu %(expected)s)")
                           % {"n": h.value, "expected": expected}, h.line)
            h.kind, h.rank, last, sub = "chapter", 0, h.value, None
            first_chapter = n if first_chapter is None else first_chapter
        else:
            sub = h
    if first_chapter is None:
        return
    # chapters before the first one recognised (e.g. an introduction in small letters)
    value = heads[first_chapter].value
    for h in reversed(heads[:first_chapter]):
        if h.kind != "number" or h.depth != 1 or h.value != value - 1:
            break
        h.kind, h.rank, value = "chapter", 0, h.value


def score(doc: Document, case: Case) -> float:
    """Roman sections restarting at ``I`` under numbered chapters, in running prose."""
    lines, heads = _outline(doc, case, PlanDraft())
    chapters = sum(h.kind == "chapter" for h in heads)
    sections = [h for h in heads if h.kind == "section"]
    restarts = sum(h.value == 1 for h in sections)
    content = [lines.text(i) for i in range(len(lines)) if lines.text(i)]
    if not content:
        return 0.0
    prose = sum(len(t) >= 50 and len(t.split()) >= 8 and " | " not in t for t in content)
    prose_share = prose / len(content)
    value = (0.35 * min(1.0, restarts / 2) + 0.2 * min(1.0, len(sections) / 6)
             + 0.2 * min(1.0, chapters / 3) + 0.25 * max(0.0, (prose_share - 0.3) / 0.4))
    if restarts == 0:
        value *= 0.5
    return round(max(0.0, min(1.0, value)), 3)


def line(eng: Engine, ln: Line, text: str) -> bool:
    """Every line is read by the outline, in :func:`finish`."""
    return True


def finish(eng: Engine) -> None:
    """The outline's headings as the tree, with the bodies (description, indicators, tags)."""
    draft, case = eng.draft, eng.case
    lines, heads = _outline(eng.doc, case, draft)
    draft.kind, draft.levels = "policy_note", list(case.levels)
    draft.title, draft.organization, year = running_metadata(lines, case.data["metadata"])
    draft.period_start = draft.period_end = year
    nodes = build(draft, lines, heads, case.levels)
    for k, node in enumerate(nodes):
        stop = nodes[k + 1].head.start if k + 1 < len(nodes) else len(lines)
        fill_body(draft, lines, node.draft_node, node.numbered_owner().draft_node,
                  node.head.end + 1, stop)
    if not any(n.head.rank == 0 for n in nodes):
        draft.warn(_("aucun chapitre numéroté reconnu"))
