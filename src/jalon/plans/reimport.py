"""Re-import a newer version of a plan: match nodes by code, report and apply the differences.

Nodes that disappeared from the new version are not deleted (their follow-up would go with
them): they are marked «caduc» (lapsed) and listed in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from jalon.ingest.draft import PlanDraft
from jalon.tracking.services import budget_from_plan

from .loader import _Directory, fill_node, node_to_draft, set_relations
from .models import Node, Plan
from .services import _set_depths


@dataclass
class ReimportReport:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code → changed keys
    moved: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.added)} ajouté(s), {len(self.removed)} retiré(s) (marqués caducs), "
                 f"{len(self.changed)} modifié(s), {len(self.moved)} déplacé(s)"]
        lines += [f"  + {c}" for c in self.added]
        lines += [f"  - {c}" for c in self.removed]
        lines += [f"  ~ {c}: {', '.join(keys)}" for c, keys in self.changed.items()]
        lines += [f"  → {c}" for c in self.moved]
        return "\n".join(lines)


def _comparable(nd) -> dict:
    d = nd.to_dict()
    return {"title": d["title"], "level": d["level"], **d["fields"]}


@transaction.atomic
def reimport(plan: Plan, draft: PlanDraft, *, dry_run: bool = False) -> ReimportReport:
    draft.finish()
    report = ReimportReport()
    nodes = {n.code: n for n in plan.nodes.prefetch_related(
        "owners", "team", "mandataires", "departments", "money_lines", "indicators",
        "links_out__target").select_related("parent")}
    new_codes = {nd.code for nd in draft.nodes}
    directory = _Directory(plan.organization)
    positions: dict[str | None, int] = {}
    for nd in draft.nodes:
        pos = positions.get(nd.parent, 0)
        positions[nd.parent] = pos + 1
        old = nodes.get(nd.code)
        parent = nodes.get(nd.parent) if nd.parent else None
        if old is None:
            report.added.append(nd.code)
            if dry_run:
                continue
            node = Node(plan=plan, parent=parent, position=pos,
                        depth=parent.depth + 1 if parent else 0)
            fill_node(node, nd)
            node.save()
            set_relations(node, nd, directory, new=True)
            nodes[nd.code] = node
            continue
        before, after = _comparable(node_to_draft(old)), _comparable(nd)
        keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        old_parent = old.parent.code if old.parent_id else None
        if old_parent != nd.parent:
            report.moved.append(nd.code)
        if keys:
            report.changed[nd.code] = keys
        if dry_run or not (keys or old_parent != nd.parent or old.position != pos):
            continue
        status = old.status
        fill_node(old, nd)
        if "status" not in nd.fields:
            old.status = status  # the follow-up owns the status unless the document states one
        old.parent, old.position = parent, pos
        old.depth = parent.depth + 1 if parent else 0
        old.version += 1
        old.save()
        set_relations(old, nd, directory)
        _set_depths(old)
    for code, node in nodes.items():
        if code not in new_codes and node.status != Node.Status.LAPSED:
            report.removed.append(code)
            if not dry_run:
                node.status = Node.Status.LAPSED
                node.save(update_fields=["status"])
    if not dry_run:
        budget_from_plan(plan)  # new or changed amounts; recorded spending is kept
    return report
