"""Corrections a user makes to a parsed plan before saving it (pure code on a PlanDraft).

Each function changes the draft in place and returns one French line describing the change,
which the preview lists under «Corrections apportées».
"""

from __future__ import annotations

from jalon.ingest.draft import PlanDraft


def level_names(draft: PlanDraft) -> list[str]:
    """The plan's level names, then any other level a node carries, in order of appearance."""
    names = [n for n in draft.levels if n]
    for node in draft.nodes:
        if node.level and node.level not in names:
            names.append(node.level)
    return names


def rename_level(draft: PlanDraft, old: str, new: str) -> str | None:
    new = " ".join(new.split())[:80]
    if not new or new == old:
        return None
    draft.levels = [new if name == old else name for name in draft.levels]
    for node in draft.nodes:
        if node.level == old:
            node.level = new
    return f"niveau « {old} » renommé « {new} »"


def subtree(draft: PlanDraft, code: str) -> set[str]:
    """A node's code and its descendants' codes."""
    kids: dict[str | None, list[str]] = {}
    for n in draft.nodes:
        kids.setdefault(n.parent, []).append(n.code)
    out, todo = set(), [code]
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(kids.get(c, []))
    return out


def drop(draft: PlanDraft, code: str) -> str:
    doomed = subtree(draft, code)
    title = draft.get(code).title if code in draft else ""
    draft.remove(code)
    draft.warnings = [w for w in draft.warnings if w.code not in doomed]
    others = len(doomed) - 1
    suffix = f" et {others} descendant(s)" if others else ""
    return f"{code} « {title[:60]} »{suffix} supprimé(s)"


def reparent(draft: PlanDraft, code: str, parent: str | None) -> str:
    """Move a node (with its subtree) under ``parent`` (None: the top level).  ValueError when
    the new parent is the node itself or one of its descendants."""
    if parent is not None and parent in subtree(draft, code):
        raise ValueError(f"{code} ne peut pas être placé sous lui-même ou sous un de ses "
                         f"descendants ({parent})")
    draft.reparent(code, parent)
    tree_order(draft)
    where = f"sous {parent}" if parent else "au premier niveau"
    return f"{code} déplacé {where}"


def tree_order(draft: PlanDraft) -> PlanDraft:
    """Order the nodes depth-first, parents before children, siblings in their former order
    (the loader creates each node after its parent)."""
    codes = {n.code for n in draft.nodes}
    kids: dict[str | None, list] = {}
    for n in draft.nodes:
        kids.setdefault(n.parent if n.parent in codes else None, []).append(n)
    ordered: list = []
    stack = list(reversed(kids.get(None, [])))
    seen: set[str] = set()
    while stack:
        n = stack.pop()
        if n.code in seen:
            continue
        seen.add(n.code)
        ordered.append(n)
        stack.extend(reversed(kids.get(n.code, [])))
    ordered += [n for n in draft.nodes if n.code not in seen]  # unreachable (cycles): keep
    draft.nodes = ordered
    return draft.finish()
