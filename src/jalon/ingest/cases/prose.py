"""Hooks of the case "prose": a policy note (note de politique générale, note d'orientation).

Chapters, one per department or theme, are numbered in one sequence through the whole note
(``1. INTRODUCTION``, ``2. DEPARTEMENT DE …``, or ``Chapitre 3 – …``); sections in Roman
numerals (``III.a.`` for an inserted one) and sub-sections (``1.``, ``1.1.``, ``a)``, headed
paragraphs) restart under every parent, their codes qualified by the parent's (``2.II.3``).
The engine reads it with :mod:`jalon.ingest.outline` and the numbering schemes of
``prose.json``; what is left here is how the kind of document is recognised.
"""

from __future__ import annotations

from jalon.ingest.cases import Case
from jalon.ingest.document import Document
from jalon.ingest.outline import headings


def score(doc: Document, case: Case) -> float:
    """Roman sections restarting at ``I`` under numbered chapters, in running prose."""
    lines, heads = headings(doc, case)
    chapters = sum(h.rank == 0 for h in heads)
    sections = [h for h in heads if h.rank == 1]
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
