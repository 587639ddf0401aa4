"""Compare two snapshots (two evaluations, or an evaluation and today): pure functions.

Nodes are matched by database id when both snapshots are of the same plan (a renumbered code
is then a change of ``code``, not a removal and an addition), else by code.  The result is plain
JSON-ready data::

    {"added": [...], "removed": [...], "moved": [...], "changed": [...],
     "progress": [...], "indicators": [...], "budget": [...], "totals": {...}}

- ``added`` / ``removed``: ``{"code", "title"}`` in plan order;
- ``moved``: ``{"code", "title", "from", "to"}`` (parent codes; ``None`` is the top level);
- ``changed``: ``{"code", "fields": {name: [before, after]}}`` for :data:`FIELDS` (progress and
  parent are reported by their own lists, never here);
- ``progress``: ``{"code", "before", "after", "delta"}`` for a node's own progress;
- ``indicators``: ``{"code", "indicator", "before", "after", "delta", "status_before",
  "status_after"}`` on the latest value (an indicator only in one snapshot has ``None`` on the
  other side);
- ``budget``: ``{"code", "year", "field", "before", "after", "delta"}`` (missing counts 0).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .snapshot import BUDGET_FIELDS, num, walk

FIELDS = ("code", "title", "level", "status", "start_text", "end_text", "deadline_text",
          "start_date", "end_date", "open_ended", "owners", "team", "mandataires",
          "departments", "partners", "steering", "risks", "deliverables", "description",
          "comment", "fte", "funding", "money", "weight")


def _delta(before: Any, after: Any) -> int | float | None:
    if before is None or after is None:
        return None
    return num(Decimal(str(after)) - Decimal(str(before)))


def _ordered(snap: dict) -> list[dict]:
    return list(walk(snap))


def compare(a: dict, b: dict) -> dict:
    """What changed from snapshot ``a`` (before) to snapshot ``b`` (after)."""
    same_plan = (a.get("plan", {}).get("id") is not None
                 and a["plan"]["id"] == b.get("plan", {}).get("id"))

    def key(n: dict):
        return n["id"] if same_plan else n["code"]

    nodes_a, nodes_b = _ordered(a), _ordered(b)
    ia = {key(n): n for n in nodes_a}
    ib = {key(n): n for n in nodes_b}
    parent_a = {n["id"]: n["code"] for n in nodes_a}

    out: dict[str, Any] = {"added": [], "removed": [], "moved": [], "changed": [],
                           "progress": [], "indicators": [], "budget": []}
    out["added"] = [{"code": n["code"], "title": n["title"]} for k, n in ib.items()
                    if k not in ia]
    out["removed"] = [{"code": n["code"], "title": n["title"]} for k, n in ia.items()
                      if k not in ib]
    for k, nb in ib.items():
        na = ia.get(k)
        if na is None:
            continue
        if same_plan:
            moved = na["parent_id"] != nb["parent_id"]
            before_parent, after_parent = parent_a.get(na["parent_id"]), nb["parent"]
        else:
            moved = na["parent"] != nb["parent"]
            before_parent, after_parent = na["parent"], nb["parent"]
        if moved:
            out["moved"].append({"code": nb["code"], "title": nb["title"],
                                 "from": before_parent, "to": after_parent})
        fields = {f: [na.get(f), nb.get(f)] for f in FIELDS if na.get(f) != nb.get(f)}
        if fields:
            out["changed"].append({"code": nb["code"], "fields": fields})
        if na.get("progress") != nb.get("progress"):
            out["progress"].append({"code": nb["code"], "before": na.get("progress"),
                                    "after": nb.get("progress"),
                                    "delta": _delta(na.get("progress"), nb.get("progress"))})
        out["indicators"].extend(_indicators(nb["code"], na, nb, same_plan))
    for k in list(ia) + [k for k in ib if k not in ia]:
        na, nb = ia.get(k), ib.get(k)
        code = (nb or na)["code"]
        ba, bb = (na or {}).get("budget", {}), (nb or {}).get("budget", {})
        for year in sorted(set(ba) | set(bb)):
            for f in BUDGET_FIELDS:
                before = (ba.get(year) or {}).get(f) or 0
                after = (bb.get(year) or {}).get(f) or 0
                if Decimal(str(before)) != Decimal(str(after)):
                    out["budget"].append({"code": code, "year": year, "field": f,
                                          "before": before, "after": after,
                                          "delta": _delta(before, after)})
    out["totals"] = _totals(a, b)
    return out


def _indicators(code: str, na: dict, nb: dict, same_plan: bool) -> list[dict]:
    def key(i: dict):
        return i["id"] if same_plan else i["name"]

    ia = {key(i): i for i in na.get("indicators", [])}
    ib = {key(i): i for i in nb.get("indicators", [])}
    rows = []
    for k in list(ia) + [k for k in ib if k not in ia]:
        xa, xb = ia.get(k), ib.get(k)
        before = (xa or {}).get("latest") and xa["latest"]["value"]
        after = (xb or {}).get("latest") and xb["latest"]["value"]
        sa, sb = (xa or {}).get("status"), (xb or {}).get("status")
        if xa is not None and xb is not None and before == after and sa == sb:
            continue
        rows.append({"code": code, "indicator": (xb or xa)["name"], "before": before,
                     "after": after, "delta": _delta(before, after),
                     "status_before": sa, "status_after": sb})
    return rows


def _totals(a: dict, b: dict) -> dict:
    ta, tb = a.get("totals", {}), b.get("totals", {})
    budget = {}
    ya, yb = ta.get("budget", {}), tb.get("budget", {})
    for year in sorted(set(ya) | set(yb)):
        budget[year] = {f: {"before": (ya.get(year) or {}).get(f, 0),
                            "after": (yb.get(year) or {}).get(f, 0),
                            "delta": _delta((ya.get(year) or {}).get(f, 0),
                                            (yb.get(year) or {}).get(f, 0))}
                        for f in BUDGET_FIELDS}
    return {"as_of": [a.get("as_of"), b.get("as_of")],
            "progress": {"before": ta.get("progress"), "after": tb.get("progress"),
                         "delta": _delta(ta.get("progress"), tb.get("progress"))},
            "actions": [ta.get("actions"), tb.get("actions")],
            "budget": budget}


def is_empty(diff: dict) -> bool:
    return not any(diff[k] for k in ("added", "removed", "moved", "changed", "progress",
                                     "indicators", "budget"))
