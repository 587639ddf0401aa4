"""PlanDraft: a parsed plan as plain data, with provenance and warnings (no Django).

The JSON form (``PlanDraft.to_dict()``) is the interchange contract documented in
``docs/interchange.md``: ``{"plan": {...}, "nodes": [...], "warnings": [...]}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .i18n import _

# Field keys of the contract, by the shape their value takes once finalised.
TEXT_FIELDS = ("start", "end", "deadline", "funding", "status", "comment", "description",
               "code_as_printed", "budget_as_printed", "fte_as_printed", "progress_as_printed",
               "domain", "timing", "context", "objective")
LIST_FIELDS = ("departments", "owners", "team", "mandataire", "partners", "steering",
               "risks", "deliverables", "enablers", "tags")
NUMBER_FIELDS = ("fte", "progress")
ALL_FIELDS = TEXT_FIELDS + LIST_FIELDS + NUMBER_FIELDS + ("budget_eur", "indicators")


@dataclass
class DraftWarning:
    message: str
    line: int | None = None
    code: str | None = None  # the node it concerns, if any

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "line": self.line, "code": self.code}


@dataclass
class NodeDraft:
    code: str
    title: str
    parent: str | None = None
    line: int | None = None
    level: str = ""  # level name, e.g. "Objectif opérationnel"; "" = the plan's level at depth
    derived_code: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)  # provenance per field
    depth: int = 0  # filled by PlanDraft.finish()

    def set(self, key: str, value: Any, line: int | None = None) -> None:
        """Set a contract field. Strings for list/number fields are normalised by finalize()."""
        if value is None or value == "" or value == []:
            return
        self.fields[key] = value
        if line is not None:
            self.field_lines[key] = line

    def append(self, key: str, text: str, line: int | None = None, sep: str = " ") -> None:
        """Continue a field over a wrapped line."""
        text = text.strip()
        if not text:
            return
        old = self.fields.get(key)
        if isinstance(old, str) and old:
            self.fields[key] = old + sep + text
        else:
            self.set(key, text, line)

    def add_indicator(self, name: str, target: str | None = None, line: int | None = None,
                      **extra: Any) -> None:
        ind = {"name": name.strip(), "target": (target or "").strip() or None}
        ind.update({k: v for k, v in extra.items() if v not in (None, "")})
        if line is not None:
            ind.setdefault("line", line)
        self.fields.setdefault("indicators", []).append(ind)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": self.code,
            "parent": self.parent,
            "depth": self.depth,
            "title": self.title,
            "line": self.line,
            "level": self.level,
            "fields": dict(self.fields),
        }
        if self.derived_code:
            d["derived_code"] = True
        if self.field_lines:
            d["field_lines"] = dict(self.field_lines)
        return d


@dataclass
class PlanDraft:
    title: str = ""
    kind: str = "other"  # pst, strategic, contract, policy_note, sector, other
    organization: str = ""
    period_start: int | None = None
    period_end: int | None = None
    levels: list[str] = field(default_factory=list)  # level names by depth
    language: str = "fr"
    source: str = ""
    layout: str = ""  # which parser understood it
    # register fields a document rarely states but an export carries (round trip)
    status: str = ""
    adopted_by: str = ""
    adopted_on: str = ""  # ISO date
    published: bool = False
    rollup_rule: str = ""
    amendments: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    nodes: list[NodeDraft] = field(default_factory=list)
    warnings: list[DraftWarning] = field(default_factory=list)
    # what the import understood: the column mapping of a tabular source (one dict per column:
    # index, header, field, source, samples — see docs/importing.md) and the structure's name
    columns: list[dict[str, Any]] = field(default_factory=list)
    structure: str = ""

    def __post_init__(self) -> None:
        self._by_code: dict[str, NodeDraft] = {n.code: n for n in self.nodes}

    # -- building -------------------------------------------------------------------------
    def get(self, code: str | None) -> NodeDraft | None:
        return self._by_code.get(code) if code else None

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def children(self, code: str | None) -> list[NodeDraft]:
        return [n for n in self.nodes if n.parent == code]

    def warn(self, message: str, line: int | None = None, code: str | None = None) -> None:
        self.warnings.append(DraftWarning(message, line, code))

    def add(self, title: str, *, code: str | None = None, parent: str | None = None,
            line: int | None = None, level: str = "", printed: str | None = None) -> NodeDraft:
        """Add a node under ``parent`` (a code already in the draft, or None for the top).

        ``code`` is the normalised code; ``printed`` the code as the document prints it (kept in
        ``fields.code_as_printed`` when it differs).  Without a code, one is derived from the
        parent's (``parent.N``).  A code already used is qualified by the parent's code, then
        suffixed, with a warning: codes are unique in a plan.
        """
        if parent is not None and parent not in self._by_code:
            raise KeyError(f"unknown parent {parent!r}")
        derived = code is None
        if code is None:
            n = self._child_count(parent) + 1
            code = f"{parent}.{n}" if parent else str(n)
            while code in self._by_code:
                n += 1
                code = f"{parent}.{n}" if parent else str(n)
        elif code in self._by_code:
            original = code
            if parent and not code.startswith(parent + "."):
                code = f"{parent}.{code}"
            k = 2
            base = code
            while code in self._by_code:
                code = f"{base}-{k}"
                k += 1
            self.warn(_("code « %(code)s » déjà utilisé, renommé « %(new)s »")
                      % {"code": original, "new": code}, line, code)
        node = NodeDraft(code=code, title=" ".join(title.split()), parent=parent, line=line,
                         level=level, derived_code=derived)
        counts = self.__dict__.get("_counts")
        if counts is not None:
            counts[parent] = counts.get(parent, 0) + 1
        if printed and printed != code:
            node.fields["code_as_printed"] = printed
        self.nodes.append(node)
        self._by_code[code] = node
        return node

    def _child_count(self, parent: str | None) -> int:
        """Children of ``parent`` (kept as counts while nodes are added: adding stays linear)."""
        counts = self.__dict__.get("_counts")
        if counts is None or self.__dict__.get("_counted") != len(self.nodes):
            counts = {}
            for n in self.nodes:
                counts[n.parent] = counts.get(n.parent, 0) + 1
            self.__dict__["_counts"] = counts
        self.__dict__["_counted"] = len(self.nodes) + 1  # the node being added
        return counts.get(parent, 0)

    def remove(self, code: str) -> None:
        """Drop a node and its descendants."""
        self.__dict__["_counts"] = None
        doomed = {code}
        changed = True
        while changed:
            changed = False
            for n in self.nodes:
                if n.parent in doomed and n.code not in doomed:
                    doomed.add(n.code)
                    changed = True
        self.nodes = [n for n in self.nodes if n.code not in doomed]
        self._by_code = {n.code: n for n in self.nodes}

    def reparent(self, code: str, new_parent: str | None) -> None:
        self.__dict__["_counts"] = None
        node = self._by_code[code]
        p = new_parent
        while p is not None:
            if p == code:
                raise ValueError(f"{code} cannot move under its own descendant")
            p = self._by_code[p].parent
        node.parent = new_parent

    def finish(self) -> PlanDraft:
        """Compute depths and order nodes parent-before-child (stable otherwise)."""
        self._by_code = {n.code: n for n in self.nodes}
        for n in self.nodes:
            d, p, seen = 0, n.parent, set()
            while p is not None and p not in seen:
                seen.add(p)
                d += 1
                parent = self._by_code.get(p)
                p = parent.parent if parent else None
            n.depth = d
            if not n.level and d < len(self.levels):
                n.level = self.levels[d]
        return self

    # -- reading --------------------------------------------------------------------------
    def counts_per_level(self) -> dict[str, int]:
        c: Counter[str] = Counter()
        for n in self.nodes:
            c[n.level or f"niveau {n.depth + 1}"] += 1
        return dict(c)

    def to_dict(self) -> dict[str, Any]:
        self.finish()
        return {
            "plan": {
                "title": self.title,
                "kind": self.kind,
                "organization": self.organization,
                "period_start": self.period_start,
                "period_end": self.period_end,
                "levels": list(self.levels),
                "language": self.language,
                "source": self.source,
                "layout": self.layout,
                **{k: v for k, v in (("status", self.status), ("adopted_by", self.adopted_by),
                                     ("adopted_on", self.adopted_on),
                                     ("published", self.published),
                                     ("rollup_rule", self.rollup_rule),
                                     ("amendments", self.amendments), ("extra", self.extra))
                   if v},
            },
            "nodes": [n.to_dict() for n in self.nodes],
            "warnings": [w.to_dict() for w in self.warnings],
            **({"structure": self.structure} if self.structure else {}),
            **({"columns": [dict(c) for c in self.columns]} if self.columns else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanDraft:
        """Inverse of to_dict(); the data must already be schema-valid (see interchange.py)."""
        p = data.get("plan", {})
        draft = cls(
            title=p.get("title", ""), kind=p.get("kind", "other"),
            organization=p.get("organization", ""), period_start=p.get("period_start"),
            period_end=p.get("period_end"), levels=list(p.get("levels", [])),
            language=p.get("language", "fr"), source=p.get("source", ""),
            layout=p.get("layout", ""), extra=dict(p.get("extra", {})),
            status=p.get("status", ""), adopted_by=p.get("adopted_by", ""),
            adopted_on=p.get("adopted_on", ""), published=bool(p.get("published", False)),
            rollup_rule=p.get("rollup_rule", ""), amendments=list(p.get("amendments", [])),
        )
        for nd in data.get("nodes", []):
            node = NodeDraft(code=nd["code"], title=nd["title"], parent=nd.get("parent"),
                             line=nd.get("line"), level=nd.get("level", ""),
                             derived_code=bool(nd.get("derived_code", False)),
                             fields=dict(nd.get("fields", {})),
                             field_lines=dict(nd.get("field_lines", {})))
            draft.nodes.append(node)
        draft.warnings = [DraftWarning(w["message"], w.get("line"), w.get("code"))
                          for w in data.get("warnings", [])]
        draft.columns = [dict(c) for c in data.get("columns", [])]
        draft.structure = data.get("structure", "")
        return draft.finish()
