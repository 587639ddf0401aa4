"""Everything the action sheet shows, loaded in a fixed number of queries.

Queries: the node (1) + owners, team, mandataires and departments (1: ``attach_relations``) +
money lines, links out, links in, indicators, their measurements, their targets, budget lines,
journal (8 prefetches) + the plan's
node skeleton for ancestors, children and the roll-up (1) + the change history (1) + the values
replaced in the indicators (2, only when there are indicators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import F, IntegerField, Prefetch, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalon.core.values import parse_norm
from jalon.plans.access import visibility_of
from jalon.plans.models import Department, Node, NodeLink, Person
from jalon.tracking.evaluation import CLOSE, MET, MISSED, NO_DATA, NO_NORM, evaluate_value
from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate
from jalon.tracking.periods import PeriodError, parse_period
from jalon.tracking.progress import rolled_up, shown
from jalon.tracking.services import value_changes
from jalon.tracking.state import plan_states
from jalon.tracking.status import indicator_status

from .charts import LineChart, line_chart
from .forms import ProgressForm
from .history import history_for

STATUS_LABELS = {MET: _("atteint"), CLOSE: _("proche"), MISSED: _("manqué"),
                 NO_DATA: _("pas de donnée"), NO_NORM: _("pas de norme chiffrée")}


# the node's people and departments: one UNION ALL of the four link tables (the sheet shows
# their names) instead of four prefetches
RELATIONS = (("owners", Person), ("team", Person), ("mandataires", Person),
             ("departments", Department))


def attach_relations(node: Node) -> None:
    """Fill ``node.owners.all()``, ``team``, ``mandataires`` and ``departments`` (ordered by
    name, as their models are) from one query, as ``prefetch_related`` would."""
    union = None
    for i, (name, model) in enumerate(RELATIONS):
        target = "person" if model is Person else "department"
        user = (F("person__user_id") if model is Person
                else Value(None, output_field=IntegerField()))
        part = (getattr(Node, name).through.objects.filter(node_id=node.pk)
                .annotate(rel=Value(i, output_field=IntegerField()), oid=F(f"{target}_id"),
                          oname=F(f"{target}__name"), ouser=user)
                .values_list("rel", "oid", "oname", "ouser"))
        union = part if union is None else union.union(part, all=True)
    found: dict[int, list] = {i: [] for i in range(len(RELATIONS))}
    for rel, oid, oname, ouser in union.order_by("rel", "oname", "oid"):
        model = RELATIONS[rel][1]
        found[rel].append(model(pk=oid, name=oname, user_id=ouser) if model is Person
                          else model(pk=oid, name=oname))
    cache = node.__dict__.setdefault("_prefetched_objects_cache", {})
    for i, (name, _model) in enumerate(RELATIONS):
        qs = getattr(node, name).all()
        qs._result_cache, qs._prefetch_done = found[i], True
        cache[name] = qs


def load_node(pk: int) -> Node:
    node = (Node.objects.filter(pk=pk).select_related("plan__organization").prefetch_related(
        "money_lines",
        Prefetch("links_out", queryset=NodeLink.objects.select_related("target")),
        Prefetch("links_in", queryset=NodeLink.objects.select_related("source")),
        Prefetch("indicators", queryset=Indicator.objects.select_related("owner")
                 .prefetch_related(
                     Prefetch("measurements",
                              queryset=Measurement.objects.order_by("period_end",
                                                                    "dimensions_key")),
                     "targets")),
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "id")),
        Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")
                 .order_by("-date", "-created", "-id")),
    ).get())
    attach_relations(node)
    return node


# -- indicators ------------------------------------------------------------------------------

@dataclass
class MeasureRow:
    period: str
    value: Decimal
    target: Decimal | None
    status: str
    comment: str = ""
    source: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class IndicatorView:
    indicator: Indicator
    rows: list[MeasureRow]
    chart: LineChart | None
    status: str
    breakdown: list[Measurement] = field(default_factory=list)
    norm_value: Decimal | None = None
    changes: list[dict] = field(default_factory=list)  # replaced values, newest first

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def latest(self) -> MeasureRow | None:
        return self.rows[-1] if self.rows else None


def _period_end(period: str):
    try:
        return parse_period(period)[1]
    except PeriodError:
        return None


def indicator_view(ind: Indicator) -> IndicatorView:
    """Values of the main series (no breakdown) against the target of their period (or of
    their year, or the norm as printed)."""
    targets = {t.period: t for t in ind.targets.all()}
    norm = parse_norm(ind.norm_text or ind.target_text)
    norm_value = norm.tiers[0].value if norm.tiers else None
    main = [m for m in ind.measurements.all() if not m.dimensions_key and m.value is not None]
    rows = []
    for m in main:
        t = targets.get(m.period) or targets.get(m.period[:4])
        if t is not None:
            status = evaluate_value(m.value, t.value, ind.direction, low=t.low, high=t.high)
            target = t.value
        else:
            status = indicator_status(ind, m.value)
            target = None if norm_value is None else Decimal(str(norm_value))
        rows.append(MeasureRow(m.period, m.value, target, status, m.comment, m.source))
    values = [(m.period_end, m.value) for m in main]
    target_points = sorted((end, t.value) for t in targets.values()
                           if t.value is not None and (end := _period_end(t.period)))
    if not target_points and norm_value is not None and values:
        first, last = values[0][0], values[-1][0]
        target_points = [(first, Decimal(str(norm_value))), (last, Decimal(str(norm_value)))]
    chart = line_chart(values, target_points) if values or target_points else None
    status = rows[-1].status if rows else NO_DATA
    return IndicatorView(ind, rows, chart, status,
                         [m for m in ind.measurements.all() if m.dimensions_key],
                         None if norm_value is None else Decimal(str(norm_value)))


# -- the plan skeleton: ancestors, children, roll-up ------------------------------------------

def skeleton(node: Node) -> dict[int, SimpleNamespace]:
    rows = node.plan.nodes.values("id", "parent_id", "code", "title", "position", "progress",
                                  "weight", "status", "extra", "end_date")
    return {r["id"]: SimpleNamespace(**r) for r in rows}


def subtree(nodes: dict[int, SimpleNamespace], root_id: int) -> list[SimpleNamespace]:
    kids: dict[int, list[SimpleNamespace]] = {}
    for n in nodes.values():
        kids.setdefault(n.parent_id, []).append(n)
    out, stack = [], [nodes[root_id]]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(kids.get(n.id, []))
    return out


def budget_totals(lines) -> dict[str, Decimal]:
    return {k: sum((getattr(b, k) for b in lines), Decimal(0))
            for k in ("planned", "committed", "spent")}


def sheet_context(request, node: Node, *, progress_form: ProgressForm | None = None,
                  can_edit: bool | None = None) -> dict:
    """The context of the action sheet for this user (``node`` fetched through plans.access,
    which decided what its plan hides from them); ``can_edit`` when the caller asked already."""
    vis = visibility_of(node.plan, request.user)
    node = vis.redact_node(load_node(node.pk))
    plan = node.plan
    plan.visibility = vis
    nodes = skeleton(node)
    vis.redact_nodes(nodes.values())
    ancestors = []
    p = nodes[node.id].parent_id
    while p is not None:
        ancestors.insert(0, nodes[p])
        p = nodes[p].parent_id
    children = sorted((n for n in nodes.values() if n.parent_id == node.id),
                      key=lambda n: (n.position, n.id))
    figures = (rolled_up(subtree(nodes, node.id), plan.rollup_rule)
               if children and vis.progress else {})
    states = plan_states(nodes.values(), plan.rollup_rule, timezone.localdate())
    node.state = states[node.id]
    for c in children:
        c.shown = shown(c, figures)
        c.state = states[c.id]
    updates = vis.redact_updates(list(node.updates.all()))
    if can_edit is None:
        can_edit = request.user.has_perm("plans.change_node", node)
    budget = list(node.budget_lines.all())
    indicators = [indicator_view(i) for i in node.indicators.all()]
    # who replaced a value (and when) is the authors' information: members only, like the
    # journal's authors (plans.access.Visibility.authors)
    changes = (value_changes([iv.indicator.pk for iv in indicators])
               if indicators and vis.authors else {})
    for iv in indicators:
        iv.changes = changes.get(iv.indicator.pk, [])
    if can_edit and progress_form is None:
        progress_form = new_progress_form(node, updates)
    return {
        "node": node, "plan": plan, "ancestors": ancestors, "children": children,
        "rollup": figures.get(node.id), "updates": updates,
        "health": current_health(updates),
        "indicators": indicators,
        "budget": budget, "budget_totals": budget_totals(budget),
        "can_edit": can_edit, "progress_form": progress_form,
        "history": history_for(node, request.user),
    }


def current_health(updates: list[ProgressUpdate]) -> ProgressUpdate | None:
    """The latest journal entry that gave a health (updates newest first)."""
    return next((u for u in updates if u.health), None)


def new_progress_form(node: Node, updates: list[ProgressUpdate]) -> ProgressForm:
    health = current_health(updates)
    progress = node.progress
    if progress is not None and progress == progress.to_integral_value():
        progress = int(progress)  # «55», not «55.00», in the number field
    return ProgressForm(node=node, initial={
        "status": node.status, "health": health.health if health else "", "progress": progress})
