"""A snapshot: the whole plan at a date, as plain JSON data.

``take_snapshot(plan, as_of)`` reads a plan in a fixed number of queries (11, whatever its size)
and returns a dict that evaluations store, comparisons diff and every renderer draws from.
The helpers below it are pure functions on that dict.

What «at a date» means:

- the tree (codes, titles, parents, owners…) is the plan as it is when the snapshot is taken;
- a node's progress (and status) is that of its latest journal entry dated on or before
  ``as_of`` that gives one; without such an entry, the node's own (imported or typed) value,
  unless a later entry set it (then nothing was known at ``as_of``: ``None``, not started);
- an indicator's values are its measurements (total, no breakdown) whose period ends on or
  before ``as_of``; its target is the one for the year of ``as_of`` (else the latest before);
- budgets are every year's planned, committed and spent amounts;
- ``status`` is the status shown at ``as_of`` by the one model of state (``tracking.state``:
  late, derived from children and progress), ``own_status`` the status recorded then, ``late``
  and ``days_late`` follow; ``totals.late`` counts the late items (every level).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from jalon.plans.models import MoneyLine, Node, Plan
from jalon.tracking.evaluation import NO_NORM, evaluate_value
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target
from jalon.tracking.rollup import Item, rollup
from jalon.tracking.state import plan_states
from jalon.tracking.status import MAX_IDS, indicator_status

SCHEMA = 1
BUDGET_FIELDS = ("planned", "committed", "spent")


def num(x: Any) -> int | float | None:
    """Decimal → int when whole, else float rounded to 4 places (stable JSON)."""
    if x is None:
        return None
    d = Decimal(str(x))
    if d == d.to_integral_value():
        return int(d)
    return float(round(d, 4))


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def take_snapshot(plan: Plan, as_of: dt.date | None = None) -> dict:
    """The plan at ``as_of`` (today by default) as JSON-ready data."""
    today = timezone.localdate()
    as_of = as_of or today
    org = plan.organization
    # plain rows (every column, JSON decoded) rather than model instances: only read here
    nodes = [SimpleNamespace(pk=row["id"], **row)
             for row in plan.nodes.order_by("depth", "position", "id").values()]
    code_of = {n.pk: n.code for n in nodes}
    # the link tables and the money lines as plain rows (no model instance per link)
    names: dict[str, dict[int, list[str]]] = {}
    for field, name in (("owners", "person__name"), ("team", "person__name"),
                        ("mandataires", "person__name"), ("departments", "department__name")):
        by_node: dict[int, list[str]] = defaultdict(list)
        for node_id, text in (getattr(Node, field).through.objects.filter(node__plan=plan)
                              .values_list("node_id", name)):
            by_node[node_id].append(text)
        names[field] = by_node
    money: dict[int, list] = defaultdict(list)
    for node_id, amount in (MoneyLine.objects.filter(node__plan=plan)
                            .order_by("node_id", "position", "id")
                            .values_list("node_id", "amount")):
        money[node_id].append(num(amount))

    # journal: latest entry with a progress / a status on or before as_of, per node
    progress_at: dict[int, Any] = {}
    status_at: dict[int, str] = {}
    last_update: dict[int, dt.date] = {}
    later_progress: set[int] = set()
    later_status: set[int] = set()
    updates = (ProgressUpdate.objects.filter(node__plan=plan)
               .order_by("node_id", "-date", "-created", "-id")
               .values_list("node_id", "date", "progress", "status"))
    for node_id, date, progress, status in updates:
        if date > as_of:  # an entry after as_of: the node's current values came later
            if progress is not None:
                later_progress.add(node_id)
            if status:
                later_status.add(node_id)
            continue
        last_update.setdefault(node_id, date)
        if progress is not None:
            progress_at.setdefault(node_id, progress)
        if status:
            status_at.setdefault(node_id, status)

    indicators: dict[int, list[dict]] = defaultdict(list)
    # through the node index when the plan's ids fit in a statement: joined to the nodes by
    # plan, PostgreSQL scans every organization's indicators (tracking.status.MAX_IDS)
    node_ids = [n.pk for n in nodes]
    scope = ({"node_id__in": node_ids} if len(node_ids) <= MAX_IDS else {"node__plan": plan})
    inds = list(Indicator.objects.filter(**scope).select_related("owner")
                .order_by("node_id", "position", "id"))
    # their values and targets as plain rows (a plan has thousands of measurements: no model
    # instance per value)
    values_of: dict[int, list] = defaultdict(list)
    targets_of: dict[int, list] = defaultdict(list)
    if inds:
        ids = [ind.pk for ind in inds]
        for ind_id, period, end, value in (
                Measurement.objects.filter(indicator_id__in=ids, period_end__lte=as_of,
                                           dimensions_key="", value__isnull=False)
                .order_by("indicator_id", "period_end", "id")
                .values_list("indicator_id", "period", "period_end", "value")):
            values_of[ind_id].append(SimpleNamespace(period=period, period_end=end, value=value))
        for ind_id, period, value, low, high in (
                Target.objects.filter(indicator_id__in=ids).order_by("indicator_id", "period", "id")
                .values_list("indicator_id", "period", "value", "low", "high")):
            targets_of[ind_id].append(SimpleNamespace(period=period, value=value, low=low,
                                                      high=high))
    for ind in inds:
        ind.values_as_of, ind.targets_as_rows = values_of[ind.pk], targets_of[ind.pk]
        indicators[ind.node_id].append(_indicator(ind, as_of))

    budget: dict[int, dict[str, dict]] = defaultdict(dict)
    totals_budget: dict[str, dict] = {}
    for row in (BudgetLine.objects.filter(node__plan=plan).values("node_id", "year")
                .annotate(planned=Sum("planned"), committed=Sum("committed"), spent=Sum("spent"))
                .order_by("node_id", "year")):
        year = "" if row["year"] is None else str(row["year"])  # "": no year given
        budget[row["node_id"]][year] = {k: num(row[k]) for k in BUDGET_FIELDS}
        acc = totals_budget.setdefault(year, dict.fromkeys(BUDGET_FIELDS, 0))
        for k in BUDGET_FIELDS:
            acc[k] = num(Decimal(str(acc[k])) + Decimal(str(row[k] or 0)))

    out_nodes = []
    for n in nodes:
        if n.pk in progress_at:
            progress = progress_at[n.pk]
        else:  # set only after as_of: unknown then
            progress = None if n.pk in later_progress else n.progress
        if n.pk in status_at:
            status = status_at[n.pk]
        else:
            status = Node.Status.NOT_STARTED if n.pk in later_status else n.status
        fields = (n.extra or {}).get("fields", {})
        out_nodes.append({
            "id": n.pk, "code": n.code, "title": n.title,
            "parent": code_of.get(n.parent_id), "parent_id": n.parent_id,
            "level": n.level, "depth": n.depth, "position": n.position,
            "status": status, "progress": num(progress), "weight": num(n.weight),
            "start_text": n.start_text, "end_text": n.end_text, "deadline_text": n.deadline_text,
            "start_date": _iso(n.start_date), "end_date": _iso(n.end_date),
            "open_ended": n.open_ended,
            "owners": sorted(names["owners"].get(n.pk, ())),
            "team": sorted(names["team"].get(n.pk, ())),
            "mandataires": sorted(names["mandataires"].get(n.pk, ())),
            "departments": sorted(names["departments"].get(n.pk, ())),
            "partners": list(n.partners), "steering": list(n.steering),
            "risks": list(n.risks), "deliverables": list(n.deliverables),
            "description": n.description, "comment": n.comment,
            "fte": num(n.fte), "funding": n.funding,
            "money": money.get(n.pk, []),
            "extra": {k: v for k, v in fields.items() if isinstance(v, str)},
            "last_update": _iso(last_update.get(n.pk)),
            "indicators": indicators.get(n.pk, []),
            "budget": budget.get(n.pk, {}),
            "rollup_extra": {k: v for k, v in (n.extra or {}).items()
                             if k == "rollup_justification"},
        })
    snap = {
        "schema": SCHEMA,
        "as_of": as_of.isoformat(),
        "taken_at": timezone.now().isoformat(timespec="seconds"),
        "organization": {"id": org.pk, "name": org.name, "slug": org.slug},
        "plan": {
            "id": plan.pk, "title": plan.title, "kind": plan.kind,
            "period_start": plan.period_start, "period_end": plan.period_end,
            "status": plan.status, "levels": list(plan.levels),
            "rollup_rule": plan.rollup_rule, "adopted_by": plan.adopted_by,
            "adopted_on": _iso(plan.adopted_on),
        },
        "nodes": out_nodes,
    }
    fill_rollups(snap)
    snap["totals"] = totals(snap, totals_budget)
    return snap


def _indicator(ind: Indicator, as_of: dt.date) -> dict:
    values = [{"period": m.period, "period_end": m.period_end.isoformat(), "value": num(m.value)}
              for m in ind.values_as_of]
    latest = values[-1] if values else None
    targets = ind.targets_as_rows  # by period (take_snapshot)
    year = str(as_of.year)
    target = next((t for t in targets if t.period == year), None)
    if target is None:
        before = [t for t in targets if t.period[:4] <= year]
        target = before[-1] if before else None
    value = None if latest is None else Decimal(str(latest["value"]))
    if ind.kind == Indicator.Kind.MONITORING:
        status = NO_NORM
    elif target is not None and (target.value is not None or ind.direction == "band"):
        status = evaluate_value(value, target.value, ind.direction, low=target.low,
                                high=target.high)
    else:
        status = indicator_status(ind, value)
    return {
        "id": ind.pk, "name": ind.name, "kind": ind.kind, "unit": ind.unit,
        "direction": ind.direction, "frequency": ind.frequency,
        "target_text": ind.target_text, "norm_text": ind.norm_text, "norm_state": ind.norm_state,
        "baseline": num(ind.baseline_value), "owner": ind.owner.name if ind.owner else "",
        "target": None if target is None else {
            "period": target.period, "value": num(target.value), "low": num(target.low),
            "high": num(target.high)},
        "values": values, "latest": latest, "status": status,
    }


# -- pure helpers on a snapshot -------------------------------------------------------------

def children_map(snap: dict) -> dict[str | None, list[dict]]:
    """Parent code → its children in order (``None``: the top-level nodes)."""
    out: dict[str | None, list[dict]] = defaultdict(list)
    for n in snap["nodes"]:
        out[n["parent"]].append(n)
    for kids in out.values():
        kids.sort(key=lambda n: (n["position"], n["id"] or 0))
    return out


def walk(snap: dict, kids: dict | None = None) -> Iterator[dict]:
    """Nodes depth-first in plan order."""
    kids = kids if kids is not None else children_map(snap)
    stack = list(reversed(kids.get(None, [])))
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(kids.get(n["code"], [])))


def is_leaf(node: dict, kids: dict) -> bool:
    return not kids.get(node["code"])


def shown_progress(node: dict) -> int | float | None:
    """A node's own progress, else what its children roll up to."""
    return node["progress"] if node.get("progress") is not None else node.get("rolled_up")


def fill_rollups(snap: dict) -> None:
    """Set ``rolled_up`` on every node with children (the plan's roll-up rule) and the state
    at ``as_of`` (``status``, ``own_status``, ``late``, ``days_late``) on every node, by the
    one model of ``tracking.state``."""
    rule = snap["plan"].get("rollup_rule") or "mean"
    as_of = dt.date.fromisoformat(snap["as_of"])
    rows = [SimpleNamespace(
        id=n["id"], parent_id=n["parent_id"], code=n["code"], position=n["position"],
        progress=None if n["progress"] is None else Decimal(str(n["progress"])),
        weight=None if n.get("weight") is None else Decimal(str(n["weight"])),
        status=n.get("own_status", n["status"]),
        end_date=dt.date.fromisoformat(n["end_date"]) if n.get("end_date") else None,
        extra=n.get("rollup_extra") or {}) for n in snap["nodes"]]
    states = plan_states(rows, rule, as_of)
    for n in snap["nodes"]:
        st = states[n["id"]]
        n["rolled_up"] = num(st.rollup.value) if st.rollup is not None else None
        n["own_status"] = st.own_status
        n["status"] = st.status
        n["late"] = st.late
        n["days_late"] = st.days_late


def subtree_budget(snap: dict, code: str, kids: dict | None = None) -> dict[str, dict]:
    """Year → planned/committed/spent for a node and everything under it."""
    kids = kids if kids is not None else children_map(snap)
    by_code = {n["code"]: n for n in snap["nodes"]}
    out: dict[str, dict] = {}
    stack = [by_code[code]]
    while stack:
        n = stack.pop()
        for year, row in n.get("budget", {}).items():
            acc = out.setdefault(year, dict.fromkeys(BUDGET_FIELDS, 0))
            for k in BUDGET_FIELDS:
                acc[k] = num(Decimal(str(acc[k])) + Decimal(str(row.get(k) or 0)))
        stack.extend(kids.get(n["code"], []))
    return dict(sorted(out.items()))


def totals(snap: dict, budget: dict | None = None) -> dict:
    kids = children_map(snap)
    leaves = [n for n in snap["nodes"] if is_leaf(n, kids)]
    by_status: dict[str, int] = defaultdict(int)
    for n in snap["nodes"]:  # every level, as the dashboard counts them
        by_status[n["status"]] += 1
    rule = snap["plan"].get("rollup_rule") or "mean"
    roots = kids.get(None, [])
    overall = rollup([Item(r["code"], None if shown_progress(r) is None
                           else Decimal(str(shown_progress(r))), None, r["status"])
                      for r in roots], "mean" if rule not in {"mean", "weighted"} else rule)
    if budget is None:
        budget = {}
        for n in snap["nodes"]:
            for year, row in n.get("budget", {}).items():
                acc = budget.setdefault(year, dict.fromkeys(BUDGET_FIELDS, 0))
                for k in BUDGET_FIELDS:
                    acc[k] = num(Decimal(str(acc[k])) + Decimal(str(row.get(k) or 0)))
    return {"nodes": len(snap["nodes"]), "actions": len(leaves),
            "late": sum(1 for n in snap["nodes"] if n.get("late")),
            "by_status": dict(sorted(by_status.items())), "progress": num(overall.value),
            "indicators": sum(len(n.get("indicators", [])) for n in snap["nodes"]),
            "budget": dict(sorted(budget.items()))}
