"""The plan's header from the first lines of a document: its period, title, kind and body.

* the **period** is the first ``2019-2025`` (``–``, ``/``, ``à``) in the first 15 lines;
* the **title** is the line the caller chose, without a period printed in front of it;
* the **kind** is the first of ``kinds`` (``{"pst": [regex, …]}``, matched on the first 200
  lines, case and accents ignored) that the text names, else ``other``;
* the **organization** is the first match of a pattern with groups ``body`` and ``place``
  (``CPAS de Hautval``), written ``form`` (``"{body} de {place}"``).

The words are the case's data (``"plan"`` in ``cases/<name>.json``); pure Python.
"""

from __future__ import annotations

import re
from typing import Any

from .textrows import fold

_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–/à]+\s*((?:19|20)\d\d)\b")
_LEADING_PERIOD = re.compile(r"^\s*(?:19|20)\d\d\s*[-–/à]+\s*(?:19|20)\d\d\s*[:\-–]?\s*")


def read(draft, lines: list, title: str, words: dict[str, Any]) -> None:
    """Set ``draft``'s period, title, kind and organization from ``lines`` (Line objects)."""
    draft.kind = "other"
    draft.period_start = draft.period_end = None
    if m := _PERIOD.search(" ".join(ln.text for ln in lines[:15])):
        draft.period_start, draft.period_end = int(m[1]), int(m[2])
    draft.title = _LEADING_PERIOD.sub("", title).strip().strip(" :-–")
    text = " ".join(ln.text for ln in lines[:200])
    folded = fold(text)
    for kind, patterns in words.get("kinds", {}).items():
        if any(re.search(p, folded) for p in patterns):
            draft.kind = kind
            break
    if words.get("organization") and (m := re.search(words["organization"], text)):
        draft.organization = words.get("form", "{body} {place}").format(**m.groupdict())
