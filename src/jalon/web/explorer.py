"""The tree explorer: filters and full-text search over a plan, each result with its path.

Filtering and matching happen in Python over one load of the plan (see ``web.search``), so the
page behaves the same on SQLite and PostgreSQL and its query count does not grow with the plan:
plan (1) + nodes with owners, departments, mandataires and journal annotations (4) + departments
(1) + people (1) + journal texts when there is a text query (1).
"""

from __future__ import annotations

from django.core.paginator import Paginator

from jalon.plans.access import plan_for
from jalon.plans.models import Node, Plan
from jalon.plans.services import plan_tree, walk
from jalon.tracking.models import ProgressUpdate
from jalon.tracking.reminders import CLOSED
from jalon.tracking.state import attach_states

from .forms import ExplorerForm
from .fragments import cached_page
from .loading import department_scope, level_label, plan_nodes
from .rows import explorer_rows
from .search import Document, search
from .views import today

PER_PAGE = 100


def _has(values, wanted) -> bool:
    return any(str(v) == str(wanted) for v in (values or []))


def apply_filters(plan: Plan, nodes: list[Node], f: dict) -> list[Node]:
    if "department" in f:
        inside, _ = department_scope(nodes, f["department"])
    out = []
    for n in nodes:
        if "department" in f and n.id not in inside:
            continue
        if "level" in f and level_label(plan, n) != f["level"]:
            continue
        if "owner" in f and not any(p.pk == f["owner"] for p in n.owner_list):
            continue
        if "mandataire" in f and not any(p.pk == f["mandataire"] for p in n.mandataire_list):
            continue
        if "status" in f and n.state.status != f["status"]:
            continue
        if "health" in f and f["health"] == "risk":
            if n.current_health not in ("at_risk", "blocked") or n.status in CLOSED:
                continue
        elif "health" in f and (n.current_health or "none") != f["health"]:
            continue
        if "late" in f and not n.state.late:  # the one rule of lateness (tracking.state)
            continue
        if "due_from" in f and not (n.end_date and n.end_date >= f["due_from"]):
            continue
        if "due_to" in f and not (n.end_date and n.end_date <= f["due_to"]):
            continue
        if "tag" in f and not _has(n.tags, f["tag"]):
            continue
        if "sdg" in f and not _has(n.sdgs, f["sdg"]):
            continue
        if "volet" in f and n.volet != f["volet"]:
            continue
        out.append(n)
    return out


def documents(plan: Plan, nodes: list[Node]) -> list[Document]:
    """Searchable text of the nodes: code, title, description, comment and journal entries."""
    docs = {}
    for n in nodes:
        d = Document(n.id)
        d.add("code", n.code)
        d.add("title", n.title)
        d.add("description", n.description)
        d.add("comment", n.comment)
        docs[n.id] = d
    journal = (ProgressUpdate.objects.filter(node__plan=plan).exclude(text="")
               .order_by("-date", "-created").values_list("node_id", "text"))
    for node_id, text in journal:
        if node_id in docs:
            docs[node_id].add("journal", text)
    return list(docs.values())


def plan_explorer(request, pk: int):
    plan = plan_for(request.user, pk)
    return cached_page(request, plan, "explorer", "jalon/plan_explorer.html",
                       lambda: explorer_context(request, plan),
                       params=[*ExplorerForm.base_fields, "page"])


def explorer_context(request, plan: Plan) -> dict:
    nodes = list(walk(plan_tree(plan, plan_nodes(plan))))  # depth-first, as the plan reads
    attach_states(nodes, plan.rollup_rule, today())  # status shown and filtered: tracking.state
    org = plan.organization
    levels: list[str] = []
    tags: set[str] = set()
    sdgs: set[int] = set()
    for n in nodes:
        lv = level_label(plan, n)
        if lv not in levels:
            levels.append(lv)
        tags.update(str(t) for t in n.tags or [])
        sdgs.update(int(s) for s in n.sdgs or [] if str(s).isdigit())
    form = ExplorerForm(request.GET or None, levels=levels,
                        departments=list(org.departments.all()), people=list(org.people.all()),
                        tags=sorted(tags, key=str.casefold), sdgs=sorted(sdgs))
    f = form.filters()
    results = apply_filters(plan, nodes, f)
    query = (f.get("q") or "").strip()
    hits = {}
    if query:
        found = search(documents(plan, results), query)
        hits = {h.key: h for h in found}
        by_id = {n.id: n for n in results}
        results = [by_id[h.key] for h in found]
    by_id = {n.id: n for n in nodes}
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.path = []
        p = by_id.get(n.parent_id)
        while p is not None:
            n.path.insert(0, p)
            p = by_id.get(p.parent_id)
        n.level_label = level_label(plan, n)
        n.hit = hits.get(n.id)
    return {
        "result_rows": explorer_rows(page.object_list),
        "plan": plan, "tab": "explorer", "form": form, "page": page, "query": query,
        "total": len(results), "filtered": bool(f), "node_count": len(nodes),
    }
